"""Interview rooms: the room, who takes part, the lobby, scorecards and recordings.

A room belongs to the interview of one candidate–posting pair (``pair_id``); a scorecard rates the
candidate on the criteria of the pair's posting (:mod:`matching.criteria`), see :mod:`.scorecards`.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import utcnow
from core.db import Base, UTCDateTime


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class RoomState(enum.StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    LIVE = "live"
    ENDED = "ended"


#: allowed state changes; anything else is a bug (or a stale request) and is refused
TRANSITIONS: dict[RoomState, frozenset[RoomState]] = {
    RoomState.SCHEDULED: frozenset({RoomState.OPEN, RoomState.ENDED}),
    RoomState.OPEN: frozenset({RoomState.LIVE, RoomState.ENDED}),
    RoomState.LIVE: frozenset({RoomState.ENDED}),
    RoomState.ENDED: frozenset(),
}


class ParticipantRole(enum.StrEnum):
    CANDIDATE = "candidate"
    INTERVIEWER = "interviewer"


class LobbyStatus(enum.StrEnum):
    WAITING = "waiting"
    ADMITTED = "admitted"
    DENIED = "denied"


class Recommendation(enum.StrEnum):
    """An interviewer's overall recommendation, a forced choice (no "maybe")."""

    DEFINITELY_NOT = "definitely_not"
    NO = "no"
    YES = "yes"
    STRONG_YES = "strong_yes"


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the candidate–posting pair this interview is for (:mod:`matching.pipeline`); None for a room booked
    #: by hand without a posting
    pair_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_requests.id", ondelete="SET NULL"), nullable=True, index=True
    )
    scheduled_start: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    opens_before_minutes: Mapped[int] = mapped_column(Integer, default=15)
    state: Mapped[RoomState] = mapped_column(_enum(RoomState, "room_state"), default=RoomState.SCHEDULED)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    participants: Mapped[list[RoomParticipant]] = relationship(
        back_populates="room", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def opens_at(self) -> datetime:
        return self.scheduled_start - timedelta(minutes=self.opens_before_minutes)

    def participant(self, user_id: int) -> RoomParticipant | None:
        return next((p for p in self.participants if p.user_id == user_id), None)


class RoomParticipant(Base):
    __tablename__ = "room_participants"
    __table_args__ = (UniqueConstraint("room_id", "user_id", name="uq_room_participants_room_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[ParticipantRole] = mapped_column(_enum(ParticipantRole, "participant_role"))
    #: None until asked; True/False once the participant answered on screen
    recording_consent: Mapped[bool | None] = mapped_column(nullable=True)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    room: Mapped[Room] = relationship(back_populates="participants")


class LobbyState(Base):
    """A candidate's place in the lobby: waiting, admitted or denied (by whom, when)."""

    __tablename__ = "room_lobby"
    __table_args__ = (UniqueConstraint("room_id", "user_id", name="uq_room_lobby_room_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[LobbyStatus] = mapped_column(
        _enum(LobbyStatus, "lobby_status"), default=LobbyStatus.WAITING
    )
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Scorecard(Base):
    __tablename__ = "room_scorecards"
    __table_args__ = (
        UniqueConstraint("room_id", "interviewer_id", name="uq_room_scorecards_room_interviewer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: criterion key -> rating 1..5 (the criteria of the pair's posting, :mod:`matching.criteria`)
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: criterion key -> the interviewer's written reason for that rating
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[Recommendation] = mapped_column(_enum(Recommendation, "scorecard_recommendation"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Recording(Base):
    """One participant's recorded audio (and video) of a room; a transcript job may follow."""

    __tablename__ = "room_recordings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("room_participants.id", ondelete="CASCADE"))
    path: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10), default="audio")
    duration_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    transcript_job_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the file's first moment was recorded (None for rows older than rooms_0004): the speakers'
    #: transcripts are merged into one timeline by it
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class RecordingShare(Base):
    """A participant let one more person (a coach, or a colleague of the room's company) see the room's
    recordings and transcripts; deleting the row takes the access away at once."""

    __tablename__ = "room_recording_shares"
    __table_args__ = (UniqueConstraint("room_id", "user_id", name="uq_room_recording_shares_room_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    #: who may now see them
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: the participant who shared them
    shared_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
