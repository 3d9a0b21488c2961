"""Tips as pages show them: a coach's with the coach's name, a hired senior's without any name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from interview.knowhow.models import AuthorKind, Tip, TipStatus


@dataclass(frozen=True, slots=True)
class TipView:
    id: int
    title: str
    body: str
    category: str
    industry: str
    author_kind: AuthorKind
    #: the coach's name; always "" for a senior's tip (shown as "a hired job seeker")
    author_name: str
    status: TipStatus
    created_at: datetime
    author_id: int | None = None


def to_view(tip: Tip, coach_name: str | None) -> TipView:
    name = (coach_name or "") if tip.author_kind == AuthorKind.COACH else ""
    return TipView(
        tip.id,
        tip.title,
        tip.body,
        tip.category,
        tip.industry,
        tip.author_kind,
        name,
        tip.status,
        tip.created_at,
        tip.author_id,
    )
