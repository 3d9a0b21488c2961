"""The admin's "new interview room" form: choices to offer, and reading what was typed.

Dates and times are typed in the admin's zone (Asia/Seoul unless they chose another) and stored
in UTC; every refusal is an English msgid shown beside its field in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from core.accounts import Role, active_users
from core.clock import utcnow
from core.db import Sessions
from core.errors import InvalidInput
from core.i18n import N_
from core.localtime import DEFAULT_ZONE, AmbiguousLocalTime, NonexistentLocalTime, local_to_utc
from matching.records import recent_postings

FIELDS = ("candidate_id", "posting_id", "date", "time", "duration_minutes", "opens_before_minutes")


@dataclass
class Choice:
    value: str
    label: str


@dataclass
class RoomChoices:
    candidates: list[Choice] = field(default_factory=list)
    interviewers: list[Choice] = field(default_factory=list)
    postings: list[Choice] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class NewRoom:
    candidate_id: int
    posting_id: int
    interviewer_ids: list[int]
    start: datetime
    duration_minutes: int
    opens_before_minutes: int


async def room_choices(sessions: Sessions) -> RoomChoices:
    """Active seniors, active company accounts and the latest postings, by name."""
    out = RoomChoices()
    for u in await active_users(sessions, (Role.SENIOR, Role.COMPANY)):
        target = out.candidates if u.role == Role.SENIOR else out.interviewers
        target.append(Choice(str(u.id), f"{u.name} ({u.email})"))
    out.postings = [Choice(str(pid), f"{pid}. {title}") for pid, title in await recent_postings(sessions)]
    return out


def _int(raw: str, lo: int, hi: int) -> int | None:
    try:
        value = int(raw.strip())
    except ValueError:
        return None
    return value if lo <= value <= hi else None


def read_new_room(
    values: dict[str, str],
    interviewer_values: list[str],
    now: datetime | None = None,
    tz: str = DEFAULT_ZONE,
) -> NewRoom:
    """Parse the form (date and time read in ``tz``); :class:`InvalidInput` with one message per bad field."""
    errors: dict[str, str] = {}
    candidate = _int(values.get("candidate_id", ""), 1, 2**31 - 1)
    if candidate is None:
        errors["candidate_id"] = N_("Please choose the candidate.")
    posting = _int(values.get("posting_id", "") or "0", 0, 2**31 - 1)
    if posting is None:
        errors["posting_id"] = N_("Please choose a job posting.")
    interviewers = [i for i in (_int(v, 1, 2**31 - 1) for v in interviewer_values[:20]) if i is not None]
    if not interviewers:
        errors["interviewer_ids"] = N_("Please choose at least one interviewer.")
    start: datetime | None = None
    try:
        day = date.fromisoformat(values.get("date", "").strip())
        clock = time.fromisoformat(values.get("time", "").strip())
        start = local_to_utc(day, clock.replace(second=0, microsecond=0), tz, field="date")
    except ValueError:
        errors["date"] = N_("Please enter the date and time of the interview.")
    except (NonexistentLocalTime, AmbiguousLocalTime) as exc:
        errors["date"] = exc.message
    if start is not None and start < (now or utcnow()).replace(second=0, microsecond=0):
        errors["date"] = N_("The interview cannot start in the past.")
    duration = _int(values.get("duration_minutes", ""), 5, 480)
    if duration is None:
        errors["duration_minutes"] = N_("An interview lasts between 5 minutes and 8 hours.")
    opens = _int(values.get("opens_before_minutes", ""), 0, 120)
    if opens is None:
        errors["opens_before_minutes"] = N_("The room opens at most 2 hours before the start.")
    if errors:
        raise InvalidInput(fields=errors)
    assert candidate is not None and posting is not None and start is not None
    assert duration is not None and opens is not None
    return NewRoom(candidate, posting, interviewers, start, duration, opens)
