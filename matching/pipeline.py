"""The pair pipeline: a candidate–posting pair moves from a match to a hire, one recorded step at a time.

A pair (:class:`~matching.models.InterviewRequest`) changes stage only along
:data:`~matching.models.STAGE_TRANSITIONS` and only from the stage the caller expected, so a stale page
or a double click changes nothing (:class:`~matching.errors.WrongStage`). Every change is kept as a
:class:`~matching.models.PairEvent` with who, when and why, and logged as ``old -> new``.

Other packages (scheduling, rooms) move pairs inside their own transactions with :func:`move`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts import Role, User
from core.db import Sessions
from core.i18n import N_
from core.notices import add_notice
from core.pubsub import PubSub
from matching.errors import PairNotFound, WrongStage
from matching.models import STAGE_TRANSITIONS, Company, InterviewRequest, PairEvent, Posting, Stage

log = logging.getLogger(__name__)


async def move(
    session: AsyncSession,
    pair: InterviewRequest,
    to: Stage,
    *,
    actor_id: int | None,
    reason: str = "",
    expected: Iterable[Stage] | None = None,
) -> PairEvent | None:
    """Move ``pair`` to ``to`` inside the caller's transaction and record the step.

    ``expected``: the stages the caller's page showed; another stage raises :class:`WrongStage`.
    Moving to the stage it is already in records nothing and returns None."""
    if expected is not None and pair.stage not in set(expected):
        raise WrongStage()
    if pair.stage == to:
        return None
    if to not in STAGE_TRANSITIONS[pair.stage]:
        raise WrongStage()
    event = PairEvent(
        pair_id=pair.id, from_stage=pair.stage, to_stage=to, actor_id=actor_id, reason=reason.strip()[:2000]
    )
    log.info("pair %s: %s -> %s (by %s)", pair.id, pair.stage.value, to.value, actor_id)
    pair.stage = to
    if to == Stage.HIRED:
        pair.hired = True
    elif to == Stage.DECLINED and pair.hired is None:
        pair.hired = False
    session.add(event)
    return event


def record_start(
    session: AsyncSession, pair: InterviewRequest, *, actor_id: int | None, reason: str = ""
) -> None:
    """The first event of a new pair (it was created in ``pair.stage``); call after the pair is flushed."""
    session.add(
        PairEvent(pair_id=pair.id, from_stage=None, to_stage=pair.stage, actor_id=actor_id, reason=reason)
    )


@dataclass(frozen=True, slots=True)
class PairInfo:
    """A pair with the names people read: who, which job, which company."""

    pair: InterviewRequest
    senior_name: str
    posting_title: str
    company_id: int
    company_name: str
    company_owner_id: int
    industry: str
    #: the posting's default interview length, in minutes
    interview_minutes: int = 60


def _info(row: Any) -> PairInfo:
    pair, senior, title, company_id, company, owner_id, industry, minutes = row
    return PairInfo(pair, senior, title, company_id, company, owner_id, industry, minutes)


def _info_query() -> Any:
    return (
        select(
            InterviewRequest,
            User.name,
            Posting.title,
            Company.id,
            Company.name,
            Company.owner_id,
            Company.industry,
            Posting.interview_minutes,
        )
        .join(User, User.id == InterviewRequest.senior_id)
        .join(Posting, Posting.id == InterviewRequest.posting_id)
        .join(Company, Company.id == Posting.company_id)
    )


async def pair_info(sessions: Sessions, pair_id: int) -> PairInfo:
    """One pair with its names; :class:`PairNotFound` when there is none."""
    async with sessions() as session:
        row = (await session.execute(_info_query().where(InterviewRequest.id == pair_id))).first()
    if row is None:
        raise PairNotFound()
    return _info(row)


async def pairs_info(sessions: Sessions, pair_ids: Iterable[int]) -> dict[int, PairInfo]:
    """Several pairs with their names, by id, in one query."""
    ids = set(pair_ids)
    if not ids:
        return {}
    async with sessions() as session:
        rows = (await session.execute(_info_query().where(InterviewRequest.id.in_(ids)))).all()
    return {info.pair.id: info for info in map(_info, rows)}


async def pairs_of_senior(sessions: Sessions, senior_id: int) -> list[PairInfo]:
    """A senior's pairs, newest first."""
    async with sessions() as session:
        rows = (
            await session.execute(
                _info_query()
                .where(InterviewRequest.senior_id == senior_id)
                .order_by(InterviewRequest.id.desc())
            )
        ).all()
    return [_info(row) for row in rows]


async def pairs_of_company(sessions: Sessions, owner_id: int) -> list[PairInfo]:
    """The pairs of every posting of the company this account owns, newest first."""
    async with sessions() as session:
        rows = (
            await session.execute(
                _info_query().where(Company.owner_id == owner_id).order_by(InterviewRequest.id.desc())
            )
        ).all()
    return [_info(row) for row in rows]


async def find_pair(sessions: Sessions, senior_id: int, posting_id: int) -> int | None:
    """The id of the pair of this senior and posting, if there is one."""
    async with sessions() as session:
        return await session.scalar(
            select(InterviewRequest.id).where(
                InterviewRequest.senior_id == senior_id, InterviewRequest.posting_id == posting_id
            )
        )


async def history(sessions: Sessions, pair_id: int) -> list[PairEvent]:
    """Every step of a pair, oldest first."""
    async with sessions() as session:
        rows = await session.scalars(
            select(PairEvent).where(PairEvent.pair_id == pair_id).order_by(PairEvent.created_at, PairEvent.id)
        )
        return list(rows)


#: stages that follow the senior's acceptance of a booked interview time
_AGREED_STAGES = frozenset({Stage.SCHEDULED, Stage.INTERVIEWED, Stage.OFFER, Stage.HIRED})


def senior_agreed(pair: InterviewRequest | None) -> bool:
    """Whether the senior agreed to an interview for this pair, which lets the company see their
    contact details: the senior asked for it themself (and has not withdrawn), or the pair reached a
    booked interview or later (a senior who picked an offered time). A company's own request, a
    declined or withdrawn pair, or no pair at all is not an agreement."""
    if pair is None:
        return False
    if pair.stage in _AGREED_STAGES:
        return True
    return pair.stage == Stage.REQUESTED and pair.requested_by_role == Role.SENIOR.value


def can_see(user: User, info: PairInfo) -> bool:
    """The senior of the pair, the company that owns the posting, schedulers and admins see a pair."""
    if user.role in (Role.SCHEDULER, Role.ADMIN):
        return True
    return user.id == info.pair.senior_id or user.id == info.company_owner_id


async def tell_requested(
    session: AsyncSession, pair: InterviewRequest, requester: User, *, pubsub: PubSub | None = None
) -> None:
    """A new request: the other side and every scheduler get a notice with the requester's message."""
    row = (
        await session.execute(
            select(Posting.title, Company.name, Company.owner_id)
            .select_from(Posting)
            .join(Company, Company.id == Posting.company_id)
            .where(Posting.id == pair.posting_id)
        )
    ).first()
    senior = await session.scalar(select(User.name).where(User.id == pair.senior_id))
    if row is None or senior is None:
        return
    job, company, owner = row
    quote = pair.message[:200] if pair.message else "-"
    params = {"senior": senior, "company": company, "job": job, "message": quote}
    if requester.role == Role.SENIOR:
        await add_notice(
            session,
            owner,
            "request.received",
            N_("%(senior)s asks for an interview for %(job)s. Message: %(message)s"),
            params,
            url="/company",
            pubsub=pubsub,
        )
    else:
        await add_notice(
            session,
            pair.senior_id,
            "request.received",
            N_("%(company)s would like to interview you for %(job)s. A scheduler will offer you times."),
            params,
            url=f"/senior/matches/{pair.posting_id}",
            pubsub=pubsub,
        )
    for scheduler in await session.scalars(
        select(User.id).where(User.role == Role.SCHEDULER, User.is_active.is_(True))
    ):
        await add_notice(
            session,
            scheduler,
            "request.received",
            N_("New interview request: %(senior)s · %(company)s, %(job)s. Message: %(message)s"),
            params,
            url=f"/scheduler/pairs/{pair.id}",
            pubsub=pubsub,
        )


NOTE_STAGES = frozenset({Stage.REQUESTED, Stage.SCHEDULED})


async def set_company_note(sessions: Sessions, actor: User, pair_id: int, note: str) -> InterviewRequest:
    """The company's note for the scheduler (times that suit, who interviews), while a date is being found.

    Only the posting's company; another pair looks like none. Up to 1000 characters."""
    from core.db import transaction
    from core.errors import InvalidInput

    text = (note or "").strip()
    if len(text) > 1000:
        raise InvalidInput(fields={"note": N_("Please keep the note under 1000 characters.")})
    async with transaction(sessions) as session:
        row = (
            await session.execute(
                _info_query().where(InterviewRequest.id == pair_id).with_for_update(of=InterviewRequest)
            )
        ).first()
        if row is None or _info(row).company_owner_id != actor.id:
            raise PairNotFound()
        pair = _info(row).pair
        if pair.stage not in NOTE_STAGES:
            raise WrongStage()
        pair.company_note = text
        log.info("pair %s: company note updated by %s", pair.id, actor.id)
    return pair
