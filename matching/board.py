"""The public progress board's numbers (채용진행현황): interviews held and hires made, per month and per
industry, counted from the pairs' recorded steps (:class:`~matching.models.PairEvent`).

An interview held is a step to ``interviewed`` (a live room that ended, or a scheduler's record); a
hire is a step to ``hired``. Months are calendar months in the board's zone (Asia/Seoul). Nothing
here names a person or a company: the board is public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core.clock import utcnow
from core.db import Sessions
from core.localtime import DEFAULT_ZONE
from matching.models import Company, InterviewRequest, PairEvent, Posting, Stage

MONTHS = 12


@dataclass(frozen=True, slots=True)
class MonthCount:
    year: int
    month: int
    interviews: int = 0
    hires: int = 0


@dataclass(frozen=True, slots=True)
class IndustryCount:
    industry: str  #: the company's industry as it typed it; "" when it gave none
    interviews: int = 0
    hires: int = 0


@dataclass(frozen=True, slots=True)
class Progress:
    months: list[MonthCount]  #: oldest first, every month of the window (zeros included)
    industries: list[IndustryCount]  #: most interviews first
    interviews: int
    hires: int


def _month_starts(now: datetime, zone: ZoneInfo, months: int) -> list[tuple[int, int]]:
    local = now.astimezone(zone)
    year, month = local.year, local.month
    out = []
    for _ in range(months):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


async def progress(
    sessions: Sessions, *, now: datetime | None = None, months: int = MONTHS, tz: str = DEFAULT_ZONE
) -> Progress:
    """Interviews held and hires made in the last ``months`` calendar months (this one included)."""
    zone = ZoneInfo(tz)
    window = _month_starts(now or utcnow(), zone, months)
    first_year, first_month = window[0]
    start = datetime(first_year, first_month, 1, tzinfo=zone).astimezone(UTC)
    async with sessions() as session:
        rows = (
            await session.execute(
                select(PairEvent.to_stage, PairEvent.created_at, Company.industry)
                .join(InterviewRequest, InterviewRequest.id == PairEvent.pair_id)
                .join(Posting, Posting.id == InterviewRequest.posting_id)
                .join(Company, Company.id == Posting.company_id)
                .where(
                    PairEvent.to_stage.in_((Stage.INTERVIEWED, Stage.HIRED)), PairEvent.created_at >= start
                )
            )
        ).all()
    by_month: dict[tuple[int, int], list[int]] = {key: [0, 0] for key in window}
    by_industry: dict[str, list[int]] = {}
    for stage, at, industry in rows:
        local = at.astimezone(zone)
        slot = 0 if stage == Stage.INTERVIEWED else 1
        if (local.year, local.month) in by_month:
            by_month[(local.year, local.month)][slot] += 1
            counts = by_industry.setdefault((industry or "").strip(), [0, 0])
            counts[slot] += 1
    month_counts = [MonthCount(y, m, *by_month[(y, m)]) for y, m in window]
    industries = sorted(
        (IndustryCount(name, i, h) for name, (i, h) in by_industry.items()),
        key=lambda c: (-c.interviews, -c.hires, c.industry == "", c.industry),
    )
    return Progress(
        month_counts,
        industries,
        sum(c.interviews for c in month_counts),
        sum(c.hires for c in month_counts),
    )
