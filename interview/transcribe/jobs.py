"""Transcription jobs: a database row first, so no request is lost, then work for a queue.

A job is ``queued`` when submitted; a worker *claims* it (``running``, attempts + 1, a lease
it renews while it works), then stores the transcript (``done``) or the reason it failed
(``failed``). Execution is at least once: a worker that dies stops renewing its lease and
another worker claims the job again (``running -> running``). Storing the result is a
conditional update that only succeeds while the job is not yet done, so a job's result
is stored once even if two workers finish it.

The queues that deliver job ids to workers live in :mod:`interview.transcribe.queue`;
:func:`make_queue` picks one from the settings.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, and_, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.db import Base, Sessions, UTCDateTime, transaction
from core.errors import AllWorkError
from interview.transcribe.errors import JobNotFound
from interview.transcribe.types import Transcript

if TYPE_CHECKING:
    from core.config import Settings

log = logging.getLogger(__name__)


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


#: allowed transitions; running -> running is a claim after the previous worker's lease ran out,
#: running -> queued a job handed back at shutdown, failed -> queued a retry asked for by a person
TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.RUNNING, JobStatus.DONE, JobStatus.FAILED, JobStatus.QUEUED}),
    JobStatus.FAILED: frozenset({JobStatus.QUEUED}),
    JobStatus.DONE: frozenset(),
}

KINDS = ("practice", "interview", "upload", "cli")


class TranscriptionJob(Base):
    __tablename__ = "transcription_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    audio_path: Mapped[str] = mapped_column(String(1000))
    language: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status: Mapped[JobStatus] = mapped_column(
        Enum(
            JobStatus,
            name="transcription_job_status",
            native_enum=False,
            length=10,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=JobStatus.QUEUED,
        index=True,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(50), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


@dataclass(frozen=True, slots=True)
class JobView:
    id: int
    status: JobStatus
    kind: str
    owner_id: int | None
    audio_path: str
    language: str | None
    attempts: int
    worker: str | None
    error_code: str | None
    #: the English msgid (translate it, then interpolate ``error_params``)
    error_message: str | None
    error_params: dict[str, Any]
    result: Transcript | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def error(self) -> str | None:
        """The error in English with its values filled in (logs, command line)."""
        if self.error_message is None:
            return None
        try:
            return self.error_message % self.error_params
        except (KeyError, TypeError, ValueError):
            return self.error_message


class TranscriptionQueue(Protocol):
    """Delivers job ids to workers: :class:`~interview.transcribe.queue.InProcessQueue` or ``ArqQueue``."""

    async def start(self) -> None: ...
    async def close(self) -> None: ...
    async def enqueue(self, job_id: int) -> None: ...


def make_queue(settings: Settings, sessions: Sessions) -> TranscriptionQueue:
    """``ArqQueue`` (Redis, ``allwork worker`` processes) with ``ALLWORK_REDIS_URL``, else in-process."""
    from interview.transcribe.queue import make_queue as _make

    return _make(settings, sessions)


class InvalidTransition(RuntimeError):
    def __init__(self, job_id: int, old: JobStatus, new: JobStatus) -> None:
        super().__init__(f"transcription job {job_id}: {old} -> {new} is not allowed")


def check_transition(job_id: int, old: JobStatus, new: JobStatus) -> None:
    if new not in TRANSITIONS[old]:
        raise InvalidTransition(job_id, old, new)
    log.info("transcription job %d: %s -> %s", job_id, old, new)


# --- service -------------------------------------------------------------------------------------
async def submit(
    sessions: Sessions, audio_path: str, *, language: str | None, owner_id: int | None, kind: str
) -> int:
    """Record a queued job and return its id. Enqueue it after this commits (``core.db.after_commit``)."""
    if kind not in KINDS:
        raise ValueError(f"unknown transcription job kind {kind!r}")
    lang = None if language in (None, "", "auto") else language
    async with transaction(sessions) as session:
        job = TranscriptionJob(
            audio_path=str(audio_path), language=lang, owner_id=owner_id, kind=kind, status=JobStatus.QUEUED
        )
        session.add(job)
        await session.flush()
        log.info("transcription job %d: new -> queued (%s)", job.id, kind)
        return job.id


async def get_job(sessions: Sessions, job_id: int) -> JobView:
    async with sessions() as session:
        job = await session.get(TranscriptionJob, job_id)
        if job is None:
            raise JobNotFound()
        return _view(job)


async def unfinished_jobs(sessions: Sessions) -> list[int]:
    """Ids of jobs queued or running, oldest first (recovered by a queue at start)."""
    async with sessions() as session:
        rows = await session.scalars(
            select(TranscriptionJob.id)
            .where(TranscriptionJob.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
            .order_by(TranscriptionJob.id)
        )
        return list(rows)


@dataclass(frozen=True, slots=True)
class Claim:
    """The answer to a worker asking for a job: run it, skip it, or ask again later."""

    run: bool
    audio_path: str = ""
    language: str | None = None
    attempt: int = 0
    retry_after: float | None = None  # seconds until a live lease held by another worker ends


async def claim(sessions: Sessions, job_id: int, worker: str, lease_s: float) -> Claim:
    """Take the job for ``worker``: queued, or running under a lease that ran out (or is ours).

    Conditional updates, so two workers racing for one job cannot both win (on SQLite too).
    """
    now = utcnow()
    values = {
        "status": JobStatus.RUNNING,
        "attempts": TranscriptionJob.attempts + 1,
        "worker": worker,
        "lease_until": now + timedelta(seconds=lease_s),
        "started_at": now,
    }
    job = TranscriptionJob
    takeover = and_(
        job.status == JobStatus.RUNNING,
        or_(job.lease_until.is_(None), job.lease_until < now),
    )
    async with transaction(sessions) as session:
        attempts = ((JobStatus.QUEUED, job.status == JobStatus.QUEUED), (JobStatus.RUNNING, takeover))
        for old, condition in attempts:
            res = await session.execute(update(job).where(job.id == job_id, condition).values(**values))
            if res.rowcount:  # type: ignore[attr-defined]
                row = (await session.execute(select(job).where(job.id == job_id))).scalar_one()
                check_transition(job_id, old, JobStatus.RUNNING)
                return Claim(run=True, audio_path=row.audio_path, language=row.language, attempt=row.attempts)
        current = (await session.execute(select(job).where(job.id == job_id))).scalar_one_or_none()
        if current is None or current.status is not JobStatus.RUNNING or current.lease_until is None:
            return Claim(run=False)
        return Claim(run=False, retry_after=max(0.1, (current.lease_until - now).total_seconds()))


async def renew_lease(sessions: Sessions, job_id: int, worker: str, lease_s: float) -> bool:
    """Extend this worker's lease; False if the job is no longer this worker's."""
    async with transaction(sessions) as session:
        res = await session.execute(
            update(TranscriptionJob)
            .where(
                TranscriptionJob.id == job_id,
                TranscriptionJob.worker == worker,
                TranscriptionJob.status == JobStatus.RUNNING,
            )
            .values(lease_until=utcnow() + timedelta(seconds=lease_s))
        )
        return bool(res.rowcount)  # type: ignore[attr-defined]


async def complete(sessions: Sessions, job_id: int, worker: str, transcript: Transcript) -> bool:
    """Store the result unless the job is already finished. True if this call stored it."""
    async with transaction(sessions) as session:
        res = await session.execute(
            update(TranscriptionJob)
            .where(
                TranscriptionJob.id == job_id,
                TranscriptionJob.status.in_([JobStatus.RUNNING, JobStatus.QUEUED]),
            )
            .values(
                status=JobStatus.DONE,
                result=transcript.to_dict(),
                worker=worker,
                lease_until=None,
                finished_at=utcnow(),
                error_code=None,
                error_message=None,
                error_params=None,
            )
        )
        stored = bool(res.rowcount)  # type: ignore[attr-defined]
    if stored:
        log.info("transcription job %d: running -> done (%s)", job_id, worker)
    else:
        log.warning("transcription job %d: finished again by %s; the first result is kept", job_id, worker)
    return stored


async def fail(sessions: Sessions, job_id: int, worker: str, error: AllWorkError) -> bool:
    """Mark the job failed with the error's code, message and values (unless already finished)."""
    async with transaction(sessions) as session:
        res = await session.execute(
            update(TranscriptionJob)
            .where(
                TranscriptionJob.id == job_id,
                TranscriptionJob.status.in_([JobStatus.RUNNING, JobStatus.QUEUED]),
            )
            .values(
                status=JobStatus.FAILED,
                worker=worker,
                lease_until=None,
                finished_at=utcnow(),
                error_code=error.code,
                error_message=error.message,
                error_params={k: _jsonable(v) for k, v in error.params.items()},
            )
        )
        changed = bool(res.rowcount)  # type: ignore[attr-defined]
    if changed:
        log.info("transcription job %d: running -> failed (%s: %s)", job_id, error.code, error)
    return changed


async def release(sessions: Sessions, job_id: int, worker: str) -> bool:
    """Hand a running job back (``running -> queued``), e.g. when its worker shuts down."""
    job = TranscriptionJob
    async with transaction(sessions) as session:
        res = await session.execute(
            update(job)
            .where(job.id == job_id, job.status == JobStatus.RUNNING, job.worker == worker)
            .values(status=JobStatus.QUEUED, lease_until=None)
        )
        released = bool(res.rowcount)  # type: ignore[attr-defined]
    if released:
        check_transition(job_id, JobStatus.RUNNING, JobStatus.QUEUED)
    return released


async def retry(sessions: Sessions, job_id: int) -> None:
    """Queue a failed job again (``failed -> queued``); enqueue it after this returns."""
    job = TranscriptionJob
    async with transaction(sessions) as session:
        res = await session.execute(
            update(job)
            .where(job.id == job_id, job.status == JobStatus.FAILED)
            .values(
                status=JobStatus.QUEUED,
                error_code=None,
                error_message=None,
                error_params=None,
                finished_at=None,
            )
        )
        if not res.rowcount:  # type: ignore[attr-defined]
            current = await session.scalar(select(job.status).where(job.id == job_id))
            if current is None:
                raise JobNotFound()
            raise InvalidTransition(job_id, JobStatus(current), JobStatus.QUEUED)
    check_transition(job_id, JobStatus.FAILED, JobStatus.QUEUED)


def _jsonable(value: object) -> object:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _view(job: TranscriptionJob) -> JobView:
    return JobView(
        id=job.id,
        status=JobStatus(job.status),
        kind=job.kind,
        owner_id=job.owner_id,
        audio_path=job.audio_path,
        language=job.language,
        attempts=job.attempts,
        worker=job.worker,
        error_code=job.error_code,
        error_message=job.error_message,
        error_params=dict(job.error_params or {}),
        result=Transcript.from_dict(job.result) if job.result else None,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )
