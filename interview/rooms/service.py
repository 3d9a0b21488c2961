"""The rooms service: create rooms, let participants in, run the lobby, end rooms, scorecards.

Plain async functions over :data:`core.db.Sessions`; the web layer calls them and turns
their errors (``interview.rooms.errors``) into pages or JSON. A function acting for the
logged-in user takes it as ``actor: User`` and checks inside what that user may do; the
signaling hooks pass the user ids of verified room tokens instead.

A room opens ``opens_before_minutes`` before its start; it goes live when an interviewer admits the
candidate and ends when an interviewer ends it or everyone has left.

A live room that ends moves its pair to interviewed. Scorecards are in :mod:`.scorecards`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from core.accounts import Role, User
from core.clock import utcnow
from core.config import Settings
from core.db import Sessions, transaction
from core.errors import InvalidInput
from interview.rooms.errors import (
    InterviewersOnly,
    NotParticipant,
    RecordingNotAllowed,
    RoomEnded,
    RoomNotFound,
    RoomNotOpen,
    RoomStateError,
)
from interview.rooms.models import (
    TRANSITIONS,
    LobbyState,
    LobbyStatus,
    ParticipantRole,
    Recording,
    Room,
    RoomParticipant,
    RoomState,
    Scorecard,
)
from interview.signaling.tokens import RoomRole, issue_room_token
from matching import pipeline
from matching.models import InterviewRequest, Stage

log = logging.getLogger(__name__)

RECORDER_USER_ID = 0


@dataclass(frozen=True, slots=True)
class JoinTicket:
    room_id: int
    token: str
    role: RoomRole
    expires_in: int


def transition(room: Room, new: RoomState, now: datetime | None = None) -> bool:
    """Move ``room`` to ``new`` if allowed; False if already there; raise if not allowed."""
    if room.state == new:
        return False
    if new not in TRANSITIONS[room.state]:
        raise RoomStateError()
    log.info("room %s: %s -> %s", room.id, room.state.value, new.value)
    at = now or utcnow()
    if new == RoomState.LIVE:
        room.started_at = at
    elif new == RoomState.ENDED:
        room.ended_at = at
    room.state = new
    return True


async def _room(session: AsyncSession, room_id: int, *, lock: bool = False) -> Room:
    stmt = select(Room).where(Room.id == room_id)
    if lock:
        stmt = stmt.with_for_update()
    room = await session.scalar(stmt)
    if room is None:
        raise RoomNotFound()
    return room


def _interviewer(room: Room, user_id: int) -> RoomParticipant:
    part = room.participant(user_id)
    if part is None:
        raise NotParticipant()
    if part.role != ParticipantRole.INTERVIEWER:
        raise InterviewersOnly()
    return part


async def create_room(
    sessions: Sessions,
    *,
    candidate_id: int,
    pair_id: int | None = None,
    interviewer_ids: Sequence[int],
    scheduled_start: datetime,
    duration_minutes: int = 60,
    opens_before_minutes: int = 15,
    created_by: int | None = None,
) -> Room:
    """A room for one candidate and the interviewers, for the pair ``pair_id`` (admins and tests may book
    one by hand without a pair; the scheduler's bookings call :func:`add_room` in their own transaction)."""
    async with transaction(sessions) as session:
        room = await add_room(
            session,
            candidate_id=candidate_id,
            pair_id=pair_id,
            interviewer_ids=interviewer_ids,
            scheduled_start=scheduled_start,
            duration_minutes=duration_minutes,
            opens_before_minutes=opens_before_minutes,
            created_by=created_by,
        )
    return await get_room(sessions, room.id)


async def add_room(
    session: AsyncSession,
    *,
    candidate_id: int,
    pair_id: int | None,
    interviewer_ids: Sequence[int],
    scheduled_start: datetime,
    duration_minutes: int = 60,
    opens_before_minutes: int = 15,
    created_by: int | None = None,
) -> Room:
    """:func:`create_room` inside the caller's transaction (flushed, so the room has its id)."""
    fields: dict[str, str] = {}
    if scheduled_start.tzinfo is None:
        fields["scheduled_start"] = "Please give the start time with its time zone."
    if not 5 <= duration_minutes <= 480:
        fields["duration_minutes"] = "An interview lasts between 5 minutes and 8 hours."
    if not 0 <= opens_before_minutes <= 120:
        fields["opens_before_minutes"] = "The room opens at most 2 hours before the start."
    interviewers = list(dict.fromkeys(interviewer_ids))
    if not interviewers:
        fields["interviewer_ids"] = "Please choose at least one interviewer."
    if candidate_id in interviewers:
        fields["interviewer_ids"] = "The candidate cannot also be an interviewer."
    if fields:
        raise InvalidInput(fields=fields)
    scheduled_start = scheduled_start.astimezone(UTC)
    users = {
        u.id: u for u in await session.scalars(select(User).where(User.id.in_([candidate_id, *interviewers])))
    }
    cand = users.get(candidate_id)
    if cand is None or cand.role != Role.SENIOR or not cand.is_active:
        raise InvalidInput(fields={"candidate_id": "Please choose a senior's account as the candidate."})
    for uid in interviewers:
        u = users.get(uid)
        if u is None or u.role != Role.COMPANY or not u.is_active:
            raise InvalidInput(fields={"interviewer_ids": "Interviewers must be company accounts."})
    room = Room(
        candidate_id=candidate_id,
        pair_id=pair_id,
        scheduled_start=scheduled_start,
        duration_minutes=duration_minutes,
        opens_before_minutes=opens_before_minutes,
        state=RoomState.SCHEDULED,
        created_by=created_by,
        participants=[RoomParticipant(user_id=candidate_id, role=ParticipantRole.CANDIDATE)]
        + [RoomParticipant(user_id=uid, role=ParticipantRole.INTERVIEWER) for uid in interviewers],
    )
    session.add(room)
    await session.flush()
    return room


async def get_room(sessions: Sessions, room_id: int) -> Room:
    async with sessions() as session:
        return await _room(session, room_id)


async def check_participant(sessions: Sessions, room_id: int, user_id: int) -> RoomParticipant:
    """The participant, or :class:`NotParticipant` / :class:`RoomEnded` (the signaling ``authorize`` hook).

    A candidate the interviewer denied is no participant any more, whatever token they still hold.
    """
    async with sessions() as session:
        room = await _room(session, room_id)
        if room.state == RoomState.ENDED:
            raise RoomEnded()
        part = room.participant(user_id)
        if part is None:
            raise NotParticipant()
        if part.role == ParticipantRole.CANDIDATE:
            status = await session.scalar(
                select(LobbyState.status).where(LobbyState.room_id == room_id, LobbyState.user_id == user_id)
            )
            if status == LobbyStatus.DENIED:
                raise NotParticipant()  # a denied candidate's unexpired token no longer opens the lobby
        return part


async def issue_join_token(
    sessions: Sessions, settings: Settings, room_id: int, user: User, now: datetime | None = None
) -> JoinTicket:
    """A signaling token for a participant of a room that is open (opens a set time before start)."""
    at = now or utcnow()
    async with transaction(sessions) as session:
        room = await _room(session, room_id, lock=True)
        part = room.participant(user.id)
        if part is None:
            raise NotParticipant()
        if room.state == RoomState.ENDED:
            raise RoomEnded()
        if at < room.opens_at:
            raise RoomNotOpen(params={"opens_at": room.opens_at.isoformat(timespec="minutes")})
        if room.state == RoomState.SCHEDULED:
            transition(room, RoomState.OPEN, at)
        if part.role == ParticipantRole.CANDIDATE:
            lobby = await session.scalar(
                select(LobbyState).where(LobbyState.room_id == room.id, LobbyState.user_id == user.id)
            )
            if lobby is None:
                session.add(
                    LobbyState(room_id=room.id, user_id=user.id, status=LobbyStatus.WAITING, updated_at=at)
                )
            elif lobby.status == LobbyStatus.DENIED:
                raise NotParticipant()
        role = RoomRole.CANDIDATE if part.role == ParticipantRole.CANDIDATE else RoomRole.INTERVIEWER
    token = issue_room_token(settings, user_id=user.id, room_id=room_id, role=role, name=user.name, now=at)
    return JoinTicket(room_id, token, role, settings.room_token_ttl)


async def _decide(
    sessions: Sessions, room_id: int, by_user: int, candidate: int, status: LobbyStatus
) -> None:
    async with transaction(sessions) as session:
        room = await _room(session, room_id, lock=True)
        _interviewer(room, by_user)
        part = room.participant(candidate)
        if part is None or part.role != ParticipantRole.CANDIDATE:
            raise NotParticipant()
        if room.state == RoomState.ENDED:
            raise RoomEnded()
        lobby = await session.scalar(
            select(LobbyState).where(LobbyState.room_id == room_id, LobbyState.user_id == candidate)
        )
        if lobby is None:
            lobby = LobbyState(room_id=room_id, user_id=candidate)
            session.add(lobby)
        lobby.status, lobby.decided_by, lobby.updated_at = status, by_user, utcnow()
        if status == LobbyStatus.ADMITTED and room.state == RoomState.OPEN:
            transition(room, RoomState.LIVE)


async def admit(sessions: Sessions, room_id: int, by_user: int, candidate: int) -> None:
    """An interviewer lets the candidate in from the lobby; the room goes live."""
    await _decide(sessions, room_id, by_user, candidate, LobbyStatus.ADMITTED)


async def deny(sessions: Sessions, room_id: int, by_user: int, candidate: int) -> None:
    await _decide(sessions, room_id, by_user, candidate, LobbyStatus.DENIED)


async def lobby_status(sessions: Sessions, room_id: int, user_id: int) -> LobbyStatus | None:
    async with sessions() as session:
        return await session.scalar(
            select(LobbyState.status).where(LobbyState.room_id == room_id, LobbyState.user_id == user_id)
        )


async def end_room(sessions: Sessions, room_id: int, by_user: int | None) -> bool:
    """End the room (an interviewer, or ``None`` when everyone has left); True if it changed."""
    async with transaction(sessions) as session:
        room = await _room(session, room_id, lock=True)
        if by_user is not None:
            _interviewer(room, by_user)
        elif room.state != RoomState.LIVE:
            return False  # an empty room that never went live can still be joined
        changed = transition(room, RoomState.ENDED)
        if changed:
            await _interview_took_place(session, room)
        return changed


async def set_consent(sessions: Sessions, room_id: int, user_id: int, agree: bool) -> bool:
    """Record a participant's on-screen answer; True when every participant has agreed.

    "Everyone agreed" is read after the answer is committed, in a new transaction: two last answers
    that commit side by side each read only their own change inside their transaction (SQLite has no
    row lock to make one wait), but whichever reads last after its commit sees both. The caller
    serialises per room so that only one of them acts on it (see ``hooks.on_consent``).
    """
    async with transaction(sessions) as session:
        room = await _room(session, room_id, lock=True)
        part = room.participant(user_id)
        if part is None:
            raise NotParticipant()
        part.recording_consent, part.consent_at = agree, utcnow()
    if not agree:
        return False
    return await everyone_agreed(sessions, room_id)


async def everyone_agreed(sessions: Sessions, room_id: int) -> bool:
    """True when every participant of the room has agreed to be recorded (as committed now)."""
    async with sessions() as session:
        agreed = await session.scalars(
            select(RoomParticipant.recording_consent).where(RoomParticipant.room_id == room_id)
        )
        answers = list(agreed)
    return bool(answers) and all(answers)


async def issue_recorder_token(sessions: Sessions, settings: Settings, room_id: int) -> str:
    """A token for the server-side recorder: only when every participant has agreed."""
    async with sessions() as session:
        room = await _room(session, room_id)
        if room.state == RoomState.ENDED:
            raise RoomEnded()
        if not all(p.recording_consent for p in room.participants):
            raise RecordingNotAllowed()
    return issue_room_token(
        settings, user_id=RECORDER_USER_ID, room_id=room_id, role=RoomRole.RECORDER, name="recorder"
    )


async def _interview_took_place(session: AsyncSession, room: Room) -> None:
    """A room that was live has ended: its pair moves from scheduled to interviewed."""
    if room.pair_id is None or room.started_at is None:
        return
    pair = await session.get(InterviewRequest, room.pair_id)
    if pair is not None and pair.stage == Stage.SCHEDULED:
        await pipeline.move(session, pair, Stage.INTERVIEWED, actor_id=None, reason=f"room {room.id} ended")


@dataclass(frozen=True, slots=True)
class RoomListing:
    """One room as a participant sees it in "my interviews"."""

    room: Room
    role: ParticipantRole
    #: the room accepts joins now (opened and not ended)
    can_join: bool
    #: an interviewer of an ended room who has not yet submitted a scorecard
    needs_scorecard: bool
    recordings: int


async def rooms_for(
    sessions: Sessions, actor: User, now: datetime | None = None, *, limit: int = 50
) -> list[RoomListing]:
    """The rooms the acting user takes part in: upcoming and open first (soonest first), then ended ones."""
    at = now or utcnow()
    user_id = actor.id
    async with sessions() as session:
        rooms = list(
            await session.scalars(
                select(Room)
                .join(RoomParticipant, RoomParticipant.room_id == Room.id)
                .where(RoomParticipant.user_id == user_id)
                .order_by(Room.scheduled_start)
                .limit(limit * 4)
            )
        )
        ids = [r.id for r in rooms]
        carded = (
            set(
                await session.scalars(
                    select(Scorecard.room_id).where(
                        Scorecard.room_id.in_(ids), Scorecard.interviewer_id == user_id
                    )
                )
            )
            if ids
            else set()
        )
        counts: dict[int, int] = {}
        for rid in await session.scalars(select(Recording.room_id).where(Recording.room_id.in_(ids))):
            counts[rid] = counts.get(rid, 0) + 1
    out: list[RoomListing] = []
    for room in rooms:
        part = room.participant(user_id)
        assert part is not None
        ended = room.state == RoomState.ENDED
        out.append(
            RoomListing(
                room=room,
                role=part.role,
                can_join=not ended and at >= room.opens_at,
                needs_scorecard=ended and part.role == ParticipantRole.INTERVIEWER and room.id not in carded,
                recordings=counts.get(room.id, 0),
            )
        )
    out.sort(key=lambda x: (x.room.state == RoomState.ENDED, x.room.scheduled_start))
    return out[:limit]


async def recent_rooms(sessions: Sessions, limit: int = 30) -> list[Room]:
    """The latest rooms, newest first, for the admin's list; each with its participants loaded."""
    async with sessions() as session:
        rows = await session.scalars(
            select(Room).options(selectinload(Room.participants)).order_by(Room.id.desc()).limit(limit)
        )
        return list(rows)
