"""Queues that deliver transcription jobs to workers, and the work a worker does with one.

* :class:`InProcessQueue` (embedded default): an ``asyncio.Queue`` of job ids served by a
  bounded pool of tasks; the Whisper call runs in a thread pool of the same size, the model
  is loaded once. Jobs left queued or running by a previous process are recovered at start.
* :class:`ArqQueue` (``ALLWORK_REDIS_URL``): jobs go to Redis through arq and are run by
  ``allwork worker`` processes on any machine (:mod:`interview.transcribe.worker`).

Both call :func:`run_job`: claim the job row (a lease), renew the lease while Whisper works,
store the result once. A bad file fails the job with its reason; the worker keeps running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from core.errors import AllWorkError
from interview.transcribe import jobs
from interview.transcribe.engine import Engine, load_engine
from interview.transcribe.errors import AudioError, TranscriptionError

if TYPE_CHECKING:
    from arq.connections import ArqRedis

    from core.config import Settings

log = logging.getLogger(__name__)

#: a worker that stops renewing its lease for this long loses the job to another worker
LEASE_SECONDS = 30.0
DEFAULT_QUEUE = "allwork:transcribe"
JOB_FUNCTION = "transcribe_job"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


async def run_job(
    sessions: jobs.Sessions,
    engine_factory: Callable[[], Engine],
    job_id: int,
    *,
    worker: str,
    lease_s: float = LEASE_SECONDS,
    executor: ThreadPoolExecutor | None = None,
    on_heartbeat: Callable[[], Awaitable[None]] | None = None,
) -> jobs.Claim:
    """Run one job to its end (done or failed); return the claim (``run=False``: nothing to do now)."""
    claim = await jobs.claim(sessions, job_id, worker, lease_s)
    if not claim.run:
        return claim
    loop = asyncio.get_running_loop()
    heartbeat = asyncio.create_task(_heartbeat(sessions, job_id, worker, lease_s, on_heartbeat))
    try:
        try:
            transcript = await loop.run_in_executor(
                executor, lambda: engine_factory().transcribe(claim.audio_path, language=claim.language)
            )
        except AudioError as exc:
            log.warning("transcription job %d: bad audio: %s", job_id, exc)
            await jobs.fail(sessions, job_id, worker, exc)
            return claim
        except AllWorkError as exc:
            log.error("transcription job %d failed: %s", job_id, exc)
            await jobs.fail(sessions, job_id, worker, exc)
            return claim
        except Exception as exc:
            log.exception("transcription job %d failed", job_id)
            await jobs.fail(
                sessions, job_id, worker, TranscriptionError(params={"reason": type(exc).__name__})
            )
            return claim
        await jobs.complete(sessions, job_id, worker, transcript)
        return claim
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat


async def _heartbeat(
    sessions: jobs.Sessions,
    job_id: int,
    worker: str,
    lease_s: float,
    extra: Callable[[], Awaitable[None]] | None,
) -> None:
    while True:
        await asyncio.sleep(lease_s / 3)
        try:
            if not await jobs.renew_lease(sessions, job_id, worker, lease_s):
                log.warning("transcription job %d: lease lost by %s", job_id, worker)
            if extra is not None:
                await extra()
        except Exception:  # a database hiccup must not kill the job; the next beat tries again
            log.exception("transcription job %d: lease renewal failed", job_id)


class InProcessQueue:
    """A bounded pool of ``settings.transcribe_workers`` tasks in this process."""

    def __init__(
        self,
        settings: Settings,
        sessions: jobs.Sessions,
        *,
        engine: Engine | None = None,
        lease_s: float = LEASE_SECONDS,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.size = settings.transcribe_workers
        self.lease_s = lease_s
        self.worker = worker_id()
        self._engine = engine
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._timers: set[asyncio.TimerHandle] = set()
        self._running: set[int] = set()
        self._executor: ThreadPoolExecutor | None = None

    def _get_engine(self) -> Engine:
        if self._engine is None:
            self._engine = load_engine(self.settings)
        return self._engine

    async def start(self) -> None:
        self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="transcribe")
        self._tasks = [asyncio.create_task(self._serve(), name=f"transcribe-{i}") for i in range(self.size)]
        for job_id in await jobs.unfinished_jobs(self.sessions):
            await self.enqueue(job_id)

    async def enqueue(self, job_id: int) -> None:
        self._queue.put_nowait(job_id)

    async def join(self) -> None:
        """Wait until every enqueued job has been handled (tests, command line)."""
        await self._queue.join()

    async def close(self) -> None:
        for timer in self._timers:
            timer.cancel()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        for job_id in list(self._running):  # interrupted: queued again for the next start
            await jobs.release(self.sessions, job_id, self.worker)
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    async def _serve(self) -> None:
        while True:
            job_id = await self._queue.get()
            self._running.add(job_id)
            try:
                claim = await run_job(
                    self.sessions,
                    self._get_engine,
                    job_id,
                    worker=self.worker,
                    lease_s=self.lease_s,
                    executor=self._executor,
                )
                if claim.retry_after is not None:  # another live worker holds it: look again later
                    self._later(claim.retry_after, job_id)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("transcription job %d: worker error", job_id)
            finally:
                self._running.discard(job_id)
                self._queue.task_done()

    def _later(self, delay: float, job_id: int) -> None:
        loop = asyncio.get_running_loop()
        handle: asyncio.TimerHandle

        def fire() -> None:
            self._timers.discard(handle)
            self._queue.put_nowait(job_id)

        handle = loop.call_later(delay, fire)
        self._timers.add(handle)


class ArqQueue:
    """Enqueues job ids into Redis for ``allwork worker`` processes (arq)."""

    def __init__(self, settings: Settings, sessions: jobs.Sessions, *, queue_name: str | None = None) -> None:
        if not settings.redis_url:
            raise ValueError("ArqQueue needs ALLWORK_REDIS_URL")
        self.redis_url = settings.redis_url
        self.sessions = sessions
        self.queue_name = queue_name or settings.transcribe_queue
        self._pool: ArqRedis | None = None

    async def start(self) -> None:
        from arq import create_pool
        from arq.connections import RedisSettings

        self._pool = await create_pool(
            RedisSettings.from_dsn(self.redis_url), default_queue_name=self.queue_name
        )
        # jobs that were queued while Redis was unreachable, or lost with a flushed Redis
        for job_id in await jobs.unfinished_jobs(self.sessions):
            await self.enqueue(job_id)

    async def enqueue(self, job_id: int) -> None:
        if self._pool is None:
            raise RuntimeError("ArqQueue.enqueue() before start()")
        # one arq job per transcription job: enqueuing twice while it waits or runs is a no-op
        await self._pool.enqueue_job(JOB_FUNCTION, job_id, _job_id=arq_job_id(job_id, self.queue_name))

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None


def arq_job_id(job_id: int, queue_name: str = DEFAULT_QUEUE) -> str:
    """arq's id for a transcription job: named after the queue, because arq keeps job ids in one
    namespace per Redis (``arq:job:<id>``) and job numbers of two deployments would collide."""
    return f"{queue_name}:{job_id}"


def make_queue(settings: Settings, sessions: jobs.Sessions) -> jobs.TranscriptionQueue:
    if settings.redis_url:
        return ArqQueue(settings, sessions)
    return InProcessQueue(settings, sessions)
