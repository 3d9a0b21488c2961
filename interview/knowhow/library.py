"""Reading the library: published tips by category and industry, Korean search, tips for a question.

Everyone who is logged in reads published tips. Filters are checked (an unknown category or
industry, or a query over 100 characters, is a field error). Search ranks by :func:`search.score`;
a query that Kiwi reduces to nothing (a lone syllable) falls back to plain text matching.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.db import Sessions
from core.i18n import N_
from interview.knowhow.errors import InvalidTip
from interview.knowhow.models import Tip, TipStatus
from interview.knowhow.search import query_weights, score
from interview.knowhow.service import views_of
from interview.knowhow.tags import CATEGORY_LABELS, INDUSTRIES
from interview.knowhow.views import TipView
from interview.practice import bank
from interview.practice.questions import Question

QUERY_MAX = 100
#: the industry a job-family question belongs to (role questions show that industry's tips too)
ROLE_INDUSTRY = {
    "quality_control": "manufacturing",
    "production": "manufacturing",
    "logistics": "logistics",
    "accounting": "office",
    "sales": "retail",
    "facility_security": "facility",
    "driving": "transport",
    "care": "care",
    "it_office": "office",
    "construction_safety": "construction",
}


@dataclass(frozen=True, slots=True)
class Filters:
    query: str = ""
    category: str = ""
    industry: str = ""  #: "" is any industry


def parse_filters(query: object = "", category: object = "", industry: object = "") -> Filters:
    q, c, i = ((v.strip() if isinstance(v, str) else "") for v in (query, category, industry))
    fields: dict[str, str] = {}
    if len(q) > QUERY_MAX:
        fields["q"] = N_("Please search with up to 100 characters.")
    if c and c not in CATEGORY_LABELS:
        fields["category"] = N_("Please choose a question type from the list.")
    if i not in INDUSTRIES:
        fields["industry"] = N_("Please choose an industry from the list.")
    if fields:
        raise InvalidTip(fields=fields)
    return Filters(q, c, i)


async def _published(sessions: Sessions, category: str = "", industries: tuple[str, ...] = ()) -> list[Tip]:
    stmt = select(Tip).where(Tip.status == TipStatus.PUBLISHED)
    if category:
        stmt = stmt.where(Tip.category == category)
    if industries:
        stmt = stmt.where(Tip.industry.in_(industries))
    async with sessions() as session:
        return list((await session.scalars(stmt.order_by(Tip.created_at.desc(), Tip.id.desc()))).all())


async def _ranked(
    sessions: Sessions, tips: list[Tip], query_terms: dict[str, float], limit: int
) -> list[TipView]:
    ranked = sorted(
        ((score(query_terms, t.terms), i, t) for i, t in enumerate(tips)), key=lambda x: (-x[0], x[1])
    )
    ids = [t.id for s, _, t in ranked if s > 0][:limit]
    return await _in_order(sessions, ids)


async def _in_order(sessions: Sessions, ids: list[int]) -> list[TipView]:
    if not ids:
        return []
    views = {v.id: v for v in await views_of(sessions, select(Tip).where(Tip.id.in_(ids)))}
    return [views[i] for i in ids if i in views]


async def browse(sessions: Sessions, filters: Filters, limit: int = 50) -> list[TipView]:
    """Published tips of a category and industry (a tip for every industry is in each industry),
    newest first; with a query, the ones that match it, best first."""
    industries = (filters.industry, "") if filters.industry else ()
    tips = await _published(sessions, filters.category, industries)
    if not filters.query:
        return await _in_order(sessions, [t.id for t in tips[:limit]])
    query_terms = await query_weights(filters.query)
    if not query_terms:
        needle = filters.query.casefold()
        found = [t.id for t in tips if needle in t.title.casefold() or needle in t.body.casefold()]
        return await _in_order(sessions, found[:limit])
    return await _ranked(sessions, tips, query_terms, limit)


async def for_question(
    sessions: Sessions, question_id: str, limit: int = 20
) -> tuple[Question, list[TipView]]:
    """The question and the published tips of its category (and its job's industry, for a role
    question), those that speak of the question's words first."""
    question = bank.to_question(await bank.get_row(sessions, question_id))
    industries: tuple[str, ...] = ()
    if question.category == "role" and question.role in ROLE_INDUSTRY:
        industries = (ROLE_INDUSTRY[question.role], "")
    tips = await _published(sessions, question.category, industries)
    query_terms = await query_weights(question.text_ko, " ".join(question.keywords_ko))
    ranked = sorted(
        ((score(query_terms, t.terms), i, t) for i, t in enumerate(tips)), key=lambda x: (-x[0], x[1])
    )
    return question, await _in_order(sessions, [t.id for _, _, t in ranked[:limit]])


async def published_tip(sessions: Sessions, tip_id: int) -> TipView | None:
    views = await views_of(sessions, select(Tip).where(Tip.id == tip_id, Tip.status == TipStatus.PUBLISHED))
    return views[0] if views else None
