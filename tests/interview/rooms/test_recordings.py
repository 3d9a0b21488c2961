"""A room's recordings: both speakers' transcripts in one timeline, and who may see them (participants,
a coach or company colleague they shared with while everyone agreed, nobody else), on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.accounts import Role
from core.clock import utcnow
from core.db import Sessions, transaction
from core.errors import InvalidInput
from interview.rooms import recordings, service
from interview.rooms.errors import RoomNotFound
from interview.transcribe import jobs
from interview.transcribe.types import Segment, Transcript
from matching.models import InterviewRequest
from tests.matching.factory import make_pair

from .conftest import People, make_user


async def _recorded_room(sessions: Sessions, people: People) -> int:
    """boss's company interviews the senior; hr (a colleague) is not in the room; everyone agreed."""
    pair = await make_pair(sessions, people.senior, people.boss)
    room = await service.create_room(
        sessions,
        candidate_id=people.senior.id,
        pair_id=pair.id,
        interviewer_ids=[people.boss.id],
        scheduled_start=utcnow() + timedelta(minutes=5),
    )
    # hr interviewed another candidate for the same posting: a colleague
    other = await make_pair(sessions, people.other_senior, people.other_company)
    async with transaction(sessions) as session:
        row = await session.get(InterviewRequest, other.id)
        assert row is not None
        row.posting_id = pair.posting_id
    await service.create_room(
        sessions,
        candidate_id=people.other_senior.id,
        pair_id=other.id,
        interviewer_ids=[people.hr.id],
        scheduled_start=utcnow() + timedelta(days=1),
    )
    for user in (people.senior, people.boss):
        await service.set_consent(sessions, room.id, user.id, True)
    return room.id


async def _transcribed(sessions: Sessions, path: str, owner: int, *segments: tuple[float, float, str]) -> str:
    job = await jobs.submit(sessions, path, language=None, owner_id=owner, kind="interview")
    transcript = Transcript(
        language="ko", duration=30.0, model="test", segments=tuple(Segment(s, e, t) for s, e, t in segments)
    )
    assert await jobs.complete(sessions, job, "test", transcript)
    return str(job)


async def test_both_speakers_lines_merge_into_one_timeline(sessions: Sessions, people: People) -> None:
    room_id = await _recorded_room(sessions, people)
    t0 = utcnow() - timedelta(minutes=2)
    # the interviewer's file started 3 s before the candidate's
    boss_job = await _transcribed(
        sessions,
        "/x/boss.ogg",
        people.boss.id,
        (1.0, 3.0, " 자기소개를 부탁드립니다. "),
        (9.0, 11.0, "감사합니다."),
    )
    senior_job = await _transcribed(
        sessions,
        "/x/senior.ogg",
        people.senior.id,
        (2.0, 5.5, "품질 관리를 삼십 년 했습니다."),
        (6.0, 6.5, "  "),
    )
    boss_rec = await recordings.add_recording(
        sessions, room_id, people.boss.id, "/x/boss.ogg", started_at=t0, transcript_job_id=boss_job
    )
    await recordings.add_recording(
        sessions, room_id, people.boss.id, "/x/boss.webm", kind="video", started_at=t0
    )
    senior_rec = await recordings.add_recording(
        sessions,
        room_id,
        people.senior.id,
        "/x/senior.ogg",
        started_at=t0 + timedelta(seconds=3),
        transcript_job_id=senior_job,
    )
    data = await recordings.room_recordings(sessions, room_id, people.senior)
    assert data.is_participant and data.everyone_agreed and data.pending == []
    assert [(line.speaker_id, line.text, line.at, line.start, line.recording_id) for line in data.lines] == [
        (people.boss.id, "자기소개를 부탁드립니다.", 1.0, 1.0, boss_rec.id),
        (people.senior.id, "품질 관리를 삼십 년 했습니다.", 5.0, 2.0, senior_rec.id),  # 3 s later file
        (people.boss.id, "감사합니다.", 9.0, 9.0, boss_rec.id),
    ]
    # a transcript still being made is named, not hidden
    queued = await jobs.submit(
        sessions, "/x/late.ogg", language=None, owner_id=people.boss.id, kind="interview"
    )
    room2 = await _recorded_room(sessions, people)
    await recordings.add_recording(
        sessions, room2, people.boss.id, "/x/late.ogg", started_at=t0, transcript_job_id=str(queued)
    )
    late = await recordings.room_recordings(sessions, room2, people.boss)
    assert late.lines == [] and late.pending == [people.boss.id]


async def test_sharing_follows_the_rules_of_practice_media(sessions: Sessions, people: People) -> None:
    room_id = await _recorded_room(sessions, people)
    rec = await recordings.add_recording(
        sessions, room_id, people.senior.id, "/x/senior.ogg", started_at=utcnow()
    )
    coach = await make_user(sessions, "coach@example.com", "한코치", Role.COACH)
    other_coach = await make_user(sessions, "coach2@example.com", "오코치", Role.COACH)

    # whom a participant may choose: coaches and the company's colleagues not in the room
    choices = await recordings.share_choices(sessions, room_id, people.senior)
    assert [u.id for u in choices] == [other_coach.id, coach.id, people.hr.id]  # coaches first, by name
    assert people.other_company.id not in {u.id for u in choices}

    # nobody outside sees anything yet: no hint that the room exists
    for outsider in (coach, people.hr, people.other_company, people.other_senior):
        with pytest.raises(RoomNotFound):
            await recordings.room_recordings(sessions, room_id, outsider)
        with pytest.raises(RoomNotFound):
            await recordings.recording_file(sessions, room_id, rec.id, outsider)

    # a participant shares with a coach and a colleague; not with another company or senior
    await recordings.share(sessions, room_id, people.senior, coach.id)
    await recordings.share(sessions, room_id, people.boss, people.hr.id)
    await recordings.share(sessions, room_id, people.boss, people.hr.id)  # twice is once
    for stranger in (people.other_company, people.other_senior, people.senior):
        with pytest.raises(InvalidInput) as refused:
            await recordings.share(sessions, room_id, people.boss, stranger.id)
        assert "user" in refused.value.fields
    with pytest.raises(RoomNotFound):  # only participants share
        await recordings.share(sessions, room_id, coach, other_coach.id)
    for viewer in (coach, people.hr):
        seen = await recordings.room_recordings(sessions, room_id, viewer)
        assert not seen.is_participant and seen.shares == []  # a viewer does not see whom else
        assert (await recordings.recording_file(sessions, room_id, rec.id, viewer)).id == rec.id
    assert {s.user_id for s in (await recordings.room_recordings(sessions, room_id, people.boss)).shares} == {
        coach.id,
        people.hr.id,
    }
    with pytest.raises(RoomNotFound):
        await recordings.room_recordings(sessions, room_id, other_coach)

    # any participant takes a share back: access ends at once
    assert await recordings.unshare(sessions, room_id, people.boss, coach.id) is True
    assert await recordings.unshare(sessions, room_id, people.boss, coach.id) is False
    with pytest.raises(RoomNotFound):
        await recordings.recording_file(sessions, room_id, rec.id, coach)
    with pytest.raises(RoomNotFound):
        await recordings.unshare(sessions, room_id, people.hr, people.hr.id)  # a viewer cannot

    # a participant who withdraws consent ends every share's access, and no new share is made
    await service.set_consent(sessions, room_id, people.senior.id, False)
    with pytest.raises(RoomNotFound):
        await recordings.room_recordings(sessions, room_id, people.hr)
    with pytest.raises(recordings.NotEveryoneAgreed):
        await recordings.share(sessions, room_id, people.boss, coach.id)
    assert (await recordings.room_recordings(sessions, room_id, people.senior)).is_participant
