"""Practising for one matched posting: which postings a senior can pick, and their job family.

The matching package does not tag postings with a job family, so the family whose role
questions fit a posting is read from its title and duties with a small keyword table
(Korean and English). A posting that fits no family gets the general and senior questions only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, exists, or_, select

from core.accounts import Role, User
from core.db import Sessions
from matching.models import Company, InterviewRequest, Posting, PostingStatus, VettingStatus

#: job family -> words in a posting's title or duties that point to it
FAMILY_WORDS: dict[str, tuple[str, ...]] = {
    "quality_control": ("품질", "검사", "불량", "QC", "quality", "inspection"),
    "production": ("생산", "제조", "조립", "가공", "설비 운전", "production", "manufactur", "assembly"),
    "logistics": ("물류", "창고", "입출고", "재고", "지게차", "logistic", "warehouse", "inventory"),
    "accounting": ("회계", "경리", "재무", "세무", "결산", "account", "bookkeep", "finance"),
    "sales": ("영업", "판매", "거래처", "고객 관리", "sales", "customer account"),
    "facility_security": ("시설", "경비", "보안", "건물 관리", "facility", "security", "guard"),
    "driving": ("운전", "배송", "기사", "운송", "driver", "driving", "delivery"),
    "care": ("요양", "돌봄", "간병", "복지", "care", "caregiver", "nursing"),
    "it_office": ("사무", "행정", "전산", "IT", "총무", "office", "admin", "computer"),
    "construction_safety": ("건설", "안전 관리", "현장", "시공", "construction", "safety"),
}


@dataclass(frozen=True, slots=True)
class PostingChoice:
    id: int
    title: str
    company: str
    family: str | None


#: the largest id a 64-bit integer column holds
MAX_ID = 2**63 - 1


def job_family(title: str, duties: str = "") -> str | None:
    """The family whose words appear most in the posting (title words count double)."""
    best, best_score = None, 0
    low_title, low_duties = title.lower(), duties.lower()
    for family, words in FAMILY_WORDS.items():
        score = 0
        for w in words:
            lw = w.lower()
            score += 2 * low_title.count(lw) + low_duties.count(lw)
        if score > best_score:
            best, best_score = family, score
    return best


async def posting_choices(sessions: Sessions, senior_id: int, limit: int = 6) -> list[PostingChoice]:
    """Postings the senior asked to interview for (or was asked for) first, then open postings of
    approved companies, newest first."""
    async with sessions() as session:
        requested = (
            await session.execute(
                select(Posting, Company.name)
                .join(InterviewRequest, InterviewRequest.posting_id == Posting.id)
                .join(Company, Company.id == Posting.company_id)
                .where(InterviewRequest.senior_id == senior_id)
                .order_by(InterviewRequest.created_at.desc())
                .limit(limit)
            )
        ).all()
        seen = {p.id for p, _ in requested}
        rest = (
            await session.execute(
                select(Posting, Company.name)
                .join(Company, Company.id == Posting.company_id)
                .where(Posting.status == PostingStatus.OPEN, Company.status == VettingStatus.APPROVED)
                .order_by(Posting.created_at.desc())
                .limit(limit)
            )
        ).all()
    rows = list(requested) + [r for r in rest if r[0].id not in seen]
    return [PostingChoice(p.id, p.title, name, job_family(p.title, p.duties)) for p, name in rows[:limit]]


async def get_posting(sessions: Sessions, senior: User, posting_id: int) -> PostingChoice | None:
    """The posting to practise for, if ``senior`` may see it: an open posting of an approved company, or one
    the senior asked to interview for (or was asked for). Anything else, another role, or an id no row can
    have is None, so a hidden posting's title never shows."""
    if senior.role is not Role.SENIOR or not 0 < posting_id <= MAX_ID:
        return None
    requested = select(InterviewRequest.id).where(
        InterviewRequest.posting_id == Posting.id, InterviewRequest.senior_id == senior.id
    )
    async with sessions() as session:
        row = (
            await session.execute(
                select(Posting, Company.name)
                .join(Company, Company.id == Posting.company_id)
                .where(
                    Posting.id == posting_id,
                    or_(
                        and_(Posting.status == PostingStatus.OPEN, Company.status == VettingStatus.APPROVED),
                        exists(requested),
                    ),
                )
            )
        ).first()
    if row is None:
        return None
    p, name = row
    return PostingChoice(p.id, p.title, name, job_family(p.title, p.duties))
