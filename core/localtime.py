"""Times as people read them: stored in UTC, shown in the reader's zone, in Korean (or English) form.

Every page, e-mail and calendar invite formats times through this module, so a time reads the same
everywhere::

    format_when(dt, "Asia/Seoul", "ko")  # "12월 3일 (목) 오후 1:45" (with the year when not this year)
    format_day(dt, "Asia/Seoul", "ko")   # "12월 3일 (목)"
    format_clock(dt, "Asia/Seoul", "ko") # "오후 1:45"
    format_date(day, "ko")               # "2026년 12월 8일" (a date that is kept: always the year)
    format_when(dt, "Asia/Seoul", "en")  # "Thu, Dec 3, 1:45 PM"

The other way, for forms: :func:`local_to_utc` turns a date and a time typed in the reader's zone
into UTC, refusing a local time that does not exist (skipped by a daylight-saving change) or that
happens twice (repeated by one). Asia/Seoul has no daylight saving; people abroad may.

Formatting is Babel's (CLDR weekday names and 오전/오후), with our own patterns.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_datetime

from core.clock import utcnow
from core.errors import InvalidInput
from core.i18n import N_

__all__ = [
    "AmbiguousLocalTime",
    "COMMON_ZONES",
    "DEFAULT_ZONE",
    "NonexistentLocalTime",
    "format_clock",
    "format_date",
    "format_day",
    "format_month_day",
    "format_when",
    "is_valid_zone",
    "local_to_utc",
    "preload",
    "to_local",
    "zone",
]

#: the zone of a visitor, and of every account until its owner picks another
DEFAULT_ZONE = "Asia/Seoul"

#: the zones offered on the settings page, Korea first, then where Korean seniors most often live abroad
COMMON_ZONES: tuple[str, ...] = (
    "Asia/Seoul",
    "Asia/Tokyo",
    "Asia/Shanghai",
    "Asia/Ho_Chi_Minh",
    "Asia/Singapore",
    "Australia/Sydney",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Pacific/Honolulu",
    "UTC",
)

#: Babel patterns per language: (with time, with time and year, day, day and year, time, month and day)
_PATTERNS: dict[str, dict[str, str]] = {
    "ko": {
        "when": "M월 d일 (E) a h:mm",
        "when_year": "y년 M월 d일 (E) a h:mm",
        "day": "M월 d일 (E)",
        "day_year": "y년 M월 d일 (E)",
        "clock": "a h:mm",
        "month_day": "M월 d일",
        "date": "y년 M월 d일",
    },
    "en": {
        "when": "EEE, MMM d, h:mm a",
        "when_year": "EEE, MMM d, y, h:mm a",
        "day": "EEE, MMM d",
        "day_year": "EEE, MMM d, y",
        "clock": "h:mm a",
        "month_day": "MMM d",
        "date": "MMM d, y",
    },
}


class NonexistentLocalTime(InvalidInput):
    code = "nonexistent_local_time"
    message = N_("This time does not exist on that day in your time zone (the clocks move forward).")


class AmbiguousLocalTime(InvalidInput):
    code = "ambiguous_local_time"
    message = N_("This time happens twice on that day in your time zone (the clocks move back).")


def preload() -> None:
    """Read now what the formatting functions would otherwise read from disk on first use (zone files,
    the list of zones, Babel's Korean and English data), so no request reads a file on the event loop."""
    _known_zones()
    for name in COMMON_ZONES:
        _zone(name)
    for lang in _PATTERNS:
        format_when(utcnow(), DEFAULT_ZONE, lang)
        format_day(utcnow().date(), DEFAULT_ZONE, lang)


def is_valid_zone(name: object) -> bool:
    """Whether ``name`` is an IANA zone this machine knows (``"Asia/Seoul"``, ``"UTC"``)."""
    return isinstance(name, str) and name in _known_zones()


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone(name: str | ZoneInfo | None) -> ZoneInfo:
    """The zone called ``name``; Asia/Seoul for None, an empty name or one this machine does not know."""
    if isinstance(name, ZoneInfo):
        return name
    if name and is_valid_zone(name):
        try:
            return _zone(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return _zone(DEFAULT_ZONE)


def _lang(lang: str | None) -> str:
    return lang if lang in _PATTERNS else "ko"


def _aware(value: datetime) -> datetime:
    """A stored time is UTC; one that lost its zone (SQLite) is taken as UTC too."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def to_local(value: datetime, tz: str | ZoneInfo | None) -> datetime:
    """``value`` (UTC, or naive meaning UTC) as a wall-clock time in ``tz``."""
    return _aware(value).astimezone(zone(tz))


def _local_day(value: datetime | date, zi: ZoneInfo) -> datetime:
    """A time moved into ``zi``; a plain date (a closing day, a visit day) stays the day it is."""
    if isinstance(value, datetime):
        return to_local(value, zi)
    return datetime.combine(value, time(12), tzinfo=zi)


def _this_year(local: datetime | date, tz: ZoneInfo, now: datetime | None) -> bool:
    return local.year == to_local(now or utcnow(), tz).year


def format_when(
    value: datetime, tz: str | ZoneInfo | None, lang: str | None = "ko", *, now: datetime | None = None
) -> str:
    """Date, weekday and time in ``tz``: ``12월 3일 (목) 오후 1:45``; the year leads if not this year."""
    zi, patterns = zone(tz), _PATTERNS[_lang(lang)]
    local = to_local(value, zi)
    pattern = patterns["when"] if _this_year(local, zi, now) else patterns["when_year"]
    return format_datetime(local, pattern, tzinfo=zi, locale=_lang(lang))


def format_day(
    value: datetime | date,
    tz: str | ZoneInfo | None,
    lang: str | None = "ko",
    *,
    now: datetime | None = None,
) -> str:
    """Date and weekday: ``12월 3일 (목)``. A ``date`` (a closing day, a visit day) is shown as it is."""
    zi, patterns = zone(tz), _PATTERNS[_lang(lang)]
    local = _local_day(value, zi)
    pattern = patterns["day"] if _this_year(local, zi, now) else patterns["day_year"]
    return format_datetime(local, pattern, tzinfo=zi, locale=_lang(lang))


def format_clock(value: datetime, tz: str | ZoneInfo | None, lang: str | None = "ko") -> str:
    """The time of day in ``tz``: ``오후 1:45``."""
    zi, lang = zone(tz), _lang(lang)
    return format_datetime(to_local(value, zi), _PATTERNS[lang]["clock"], tzinfo=zi, locale=lang)


def format_month_day(value: datetime | date, tz: str | ZoneInfo | None, lang: str | None = "ko") -> str:
    """The shortest date, for chart labels: ``12월 3일``."""
    zi, lang = zone(tz), _lang(lang)
    local = _local_day(value, zi)
    return format_datetime(local, _PATTERNS[lang]["month_day"], tzinfo=zi, locale=lang)


def format_date(value: date, lang: str | None = "ko") -> str:
    """A calendar date with its year and no weekday, the same whenever it is read (text that is kept,
    like a match's reasons): ``2026년 12월 8일``, ``Dec 8, 2026``."""
    lang = _lang(lang)
    return format_datetime(datetime.combine(value, time(12)), _PATTERNS[lang]["date"], locale=lang)


def local_to_utc(day: date, clock: time, tz: str | ZoneInfo | None, *, field: str = "time") -> datetime:
    """The UTC instant of ``day`` at ``clock`` on the wall clocks of ``tz``.

    Raises :class:`NonexistentLocalTime` for a time skipped by a daylight-saving change and
    :class:`AmbiguousLocalTime` for one that happens twice, each with its message on ``field``.
    """
    zi = zone(tz)
    naive = datetime.combine(day, clock.replace(tzinfo=None))
    first, second = naive.replace(tzinfo=zi, fold=0), naive.replace(tzinfo=zi, fold=1)
    # a skipped time does not survive the round trip through UTC
    if first.astimezone(UTC).astimezone(zi).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(fields={field: NonexistentLocalTime.message})
    if first.utcoffset() != second.utcoffset():
        raise AmbiguousLocalTime(fields={field: AmbiguousLocalTime.message})
    return first.astimezone(UTC)
