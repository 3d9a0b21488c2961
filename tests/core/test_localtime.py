"""Times shown the Korean way: fixed instants in UTC, read in Seoul (and elsewhere)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.accounts import DEFAULT_TIME_ZONE
from core.localtime import (
    COMMON_ZONES,
    DEFAULT_ZONE,
    AmbiguousLocalTime,
    NonexistentLocalTime,
    format_clock,
    format_date,
    format_day,
    format_month_day,
    format_when,
    is_valid_zone,
    local_to_utc,
    to_local,
    zone,
)

SEOUL = "Asia/Seoul"
LA = "America/Los_Angeles"
NOW = datetime(2026, 12, 1, 0, 35, tzinfo=UTC)  # 2026-12-01 09:35 in Seoul


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_the_issue_instant_in_seoul() -> None:
    at = utc(2026, 12, 3, 4, 45)
    assert format_when(at, SEOUL, "ko", now=NOW) == "12월 3일 (목) 오후 1:45"
    assert format_day(at, SEOUL, "ko", now=NOW) == "12월 3일 (목)"
    assert format_clock(at, SEOUL, "ko") == "오후 1:45"
    assert format_month_day(at, SEOUL, "ko") == "12월 3일"


def test_english_forms() -> None:
    at = utc(2026, 12, 3, 4, 45)
    assert format_when(at, SEOUL, "en", now=NOW) == "Thu, Dec 3, 1:45 PM"
    assert format_day(at, SEOUL, "en", now=NOW) == "Thu, Dec 3"
    assert format_clock(at, SEOUL, "en") == "1:45 PM"
    assert format_when(utc(2027, 1, 5, 1, 0), SEOUL, "en", now=NOW) == "Tue, Jan 5, 2027, 10:00 AM"


def test_practice_history_example_moves_to_the_next_day_in_seoul() -> None:
    # "11.30 22:35" in UTC is the morning of December 1st in Seoul
    at = utc(2026, 11, 30, 22, 35)
    assert format_when(at, SEOUL, "ko", now=NOW) == "12월 1일 (화) 오전 7:35"


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2026, 12, 2, 15, 0), "12월 3일 (목) 오전 12:00"),  # midnight in Seoul
        (utc(2026, 12, 3, 2, 59), "12월 3일 (목) 오전 11:59"),
        (utc(2026, 12, 3, 3, 0), "12월 3일 (목) 오후 12:00"),  # noon
        (utc(2026, 12, 3, 3, 1), "12월 3일 (목) 오후 12:01"),
        (utc(2026, 12, 3, 14, 59), "12월 3일 (목) 오후 11:59"),
    ],
)
def test_midnight_noon_and_the_am_pm_boundaries(at: datetime, expected: str) -> None:
    assert format_when(at, SEOUL, "ko", now=NOW) == expected


def test_the_year_is_shown_only_when_it_is_not_this_year_in_that_zone() -> None:
    assert format_when(utc(2027, 1, 5, 1, 0), SEOUL, "ko", now=NOW) == "2027년 1월 5일 (화) 오전 10:00"
    assert format_day(utc(2025, 6, 1, 3, 0), SEOUL, "ko", now=NOW) == "2025년 6월 1일 (일)"
    # New Year's Eve 16:00 UTC is already 2027 in Seoul; "now" is still 2026 there
    assert format_when(utc(2026, 12, 31, 16, 0), SEOUL, "ko", now=NOW) == "2027년 1월 1일 (금) 오전 1:00"
    # ... and once it is 2027 in Seoul, the same instant needs no year, though it is 2026 in UTC
    new_year = utc(2026, 12, 31, 15, 30)
    assert format_when(utc(2026, 12, 31, 16, 0), SEOUL, "ko", now=new_year) == "1월 1일 (금) 오전 1:00"


def test_plain_dates_are_not_moved_between_zones() -> None:
    assert format_day(date(2026, 12, 3), SEOUL, "ko", now=NOW) == "12월 3일 (목)"
    assert format_day(date(2026, 12, 3), LA, "ko", now=NOW) == "12월 3일 (목)"
    assert format_day(date(2027, 3, 2), SEOUL, "ko", now=NOW) == "2027년 3월 2일 (화)"


def test_naive_times_are_read_as_utc() -> None:
    assert format_clock(datetime(2026, 12, 3, 4, 45), SEOUL, "ko") == "오후 1:45"


def test_los_angeles_across_daylight_saving() -> None:
    # 2026: PDT until 1 November 02:00 local, then PST (UTC-8)
    assert format_when(utc(2026, 10, 31, 19, 0), LA, "ko", now=NOW) == "10월 31일 (토) 오후 12:00"
    assert format_when(utc(2026, 12, 3, 4, 45), LA, "ko", now=NOW) == "12월 2일 (수) 오후 8:45"
    assert format_when(utc(2026, 12, 3, 4, 45), LA, "en", now=NOW) == "Wed, Dec 2, 8:45 PM"
    # the hour that happens twice: 1:30 PDT, then 1:30 PST an hour later
    assert format_clock(utc(2026, 11, 1, 8, 30), LA, "ko") == "오전 1:30"
    assert format_clock(utc(2026, 11, 1, 9, 30), LA, "ko") == "오전 1:30"


def test_local_to_utc_in_seoul() -> None:
    assert local_to_utc(date(2026, 12, 3), time(13, 45), SEOUL) == utc(2026, 12, 3, 4, 45)
    assert local_to_utc(date(2026, 12, 3), time(0, 0), SEOUL) == utc(2026, 12, 2, 15, 0)
    # Seoul has no daylight saving: every local time exists exactly once
    assert local_to_utc(date(2026, 3, 8), time(2, 30), SEOUL) == utc(2026, 3, 7, 17, 30)


def test_local_to_utc_refuses_a_time_skipped_by_daylight_saving() -> None:
    # 8 March 2026 in Los Angeles: 02:00 jumps to 03:00
    with pytest.raises(NonexistentLocalTime) as info:
        local_to_utc(date(2026, 3, 8), time(2, 30), LA, field="start")
    assert info.value.fields == {"start": NonexistentLocalTime.message}
    assert local_to_utc(date(2026, 3, 8), time(3, 0), LA) == utc(2026, 3, 8, 10, 0)


def test_local_to_utc_refuses_a_time_that_happens_twice() -> None:
    # 1 November 2026 in Los Angeles: 01:00–02:00 happens twice
    with pytest.raises(AmbiguousLocalTime) as info:
        local_to_utc(date(2026, 11, 1), time(1, 30), LA)
    assert "time" in info.value.fields
    assert local_to_utc(date(2026, 11, 1), time(2, 30), LA) == utc(2026, 11, 1, 10, 30)


def test_round_trip_through_the_readers_zone() -> None:
    at = utc(2026, 12, 3, 4, 45)
    local = to_local(at, "America/New_York")
    assert (local.hour, local.minute) == (23, 45)
    assert local_to_utc(local.date(), local.time(), "America/New_York") == at


def test_zones() -> None:
    assert DEFAULT_ZONE == DEFAULT_TIME_ZONE == COMMON_ZONES[0] == "Asia/Seoul"
    assert all(is_valid_zone(name) for name in COMMON_ZONES)
    assert not is_valid_zone("Mars/Olympus")
    assert not is_valid_zone("../../etc/passwd")
    assert not is_valid_zone(None)
    assert zone(None) == zone("") == zone("Mars/Olympus") == ZoneInfo("Asia/Seoul")
    assert zone("America/New_York") == ZoneInfo("America/New_York")


def test_unknown_language_falls_back_to_korean() -> None:
    assert format_clock(utc(2026, 12, 3, 4, 45), SEOUL, "fr") == "오후 1:45"


def test_a_plain_date_always_has_its_year() -> None:
    """A match's reasons name dates so: the same text whenever and wherever it is read."""
    assert format_date(date(2026, 12, 8), "ko") == "2026년 12월 8일"
    assert format_date(date(2027, 1, 5), "en") == "Jan 5, 2027"
    assert format_date(date(2026, 3, 1), "fr") == "2026년 3월 1일"  # an unknown language reads Korean
