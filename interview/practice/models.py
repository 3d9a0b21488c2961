"""Tables of mock-interview practice: the admins' question bank, sessions, takes, coach review.

A :class:`PracticeSession` is one run through a set of questions by one senior. Each answer
attempt is a :class:`PracticeTake`; the row exists (state ``recording``) before any audio
arrives, so a dropped connection leaves a row that says what was lost, never a half-written
result. The last finished take of a question is the one that counts; earlier takes are kept
until the senior deletes them. Takes and sessions carry explicit state machines
(:data:`TAKE_TRANSITIONS`, :data:`SESSION_TRANSITIONS`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.db import Base, UTCDateTime


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class SessionState(enum.StrEnum):
    OPEN = "open"
    FINISHED = "finished"


SESSION_TRANSITIONS: dict[SessionState, frozenset[SessionState]] = {
    SessionState.OPEN: frozenset({SessionState.FINISHED}),
    SessionState.FINISHED: frozenset({SessionState.OPEN}),  # the senior practises it again
}


class TakeState(enum.StrEnum):
    RECORDING = "recording"  # the row exists; audio is arriving
    PROCESSING = "processing"  # the answer ended; the last words are transcribed, feedback computed
    DONE = "done"
    FAILED = "failed"  # the recording could not be analysed (the message says why)
    ABANDONED = "abandoned"  # the connection dropped or the tab closed while recording


TAKE_TRANSITIONS: dict[TakeState, frozenset[TakeState]] = {
    TakeState.RECORDING: frozenset({TakeState.PROCESSING, TakeState.ABANDONED, TakeState.FAILED}),
    TakeState.PROCESSING: frozenset({TakeState.DONE, TakeState.FAILED}),
    TakeState.DONE: frozenset(),
    TakeState.FAILED: frozenset(),
    TakeState.ABANDONED: frozenset(),
}

#: takes that are finished one way or another (no more audio, no more work)
FINAL_TAKE_STATES = frozenset({TakeState.DONE, TakeState.FAILED, TakeState.ABANDONED})


class PracticeQuestion(Base):
    """One question of the bank as admins keep it (seeded from ``data/questions.json``)."""

    __tablename__ = "practice_questions"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  #: a slug
    category: Mapped[str] = mapped_column(String(20), index=True)
    role: Mapped[str | None] = mapped_column(String(40), nullable=True)
    text_ko: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    suggested_seconds: Mapped[int] = mapped_column(Integer)
    keywords_ko: Mapped[list[str]] = mapped_column(JSON, default=list)
    keywords_en: Mapped[list[str]] = mapped_column(JSON, default=list)
    tip_ko: Mapped[str] = mapped_column(Text, default="")
    tip_en: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PracticeSession(Base):
    __tablename__ = "practice_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    senior_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: "general", "senior", "role" (one job family) or "posting" (one matched posting)
    set_kind: Mapped[str] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: the matched posting (a plain id: the posting may be closed or deleted later)
    posting_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(5))  #: "ko", "en" or "auto" (what the senior speaks)
    question_ids: Mapped[list[str]] = mapped_column(JSON)
    #: question texts as they were when the session started (admins may edit the bank later)
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    max_retakes: Mapped[int] = mapped_column(Integer, default=2)
    think_seconds: Mapped[int] = mapped_column(Integer, default=30)
    current_index: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[SessionState] = mapped_column(
        _enum(SessionState, "practice_session_state"), default=SessionState.OPEN
    )
    shared_coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class PracticeTake(Base):
    __tablename__ = "practice_takes"
    __table_args__ = (
        UniqueConstraint("session_id", "question_index", "attempt", name="uq_practice_takes_try"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True
    )
    question_index: Mapped[int] = mapped_column(Integer)
    question_id: Mapped[str] = mapped_column(String(80))
    attempt: Mapped[int] = mapped_column(Integer)  #: 1 for the first answer, 2 for the first retake …
    state: Mapped[TakeState] = mapped_column(
        _enum(TakeState, "practice_take_state"), default=TakeState.RECORDING
    )
    #: file names relative to the data folder
    audio_file: Mapped[str] = mapped_column(String(500))
    video_file: Mapped[str | None] = mapped_column(String(500), nullable=True)
    duration: Mapped[float | None] = mapped_column(Float, nullable=True)
    transcript: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    feedback: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(String(300), nullable=True)  #: an English msgid
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: the server process recording or analysing the take renews this while it works; a take still
    #: ``recording`` or ``processing`` after its lease ran out was interrupted (service.recover_interrupted)
    lease_node: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class CoachComment(Base):
    """A coach's note on a shared session: a comment at a moment (or a span ``at_seconds`` to
    ``end_seconds``) of one answer, or a know-how tip. A comment on an answer reaches the senior
    when the coach sends the answer's :class:`TakeReview`."""

    __tablename__ = "practice_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True
    )
    take_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_takes.id", ondelete="CASCADE"), nullable=True, index=True
    )
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    kind: Mapped[str] = mapped_column(String(10))  #: "comment" or "tip"
    at_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: the end of a span of words (None: the comment is pinned to one moment)
    end_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommentReply(Base):
    """The senior's (or the coach's) answer to a comment on an answer."""

    __tablename__ = "practice_comment_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("practice_comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TakeReview(Base):
    """One coach's review of one answer: a rating per criterion (1-5), an overall note, and when
    it was sent to the senior (None: a draft only the coach sees)."""

    __tablename__ = "practice_reviews"
    __table_args__ = (UniqueConstraint("take_id", "coach_id", name="uq_practice_reviews_take_coach"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    take_id: Mapped[int] = mapped_column(ForeignKey("practice_takes.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("practice_sessions.id", ondelete="CASCADE"), index=True
    )
    coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    clarity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    structure: Mapped[int | None] = mapped_column(Integer, nullable=True)
    relevance: Mapped[int | None] = mapped_column(Integer, nullable=True)
    confidence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CoachLink(Base):
    """A standing share: every practice session this senior starts is shared with this coach.
    The senior sets it ("all my future practice") or an admin assigns the coach; the senior can
    end it at any time."""

    __tablename__ = "practice_coach_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    senior_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
