"""The board's numbers on SQLite and PostgreSQL: interviews held and hires per month (Seoul's calendar)
and per industry, from the pairs' recorded steps, with known data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.accounts import Role
from core.db import Sessions
from matching import board
from matching.board import IndustryCount, MonthCount
from matching.models import Stage
from tests.interview.rooms.conftest import make_user
from tests.matching.factory import make_pair

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 15, 3, 0, tzinfo=UTC)


async def test_interviews_and_hires_per_month_and_industry(sessions: Sessions) -> None:
    senior = await make_user(sessions, "senior@example.com", "김영수", Role.SENIOR)
    owner = await make_user(sessions, "boss@example.com", "박사장", Role.COMPANY)

    async def pair(stage: Stage, at: datetime, industry: str) -> None:
        await make_pair(sessions, senior, owner, stage=stage, at=at, industry=industry)

    await pair(Stage.INTERVIEWED, datetime(2026, 3, 2, 5, 0, tzinfo=UTC), "제조")
    # 2026-02-28 16:00 UTC is 1 March, 01:00 in Seoul: a March interview
    await pair(Stage.INTERVIEWED, datetime(2026, 2, 28, 16, 0, tzinfo=UTC), "제조")
    await pair(Stage.HIRED, datetime(2026, 2, 10, 1, 0, tzinfo=UTC), "물류")  # interviewed and hired
    await pair(Stage.DECLINED, datetime(2025, 6, 5, 1, 0, tzinfo=UTC), "")  # requested, then declined
    await pair(Stage.SCHEDULED, datetime(2026, 3, 1, 1, 0, tzinfo=UTC), "제조")  # not held yet
    await pair(
        Stage.HIRED, datetime(2025, 3, 31, 14, 0, tzinfo=UTC), "물류"
    )  # 31 March 2025 in Seoul: too old

    got = await board.progress(sessions, now=NOW)
    assert len(got.months) == 12
    assert got.months[0] == MonthCount(2025, 4, 0, 0) and got.months[-1] == MonthCount(2026, 3, 2, 0)
    assert got.months[-2] == MonthCount(2026, 2, 1, 1)
    assert sum(m.interviews for m in got.months[:-2]) == 0
    assert (got.interviews, got.hires) == (3, 1)
    assert got.industries == [IndustryCount("제조", 2, 0), IndustryCount("물류", 1, 1)]
    empty = await board.progress(sessions, now=datetime(2030, 1, 1, tzinfo=UTC))
    assert (empty.interviews, empty.hires, empty.industries) == (0, 0, [])
