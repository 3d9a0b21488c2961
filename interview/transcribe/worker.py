"""``allwork worker``: an arq worker process that runs transcription jobs from Redis.

arq (Redis, asyncio, small, already a dependency) keeps each job in a sorted set until a
worker finishes it, and marks a job being run with an *in-progress* key that expires. arq sets
that expiry once, to the job timeout + 10 s, so a killed worker would hold a long job for as
long as it may run. :class:`LeasedWorker` sets it to a short lease instead and the job renews
it (with the job row's lease) every third of the lease while Whisper works: a worker killed in
the middle of a job loses it within one lease, and another worker, polling the same queue,
takes it over. The result is stored once (see :func:`interview.transcribe.jobs.complete`).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from arq import Retry
from arq.connections import RedisSettings
from arq.constants import in_progress_key_prefix
from arq.worker import Worker, func

from core.config import Settings
from core.db import create_engine, session_factory
from interview.transcribe.engine import load_engine
from interview.transcribe.queue import DEFAULT_QUEUE, JOB_FUNCTION, LEASE_SECONDS, run_job, worker_id

log = logging.getLogger(__name__)

MAX_TRIES = 20  # deliveries of one job (crashed workers and lease waits included)


async def transcribe_job(ctx: dict[str, Any], job_id: int) -> str:
    lease_s: float = ctx["lease_s"]
    redis = ctx["redis"]
    key = in_progress_key_prefix + ctx["job_id"]

    async def keep_arq_lease() -> None:
        await redis.pexpire(key, int(lease_s * 1000))

    claim = await run_job(
        ctx["sessions"],
        ctx["engine"],
        job_id,
        worker=ctx["worker_id"],
        lease_s=lease_s,
        executor=ctx["executor"],
        on_heartbeat=keep_arq_lease,
    )
    if claim.retry_after is not None:
        raise Retry(defer=claim.retry_after + 0.1)
    return "ran" if claim.run else "skipped"


class LeasedWorker(Worker):
    """An arq worker whose in-progress marks last one lease, renewed while a job runs."""

    def __init__(self, *args: Any, lease_s: float = LEASE_SECONDS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.in_progress_timeout_s = lease_s


def build_worker(
    settings: Settings,
    *,
    queue_name: str = DEFAULT_QUEUE,
    lease_s: float = LEASE_SECONDS,
    poll_delay: float = 0.5,
    burst: bool = False,
) -> LeasedWorker:
    """The worker; call inside a running event loop, then ``await worker.main()``."""
    if not settings.redis_url:
        raise ValueError("allwork worker needs ALLWORK_REDIS_URL")
    executor = ThreadPoolExecutor(settings.transcribe_workers, thread_name_prefix="transcribe")
    state: dict[str, Any] = {}

    async def startup(ctx: dict[str, Any]) -> None:
        engine = create_engine(settings)
        state["db"] = engine
        # load the model before taking jobs, off the event loop
        model = await asyncio.get_running_loop().run_in_executor(executor, load_engine, settings)
        ctx.update(
            sessions=session_factory(engine),
            engine=lambda: model,
            executor=executor,
            lease_s=lease_s,
            worker_id=worker_id(),
        )
        log.info(
            "transcription worker %s ready on queue %s (model %s)", worker_id(), queue_name, model.model_name
        )

    async def shutdown(ctx: dict[str, Any]) -> None:
        if "db" in state:
            await state["db"].dispose()
        executor.shutdown(wait=False, cancel_futures=True)

    return LeasedWorker(
        functions=[func(transcribe_job, name=JOB_FUNCTION, keep_result=0, max_tries=MAX_TRIES)],
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        queue_name=queue_name,
        max_jobs=settings.transcribe_workers,
        job_timeout=max(600, settings.max_audio_seconds * 3),
        poll_delay=poll_delay,
        burst=burst,
        on_startup=startup,
        on_shutdown=shutdown,
        health_check_interval=max(1.0, lease_s),
        lease_s=lease_s,
    )


async def serve(settings: Settings, **kwargs: Any) -> None:
    worker = build_worker(settings, **kwargs)
    try:
        await worker.main()
    finally:
        await worker.close()


def run(settings: Settings, **kwargs: Any) -> int:
    asyncio.run(serve(settings, **kwargs))
    return 0
