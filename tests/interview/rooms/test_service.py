"""The rooms service on SQLite and PostgreSQL: opening, tokens, lobby, end, consent, scorecards."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from core.clock import utcnow
from core.config import Settings
from core.db import Sessions
from core.errors import InvalidInput
from interview.rooms import recordings, scorecards, service
from interview.rooms.errors import (
    InterviewersOnly,
    NotParticipant,
    RecordingNotAllowed,
    RoomEnded,
    RoomNotFound,
    RoomNotOpen,
    RoomStateError,
)
from interview.rooms.models import LobbyStatus, RoomState
from interview.signaling.tokens import RoomRole, TokenWrongRoom, verify_room_token

from .conftest import People

pytestmark = pytest.mark.postgres


async def _room(sessions: Sessions, people: People, *, starts_in: timedelta = timedelta(minutes=10)):
    return await service.create_room(
        sessions,
        candidate_id=people.senior.id,
        interviewer_ids=[people.boss.id, people.hr.id],
        scheduled_start=utcnow() + starts_in,
        duration_minutes=45,
        opens_before_minutes=15,
    )


async def test_create_room_validates(sessions: Sessions, people: People) -> None:
    room = await _room(sessions, people)
    assert room.state == RoomState.SCHEDULED and room.pair_id is None
    assert {(p.user_id, p.role.value) for p in room.participants} == {
        (people.senior.id, "candidate"),
        (people.boss.id, "interviewer"),
        (people.hr.id, "interviewer"),
    }
    bad: list[dict[str, Any]] = [  # wrong values, some of the wrong type: what a form may send
        {"candidate_id": people.boss.id},  # a company account as candidate
        {"interviewer_ids": [people.other_senior.id]},  # a senior as interviewer
        {"interviewer_ids": []},
        {"interviewer_ids": [people.senior.id]},
        {"duration_minutes": 1},
        {"scheduled_start": utcnow().replace(tzinfo=None)},
        {"candidate_id": 99999},
    ]
    for override in bad:
        args: dict[str, Any] = {
            "candidate_id": people.senior.id,
            "interviewer_ids": [people.boss.id],
            "scheduled_start": utcnow(),
            **override,
        }
        with pytest.raises(InvalidInput):
            await service.create_room(sessions, **args)


async def test_join_tokens_open_the_room_and_refuse_outsiders(
    sessions: Sessions, people: People, settings: Settings
) -> None:
    room = await _room(sessions, people, starts_in=timedelta(minutes=30))
    # 30 minutes before the start the room (opens 15 minutes before) is not open yet
    with pytest.raises(RoomNotOpen) as info:
        await service.issue_join_token(sessions, settings, room.id, people.senior)
    assert info.value.params["opens_at"] == room.opens_at.isoformat(timespec="minutes")
    later = utcnow() + timedelta(minutes=16)
    ticket = await service.issue_join_token(sessions, settings, room.id, people.senior, now=later)
    claims = verify_room_token(settings, ticket.token, room_id=room.id, now=later)
    assert (claims.user_id, claims.role, claims.name) == (people.senior.id, RoomRole.CANDIDATE, "김영수")
    with pytest.raises(TokenWrongRoom):
        verify_room_token(settings, ticket.token, room_id=room.id + 1, now=later)
    assert (await service.get_room(sessions, room.id)).state == RoomState.OPEN
    assert await service.lobby_status(sessions, room.id, people.senior.id) == LobbyStatus.WAITING
    boss = await service.issue_join_token(sessions, settings, room.id, people.boss, now=later)
    assert boss.role == RoomRole.INTERVIEWER
    for outsider in (people.other_senior, people.other_company):
        with pytest.raises(NotParticipant):
            await service.issue_join_token(sessions, settings, room.id, outsider, now=later)
        with pytest.raises(NotParticipant):
            await service.check_participant(sessions, room.id, outsider.id)


async def test_lobby_live_end(sessions: Sessions, people: People, settings: Settings) -> None:
    room = await _room(sessions, people)
    await service.issue_join_token(sessions, settings, room.id, people.senior)
    with pytest.raises(InterviewersOnly):
        await service.admit(sessions, room.id, people.senior.id, people.senior.id)
    with pytest.raises(NotParticipant):
        await service.admit(sessions, room.id, people.other_company.id, people.senior.id)
    await service.admit(sessions, room.id, people.boss.id, people.senior.id)
    got = await service.get_room(sessions, room.id)
    assert got.state == RoomState.LIVE and got.started_at is not None
    assert await service.lobby_status(sessions, room.id, people.senior.id) == LobbyStatus.ADMITTED
    with pytest.raises(InterviewersOnly):
        await service.end_room(sessions, room.id, people.senior.id)
    assert await service.end_room(sessions, room.id, people.hr.id) is True
    assert await service.end_room(sessions, room.id, people.hr.id) is False
    got = await service.get_room(sessions, room.id)
    assert got.state == RoomState.ENDED and got.ended_at is not None
    with pytest.raises(RoomEnded):
        await service.issue_join_token(sessions, settings, room.id, people.senior)
    with pytest.raises(RoomEnded):
        await service.check_participant(sessions, room.id, people.boss.id)


async def test_denied_candidate_gets_no_new_token(
    sessions: Sessions, people: People, settings: Settings
) -> None:
    room = await _room(sessions, people)
    await service.issue_join_token(sessions, settings, room.id, people.senior)
    await service.deny(sessions, room.id, people.boss.id, people.senior.id)
    with pytest.raises(NotParticipant):
        await service.issue_join_token(sessions, settings, room.id, people.senior)
    # the token issued before the denial is refused when it is used to join again
    with pytest.raises(NotParticipant):
        await service.check_participant(sessions, room.id, people.senior.id)
    await service.check_participant(sessions, room.id, people.boss.id)
    assert (await service.get_room(sessions, room.id)).state == RoomState.OPEN


async def test_everyone_left_ends_only_a_live_room(
    sessions: Sessions, people: People, settings: Settings
) -> None:
    room = await _room(sessions, people)
    await service.issue_join_token(sessions, settings, room.id, people.boss)
    assert await service.end_room(sessions, room.id, None) is False  # open, never live
    await service.admit(sessions, room.id, people.boss.id, people.senior.id)
    assert await service.end_room(sessions, room.id, None) is True


async def test_state_machine_refuses_jumps(sessions: Sessions, people: People) -> None:
    room = await _room(sessions, people)
    with pytest.raises(RoomStateError):
        service.transition(room, RoomState.LIVE)  # scheduled -> live skips open
    assert service.transition(room, RoomState.ENDED) is True
    with pytest.raises(RoomStateError):
        service.transition(room, RoomState.OPEN)


async def test_consent_and_recorder_token(sessions: Sessions, people: People, settings: Settings) -> None:
    room = await _room(sessions, people)
    with pytest.raises(RecordingNotAllowed):
        await service.issue_recorder_token(sessions, settings, room.id)
    assert await service.set_consent(sessions, room.id, people.senior.id, True) is False
    assert await service.set_consent(sessions, room.id, people.boss.id, True) is False
    assert await service.set_consent(sessions, room.id, people.hr.id, False) is False
    with pytest.raises(RecordingNotAllowed):
        await service.issue_recorder_token(sessions, settings, room.id)
    assert await service.set_consent(sessions, room.id, people.hr.id, True) is True
    claims = verify_room_token(settings, await service.issue_recorder_token(sessions, settings, room.id))
    assert claims.role == RoomRole.RECORDER and claims.room_id == room.id
    with pytest.raises(NotParticipant):
        await service.set_consent(sessions, room.id, people.other_senior.id, True)


async def test_recordings_only_for_participants(sessions: Sessions, people: People) -> None:
    room = await _room(sessions, people)
    rec = await recordings.add_recording(
        sessions, room.id, people.senior.id, "/data/r/1.ogg", started_at=utcnow(), duration=12.5
    )
    assert rec.id and rec.duration_seconds == 12.5
    listed = await recordings.room_recordings(sessions, room.id, people.hr)
    assert [r.path for r in listed.recordings] == ["/data/r/1.ogg"]
    assert (await recordings.recording_file(sessions, room.id, rec.id, people.senior)).path == "/data/r/1.ogg"
    for outsider, rec_id in [(people.other_company, rec.id), (people.boss, 99999)]:
        with pytest.raises(RoomNotFound):  # another's recording looks like a missing one
            await recordings.recording_file(sessions, room.id, rec_id, outsider)
    with pytest.raises(NotParticipant):
        await recordings.add_recording(
            sessions, room.id, people.other_senior.id, "/x.ogg", started_at=utcnow()
        )


async def test_rooms_for_lists_the_actors_rooms_open_first(sessions: Sessions, people: People) -> None:
    later = await _room(sessions, people, starts_in=timedelta(days=2))
    soon = await _room(sessions, people, starts_in=timedelta(minutes=10))  # open: opens 15 min before
    ended = await _room(sessions, people, starts_in=timedelta(minutes=-30))
    await service.end_room(sessions, ended.id, people.boss.id)
    await recordings.add_recording(sessions, ended.id, people.senior.id, "/data/r/2.ogg", started_at=utcnow())

    senior = await service.rooms_for(sessions, people.senior)
    assert [x.room.id for x in senior] == [soon.id, later.id, ended.id]
    assert [x.can_join for x in senior] == [True, False, False]
    assert [x.recordings for x in senior] == [0, 0, 1]
    assert {x.role.value for x in senior} == {"candidate"} and not any(x.needs_scorecard for x in senior)
    boss = await service.rooms_for(sessions, people.boss)
    assert [(x.room.id, x.needs_scorecard) for x in boss][-1] == (ended.id, True)
    await scorecards.submit_scorecard(
        sessions,
        ended.id,
        people.boss,
        ratings=dict.fromkeys(("experience", "skills", "communication", "attitude"), 4),
        reasons=dict.fromkeys(("experience", "skills", "communication", "attitude"), "분명함"),
        notes="",
        recommendation="yes",
    )
    assert not (await service.rooms_for(sessions, people.boss))[-1].needs_scorecard
    assert (await service.rooms_for(sessions, people.hr))[-1].needs_scorecard  # hr still owes one
    assert await service.rooms_for(sessions, people.other_senior) == []
    assert len(await service.rooms_for(sessions, people.senior, limit=1)) == 1


async def test_recent_rooms_newest_first_with_participants(sessions: Sessions, people: People) -> None:
    assert await service.recent_rooms(sessions) == []
    rooms = [await _room(sessions, people) for _ in range(3)]
    recent = await service.recent_rooms(sessions, limit=2)
    assert [r.id for r in recent] == [rooms[2].id, rooms[1].id]
    # participants are loaded: readable after the session has closed
    assert {p.user_id for p in recent[0].participants} == {people.senior.id, people.boss.id, people.hr.id}
    assert [r.id for r in await service.recent_rooms(sessions)] == [r.id for r in reversed(rooms)]


async def test_consents_sent_at_once_still_find_everyone_agreed(sessions: Sessions, people: People) -> None:
    """Two last consents that commit side by side: one of them must see that everyone agreed."""
    for _ in range(3):
        room = await _room(sessions, people)
        assert await service.set_consent(sessions, room.id, people.boss.id, True) is False
        results = await asyncio.gather(
            service.set_consent(sessions, room.id, people.senior.id, True),
            service.set_consent(sessions, room.id, people.hr.id, True),
        )
        assert any(results), results
