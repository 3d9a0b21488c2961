"""Reading the scheduler's forms: a date and a time typed in the scheduler's zone become a UTC :class:`Slot`.

Every refusal is an English msgid beside its field, shown in the scheduler's language; nothing is booked.
"""

from __future__ import annotations

from datetime import date, datetime, time

from core.errors import InvalidInput
from core.i18n import N_
from core.localtime import AmbiguousLocalTime, NonexistentLocalTime, local_to_utc
from interview.scheduling.service import MAX_OFFERS, RULES, Slot

BOOK_FIELDS = ("date", "time", "duration_minutes", "buffer_minutes", "idempotency_key")
OFFER_FIELDS = (
    *(f"date-{i}" for i in range(MAX_OFFERS)),
    *(f"time-{i}" for i in range(MAX_OFFERS)),
    "duration_minutes",
    "buffer_minutes",
)
MOVE_FIELDS = ("date", "time", "duration_minutes", "buffer_minutes", "reason")


def _minutes(raw: str, default: int, lo: int, hi: int, name: str, errors: dict[str, str]) -> int:
    if not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = -1
    if not lo <= value <= hi:
        errors[name] = (
            N_("An interview lasts between 15 minutes and 4 hours.")
            if name == "duration_minutes"
            else N_("The buffer is between 0 and 120 minutes.")
        )
    return value


def _start(day_raw: str, clock_raw: str, tz: str, name: str, errors: dict[str, str]) -> datetime | None:
    try:
        day = date.fromisoformat(day_raw.strip())
        clock = time.fromisoformat(clock_raw.strip()).replace(second=0, microsecond=0)
    except ValueError:
        errors[name] = N_("Please enter the date and the time.")
        return None
    try:
        return local_to_utc(day, clock, tz, field=name)
    except (NonexistentLocalTime, AmbiguousLocalTime) as exc:
        errors[name] = exc.message
        return None


def read_slot(values: dict[str, str], tz: str, *, field_name: str = "start") -> Slot:
    """One slot from ``date``, ``time``, ``duration_minutes`` and ``buffer_minutes``."""
    errors: dict[str, str] = {}
    start = _start(values.get("date", ""), values.get("time", ""), tz, field_name, errors)
    duration = _minutes(
        values.get("duration_minutes", ""), RULES.duration_minutes, 15, 240, "duration_minutes", errors
    )
    buffer = _minutes(
        values.get("buffer_minutes", ""), RULES.buffer_minutes, 0, 120, "buffer_minutes", errors
    )
    if errors or start is None:
        raise InvalidInput(fields=errors)
    return Slot(start, duration, buffer)


def read_offer(values: dict[str, str], tz: str) -> list[Slot]:
    """The filled rows of the offer form (empty rows are skipped)."""
    errors: dict[str, str] = {}
    duration = _minutes(
        values.get("duration_minutes", ""), RULES.duration_minutes, 15, 240, "duration_minutes", errors
    )
    buffer = _minutes(
        values.get("buffer_minutes", ""), RULES.buffer_minutes, 0, 120, "buffer_minutes", errors
    )
    slots: list[Slot] = []
    for i in range(MAX_OFFERS):
        day, clock = values.get(f"date-{i}", ""), values.get(f"time-{i}", "")
        if not day.strip() and not clock.strip():
            continue
        start = _start(day, clock, tz, f"slot-{i}", errors)
        if start is not None:
            slots.append(Slot(start, duration, buffer))
    if errors:
        raise InvalidInput(fields=errors)
    return slots
