"""A room's recordings and transcripts: who may see them, one timeline of both speakers, sharing.

The recorder writes one file per participant and each file gets its own transcript
(``interview.transcribe`` job, streamed while the interview goes on), so every line is already
tagged with its speaker. :func:`room_recordings` merges the speakers' lines into one timeline by
each file's ``started_at``; a line's ``start`` stays the time inside its speaker's file, which is
where pressing it seeks.

Who sees them (the rules of practice media: the owner, and whom the owner allowed):

- the room's participants;
- a person a participant shared them with (:func:`share`): an active coach, or a *colleague* — an
  active company account of the room's company (its owner, or an interviewer of another room for a
  posting of that company). Only while every participant has agreed to recording; any participant
  may take a share back (:func:`unshare`), and access ends at once;
- nobody else: they get :class:`RoomNotFound`, never a hint that the room exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.accounts import Role, User
from core.db import Sessions, transaction
from core.errors import Forbidden, InvalidInput
from core.i18n import N_
from interview.rooms.errors import NotParticipant, RoomNotFound
from interview.rooms.models import ParticipantRole, Recording, RecordingShare, Room, RoomParticipant
from interview.transcribe.jobs import JobStatus, TranscriptionJob
from interview.transcribe.types import Transcript
from matching.models import Company, InterviewRequest, Posting


class NotEveryoneAgreed(Forbidden):
    code = "not_everyone_agreed"
    message = N_("Recordings can be shared only when everyone in the interview agreed to recording.")


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    """One spoken segment: who said it, when in the interview, and where in the speaker's file."""

    #: seconds from the first recording's start (the merged timeline)
    at: float
    #: seconds inside the speaker's own audio file (where pressing the line seeks)
    start: float
    end: float
    text: str
    speaker_id: int
    recording_id: int


@dataclass
class RoomRecordings:
    room: Room
    #: the viewer is one of the room's participants (may share and take shares back)
    is_participant: bool
    recordings: list[Recording]
    #: participant id -> user id
    speakers: dict[int, int]
    lines: list[TranscriptLine] = field(default_factory=list)
    #: user ids of speakers whose transcript is not ready yet (or failed)
    pending: list[int] = field(default_factory=list)
    #: whom the recordings are shared with (participants only see this list)
    shares: list[RecordingShare] = field(default_factory=list)
    everyone_agreed: bool = False


def everyone_agreed(room: Room) -> bool:
    return bool(room.participants) and all(p.recording_consent for p in room.participants)


async def _room(session: AsyncSession, room_id: int) -> Room:
    room = await session.scalar(select(Room).where(Room.id == room_id))
    if room is None:
        raise RoomNotFound()
    return room


async def _visible(session: AsyncSession, room_id: int, actor: User) -> tuple[Room, bool]:
    """The room and whether the actor takes part in it; RoomNotFound for anyone without access."""
    room = await _room(session, room_id)
    if room.participant(actor.id) is not None:
        return room, True
    if not actor.is_active or not everyone_agreed(room):
        raise RoomNotFound()
    shared = await session.scalar(
        select(RecordingShare.id).where(RecordingShare.room_id == room_id, RecordingShare.user_id == actor.id)
    )
    if shared is None:
        raise RoomNotFound()
    return room, False


async def _company_id(session: AsyncSession, room: Room) -> int | None:
    if room.pair_id is None:
        return None
    return await session.scalar(
        select(Posting.company_id)
        .join(InterviewRequest, InterviewRequest.posting_id == Posting.id)
        .where(InterviewRequest.id == room.pair_id)
    )


async def _colleague_ids(session: AsyncSession, room: Room) -> set[int]:
    """Company accounts of the room's company: its owner and the interviewers of its other rooms."""
    company_id = await _company_id(session, room)
    if company_id is None:
        return set()
    owner = await session.scalar(select(Company.owner_id).where(Company.id == company_id))
    interviewers = await session.scalars(
        select(RoomParticipant.user_id)
        .join(Room, Room.id == RoomParticipant.room_id)
        .join(InterviewRequest, InterviewRequest.id == Room.pair_id)
        .join(Posting, Posting.id == InterviewRequest.posting_id)
        .where(Posting.company_id == company_id, RoomParticipant.role == ParticipantRole.INTERVIEWER)
    )
    return ({owner} if owner is not None else set()) | set(interviewers)


async def share_choices(sessions: Sessions, room_id: int, actor: User) -> list[User]:
    """Whom a participant may share the room's recordings with: active coaches and colleagues of the
    room's company who are not in the room, by role (coaches first) and name."""
    async with sessions() as session:
        room, is_participant = await _visible(session, room_id, actor)
        if not is_participant:
            return []
        colleagues = await _colleague_ids(session, room)
        taking_part = {p.user_id for p in room.participants}
        users = await session.scalars(
            select(User).where(
                User.is_active.is_(True),
                (User.role == Role.COACH) | (User.id.in_(colleagues) & (User.role == Role.COMPANY)),
            )
        )
        chosen = [u for u in users if u.id not in taking_part]
    return sorted(chosen, key=lambda u: (u.role != Role.COACH, u.name, u.id))


async def share(sessions: Sessions, room_id: int, actor: User, user_id: int) -> None:
    """A participant lets one coach or colleague see the room's recordings and transcripts."""
    choices = {u.id for u in await share_choices(sessions, room_id, actor)}
    async with transaction(sessions) as session:
        room, is_participant = await _visible(session, room_id, actor)
        if not is_participant:
            raise RoomNotFound()
        if not everyone_agreed(room):
            raise NotEveryoneAgreed()
        if user_id not in choices:
            raise InvalidInput(fields={"user": N_("Please choose a person from the list.")})
        exists = await session.scalar(
            select(RecordingShare.id).where(
                RecordingShare.room_id == room_id, RecordingShare.user_id == user_id
            )
        )
        if exists is None:
            session.add(RecordingShare(room_id=room_id, user_id=user_id, shared_by=actor.id))


async def unshare(sessions: Sessions, room_id: int, actor: User, user_id: int) -> bool:
    """Any participant takes a share back; True if there was one. The person loses access at once."""
    async with transaction(sessions) as session:
        _room_row, is_participant = await _visible(session, room_id, actor)
        if not is_participant:
            raise RoomNotFound()
        result = await session.execute(
            delete(RecordingShare).where(RecordingShare.room_id == room_id, RecordingShare.user_id == user_id)
        )
        return bool(getattr(result, "rowcount", 0))


async def recording_file(sessions: Sessions, room_id: int, recording_id: int, actor: User) -> Recording:
    """One recording of the room, for whoever may see the room's recordings (else RoomNotFound)."""
    async with sessions() as session:
        await _visible(session, room_id, actor)
        rec = await session.get(Recording, recording_id)
        if rec is None or rec.room_id != room_id:
            raise RoomNotFound()
        return rec


async def add_recording(
    sessions: Sessions,
    room_id: int,
    user_id: int,
    path: str,
    *,
    started_at: datetime,
    kind: str = "audio",
    duration: float = 0.0,
    transcript_job_id: str | None = None,
) -> Recording:
    """List a participant's recorded file; ``started_at``: when its first moment was recorded (both
    speakers' transcripts merge into one timeline by it)."""
    async with transaction(sessions) as session:
        room = await _room(session, room_id)
        part = room.participant(user_id)
        if part is None:
            raise NotParticipant()
        rec = Recording(
            room_id=room_id,
            participant_id=part.id,
            path=path,
            kind=kind,
            duration_seconds=duration,
            transcript_job_id=transcript_job_id,
            started_at=started_at,
        )
        session.add(rec)
    return rec


def _started(rec: Recording) -> datetime:
    return rec.started_at or rec.created_at


async def room_recordings(sessions: Sessions, room_id: int, actor: User) -> RoomRecordings:
    """The room's recordings with both speakers' transcripts merged into one timeline."""
    async with sessions() as session:
        room, is_participant = await _visible(session, room_id, actor)
        recs = list(
            await session.scalars(
                select(Recording).where(Recording.room_id == room_id).order_by(Recording.id)
            )
        )
        speakers = {p.id: p.user_id for p in room.participants}
        audio = [r for r in recs if r.kind == "audio"]
        job_ids = {int(r.transcript_job_id or 0): r for r in audio if (r.transcript_job_id or "").isdigit()}
        jobs = {
            job.id: job
            for job in await session.scalars(select(TranscriptionJob).where(TranscriptionJob.id.in_(job_ids)))
        }
        shares = (
            list(
                await session.scalars(
                    select(RecordingShare)
                    .where(RecordingShare.room_id == room_id)
                    .order_by(RecordingShare.id)
                )
            )
            if is_participant
            else []
        )
    out = RoomRecordings(
        room, is_participant, recs, speakers, shares=shares, everyone_agreed=everyone_agreed(room)
    )
    if not audio:
        return out
    base = min(_started(r) for r in audio)
    for job_id, rec in job_ids.items():
        job = jobs.get(job_id)
        speaker = speakers.get(rec.participant_id, 0)
        if job is None or JobStatus(job.status) != JobStatus.DONE or not job.result:
            out.pending.append(speaker)
            continue
        offset = (_started(rec) - base).total_seconds()
        for seg in Transcript.from_dict(job.result).segments:
            text = seg.text.strip()
            if text:
                out.lines.append(
                    TranscriptLine(offset + seg.start, seg.start, seg.end, text, speaker, rec.id)
                )
    out.pending.extend(
        speakers.get(r.participant_id, 0) for r in audio if not (r.transcript_job_id or "").isdigit()
    )
    out.lines.sort(key=lambda line: (line.at, line.speaker_id))
    return out
