"""Library tips a coach attaches to the review of one practice answer.

Only the coach the senior shared the session with attaches or removes a tip, and only a published
one; the senior (and that coach) read them beside the answer. Anyone else learns nothing: the take
is 'not found'. An attachment goes with its take (``ON DELETE CASCADE``), and a tip an admin hides
stops showing beside answers too.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from core.accounts import Role, User
from core.db import Sessions, transaction
from interview.knowhow.errors import TipNotFound
from interview.knowhow.models import Attachment, Tip, TipStatus
from interview.knowhow.service import views_of
from interview.knowhow.views import TipView
from interview.practice.errors import PracticeSessionNotFound, TakeNotFound
from interview.practice.models import PracticeSession, PracticeTake


async def _coach_take(sessions: Sessions, coach: User, take_id: int) -> PracticeTake:
    async with sessions() as session:
        take = await session.get(PracticeTake, take_id)
        row = await session.get(PracticeSession, take.session_id) if take is not None else None
    if take is None or row is None or coach.role != Role.COACH or row.shared_coach_id != coach.id:
        raise TakeNotFound()
    return take


async def reviewed_session(sessions: Sessions, coach: User, take_id: int) -> int:
    """The practice session of a take this coach reviews; :class:`TakeNotFound` otherwise."""
    return (await _coach_take(sessions, coach, take_id)).session_id


async def attach(sessions: Sessions, coach: User, take_id: int, tip_id: int) -> bool:
    """Attach a published tip to a take the coach reviews; False when it was attached already."""
    await _coach_take(sessions, coach, take_id)
    async with transaction(sessions) as session:
        tip = await session.get(Tip, tip_id)
        if tip is None or tip.status != TipStatus.PUBLISHED:
            raise TipNotFound()
        exists = await session.scalar(
            select(Attachment.id).where(Attachment.take_id == take_id, Attachment.tip_id == tip_id)
        )
        if exists is not None:
            return False
        session.add(Attachment(take_id=take_id, tip_id=tip_id, coach_id=coach.id))
    return True


async def detach(sessions: Sessions, coach: User, take_id: int, tip_id: int) -> None:
    await _coach_take(sessions, coach, take_id)
    async with transaction(sessions) as session:
        await session.execute(
            delete(Attachment).where(Attachment.take_id == take_id, Attachment.tip_id == tip_id)
        )


async def attached_by_take(sessions: Sessions, viewer: User, session_id: int) -> dict[int, list[TipView]]:
    """Take id -> the published tips attached to it, for the session's owner or its coach.

    Raises :class:`PracticeSessionNotFound` for anyone else.
    """
    async with sessions() as session:
        row = await session.get(PracticeSession, session_id)
        if row is None or not (
            row.senior_id == viewer.id or (viewer.role == Role.COACH and row.shared_coach_id == viewer.id)
        ):
            raise PracticeSessionNotFound()
        pairs = (
            await session.execute(
                select(Attachment.take_id, Attachment.tip_id)
                .join(PracticeTake, PracticeTake.id == Attachment.take_id)
                .where(PracticeTake.session_id == session_id)
                .order_by(Attachment.created_at, Attachment.id)
            )
        ).all()
    tip_ids = {tip for _, tip in pairs}
    views = {
        v.id: v
        for v in await views_of(
            sessions, select(Tip).where(Tip.id.in_(tip_ids), Tip.status == TipStatus.PUBLISHED)
        )
    }
    out: dict[int, list[TipView]] = {}
    for take_id, tip_id in pairs:
        if tip_id in views:
            out.setdefault(take_id, []).append(views[tip_id])
    return out
