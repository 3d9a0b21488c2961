"""Coach review: timestamped comments on one answer and know-how tips on a shared session.

Only the coach a senior shared the session with may write; the senior reads them on the
session's result page. Sharing is withdrawn by the senior at any time; the comments stay
with the session (and go when it is deleted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from core.accounts import Role, User
from core.db import Sessions, transaction
from core.i18n import N_
from interview.practice.errors import InvalidComment, PracticeSessionNotFound, TakeNotFound
from interview.practice.models import CoachComment, PracticeSession, PracticeTake

KINDS = ("comment", "tip")
MAX_BODY = 2000
_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)\s*$")


@dataclass(frozen=True, slots=True)
class CommentView:
    id: int
    take_id: int | None
    kind: str
    at_seconds: float | None
    body: str
    coach_name: str


def parse_clock(text: str) -> float | None:
    """``"1:05"`` -> 65.0; empty -> None; anything else is an error."""
    if not text.strip():
        return None
    m = _CLOCK.match(text)
    if not m:
        raise InvalidComment(fields={"at": N_("Please write the moment as minutes:seconds, like 1:05.")})
    return int(m.group(1)) * 60 + int(m.group(2))


async def add_comment(
    sessions: Sessions,
    coach: User,
    session_id: int,
    *,
    kind: str,
    body: str,
    take_id: int | None = None,
    at: str = "",
) -> CoachComment:
    body = body.strip()
    if kind not in KINDS or not body or len(body) > MAX_BODY:
        raise InvalidComment()
    at_seconds = parse_clock(at) if kind == "comment" else None
    async with transaction(sessions) as session:
        row = await session.get(PracticeSession, session_id)
        if row is None or coach.role != Role.COACH or row.shared_coach_id != coach.id:
            raise PracticeSessionNotFound()
        if take_id is not None:
            take = await session.get(PracticeTake, take_id)
            if take is None or take.session_id != session_id:
                raise TakeNotFound()
        comment = CoachComment(
            session_id=session_id,
            take_id=take_id if kind == "comment" else None,
            coach_id=coach.id,
            kind=kind,
            at_seconds=at_seconds,
            body=body,
        )
        session.add(comment)
    return comment


async def comments_of(sessions: Sessions, session_id: int) -> list[CommentView]:
    async with sessions() as session:
        rows = await session.execute(
            select(CoachComment, User.name)
            .outerjoin(User, User.id == CoachComment.coach_id)
            .where(CoachComment.session_id == session_id)
            .order_by(CoachComment.created_at, CoachComment.id)
        )
        return [
            CommentView(c.id, c.take_id, c.kind, c.at_seconds, c.body, name or "") for c, name in rows.all()
        ]
