"""Scorecards: each interviewer rates the candidate on the criteria of the pair's posting.

Every criterion (:mod:`matching.criteria`; the default four for a room without a pair) gets a rating
from 1 to 5 on the anchors of :data:`matching.criteria.ANCHORS` and a written reason; the card ends
with an overall :class:`~interview.rooms.models.Recommendation` (definitely not, no, yes, strong yes)
and optional notes. One card per interviewer, after the room has ended.

An interviewer sees the other interviewers' cards only after submitting their own
(:func:`scorecards_for` raises :class:`ScorecardsHidden` before), so nobody anchors on a colleague's
view. When the last interviewer has submitted, the pair's ``rating`` becomes the mean of every
rating (what :mod:`matching.fit` learns from); the decision itself is the company's
(:mod:`matching.decisions`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts import User
from core.db import Sessions, transaction
from interview.rooms.errors import InvalidScorecard, RoomStateError, ScorecardExists, ScorecardsHidden
from interview.rooms.models import ParticipantRole, Recommendation, Room, RoomState, Scorecard
from interview.rooms.service import _interviewer, _room
from matching.criteria import DEFAULT_CRITERIA, Criterion, criteria_of
from matching.models import InterviewRequest, Posting

MAX_NOTES = 5000
MAX_REASON = 1000


@dataclass(frozen=True, slots=True)
class CardInput:
    ratings: dict[str, int]
    reasons: dict[str, str]
    notes: str
    recommendation: Recommendation


def validate_scorecard(
    criteria: Sequence[Criterion],
    ratings: Mapping[str, Any],
    reasons: Mapping[str, Any],
    notes: str,
    recommendation: str,
) -> CardInput:
    """Every criterion rated 1–5 with a reason; error fields are ``rating:<key>`` and ``reason:<key>``."""
    fields: dict[str, str] = {}
    if not isinstance(ratings, Mapping) or not isinstance(reasons, Mapping):
        raise InvalidScorecard(fields={"ratings": "Please rate every criterion from 1 to 5."})
    keys = {c.key for c in criteria}
    if set(map(str, ratings)) - keys or set(map(str, reasons)) - keys:
        fields["ratings"] = "Please rate only the criteria of this job."
    clean: dict[str, int] = {}
    why: dict[str, str] = {}
    for c in criteria:
        value = ratings.get(c.key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            fields[f"rating:{c.key}"] = "Please rate every criterion from 1 to 5."
        else:
            clean[c.key] = value
        reason = reasons.get(c.key)
        text = reason.strip() if isinstance(reason, str) else ""
        if not text:
            fields[f"reason:{c.key}"] = "Please write why you gave this rating."
        elif len(text) > MAX_REASON:
            fields[f"reason:{c.key}"] = "Please keep each reason under 1000 characters."
        else:
            why[c.key] = text
    notes = (notes or "").strip() if isinstance(notes, str) else ""
    if len(notes) > MAX_NOTES:
        fields["notes"] = "Please keep the notes under 5000 characters."
    try:
        choice = Recommendation(recommendation)
    except ValueError:
        fields["recommendation"] = "Please choose one of the four recommendations."
        choice = Recommendation.NO
    if fields:
        raise InvalidScorecard(fields=fields)
    return CardInput(clean, why, notes, choice)


async def _criteria(session: AsyncSession, room: Room) -> tuple[Criterion, ...]:
    if room.pair_id is None:
        return DEFAULT_CRITERIA
    names = await session.scalar(
        select(Posting.criteria)
        .join(InterviewRequest, InterviewRequest.posting_id == Posting.id)
        .where(InterviewRequest.id == room.pair_id)
    )
    return criteria_of(names)


async def room_criteria(sessions: Sessions, room_id: int) -> tuple[Criterion, ...]:
    """The criteria a scorecard of this room rates: its posting's, or the default four."""
    async with sessions() as session:
        return await _criteria(session, await _room(session, room_id))


async def submit_scorecard(
    sessions: Sessions,
    room_id: int,
    actor: User,
    *,
    ratings: Mapping[str, Any],
    reasons: Mapping[str, Any],
    notes: str,
    recommendation: str,
) -> Scorecard:
    """The acting interviewer's scorecard, once per interviewer after the room ended.

    Raises :class:`NotParticipant` or :class:`InterviewersOnly` for anyone but the room's interviewers,
    :class:`RoomStateError` before the end, :class:`ScorecardExists` for a second card and
    :class:`InvalidScorecard` (nothing stored) for a missing rating or reason.
    """
    async with transaction(sessions) as session:
        room = await _room(session, room_id, lock=True)
        _interviewer(room, actor.id)
        if room.state != RoomState.ENDED:
            raise RoomStateError("Please end the interview before filling in the scorecard.")
        card_input = validate_scorecard(
            await _criteria(session, room), ratings, reasons, notes, recommendation
        )
        cards = list(await session.scalars(select(Scorecard).where(Scorecard.room_id == room_id)))
        if any(c.interviewer_id == actor.id for c in cards):
            raise ScorecardExists()
        card = Scorecard(
            room_id=room_id,
            interviewer_id=actor.id,
            ratings=card_input.ratings,
            reasons=card_input.reasons,
            notes=card_input.notes,
            recommendation=card_input.recommendation,
        )
        session.add(card)
        cards.append(card)
        interviewers = {p.user_id for p in room.participants if p.role == ParticipantRole.INTERVIEWER}
        if interviewers <= {c.interviewer_id for c in cards} and room.pair_id is not None:
            await _rate_pair(session, room.pair_id, cards)
    return card


async def _rate_pair(session: AsyncSession, pair_id: int, cards: Sequence[Scorecard]) -> None:
    """Every interviewer has rated: the pair's rating is the mean of every criterion of every card."""
    values = [v for c in cards for v in c.ratings.values() if isinstance(v, int)]
    pair = await session.get(InterviewRequest, pair_id)
    if pair is not None and values:
        pair.rating = max(1, min(5, round(sum(values) / len(values))))


async def scorecard_of(sessions: Sessions, room_id: int, actor: User) -> Scorecard | None:
    """The acting interviewer's own scorecard for the room, or None before they submit it.

    Raises :class:`NotParticipant` or :class:`InterviewersOnly` when ``actor`` is not one of the room's
    interviewers, :class:`RoomNotFound` when there is no such room.
    """
    async with sessions() as session:
        room = await _room(session, room_id)
        _interviewer(room, actor.id)
        return await session.scalar(
            select(Scorecard).where(Scorecard.room_id == room_id, Scorecard.interviewer_id == actor.id)
        )


async def scorecards_for(sessions: Sessions, room_id: int, actor: User) -> list[Scorecard]:
    """Every scorecard of the room, the actor's first, for an interviewer who has submitted their own.

    Raises :class:`ScorecardsHidden` before the actor's own card is in, and :class:`NotParticipant` /
    :class:`InterviewersOnly` for anyone but the room's interviewers.
    """
    async with sessions() as session:
        room = await _room(session, room_id)
        _interviewer(room, actor.id)
        cards = list(
            await session.scalars(
                select(Scorecard)
                .where(Scorecard.room_id == room_id)
                .order_by(Scorecard.submitted_at, Scorecard.id)
            )
        )
    if not any(c.interviewer_id == actor.id for c in cards):
        raise ScorecardsHidden()
    cards.sort(key=lambda c: c.interviewer_id != actor.id)
    return cards
