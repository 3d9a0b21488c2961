from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.db import Sessions
from interview.transcribe import jobs
from interview.transcribe.engine import Engine
from interview.transcribe.errors import JobNotFound, NotAudio
from interview.transcribe.jobs import JobStatus, submit
from interview.transcribe.queue import InProcessQueue, make_queue
from interview.transcribe.types import Segment, Transcript, Word
from tests.waiting import wait_until

from .conftest import JFK_WORDS, words_of


def _transcript(text: str) -> Transcript:
    return Transcript("en", 1.0, "test", (Segment(0.0, 1.0, text, (Word(text, 0.0, 1.0, 0.9),)),))


async def _wait(
    sessions: Sessions, job_id: int, statuses: set[JobStatus], limit_s: float = 60
) -> jobs.JobView:
    """The job's view once its status is one of ``statuses``."""
    seen: list[JobStatus] = []

    async def reached() -> jobs.JobView | None:
        view = await jobs.get_job(sessions, job_id)
        seen.append(view.status)
        return view if view.status in statuses else None

    return await wait_until(reached, within=limit_s, message=lambda: f"job {job_id} still {seen[-1]}")


async def test_submit_claim_complete_once(sessions: Sessions) -> None:
    job_id = await submit(sessions, "/x/a.wav", language="auto", owner_id=None, kind="practice")
    view = await jobs.get_job(sessions, job_id)
    assert (view.status, view.attempts, view.language, view.result) == (JobStatus.QUEUED, 0, None, None)
    claim = await jobs.claim(sessions, job_id, "w1", lease_s=30)
    assert claim.run and claim.attempt == 1 and claim.audio_path == "/x/a.wav"
    other = await jobs.claim(sessions, job_id, "w2", lease_s=30)  # w1's lease is alive
    assert not other.run and other.retry_after is not None and 25 < other.retry_after <= 30
    assert await jobs.renew_lease(sessions, job_id, "w1", 30)
    assert not await jobs.renew_lease(sessions, job_id, "w2", 30)
    assert await jobs.complete(sessions, job_id, "w1", _transcript("first"))
    assert not await jobs.complete(sessions, job_id, "w2", _transcript("second"))  # stored once
    view = await jobs.get_job(sessions, job_id)
    assert view.status is JobStatus.DONE and view.worker == "w1" and view.attempts == 1
    assert view.result is not None and view.result.text == "first"
    assert not (await jobs.claim(sessions, job_id, "w3", 30)).run


async def test_expired_lease_is_taken_over(sessions: Sessions) -> None:
    job_id = await submit(sessions, "/x/b.wav", language="ko", owner_id=None, kind="interview")
    assert (await jobs.claim(sessions, job_id, "dead", lease_s=0.2)).run
    await asyncio.sleep(0.3)  # the dead worker's lease runs out: that is what this test is about
    claim = await jobs.claim(sessions, job_id, "alive", lease_s=30)
    assert claim.run and claim.attempt == 2 and claim.language == "ko"
    assert not await jobs.renew_lease(sessions, job_id, "dead", 30)


async def test_transitions_are_explicit(sessions: Sessions) -> None:
    job_id = await submit(sessions, "/x/c.wav", language=None, owner_id=None, kind="upload")
    await jobs.claim(sessions, job_id, "w", 30)
    assert await jobs.fail(sessions, job_id, "w", NotAudio("/srv/secret/c.wav"))
    view = await jobs.get_job(sessions, job_id)
    assert view.status is JobStatus.FAILED and view.error_code == "not_audio"
    assert view.error == "The file c.wav is not an audio or video recording."
    await jobs.retry(sessions, job_id)
    assert (await jobs.get_job(sessions, job_id)).status is JobStatus.QUEUED
    with pytest.raises(jobs.InvalidTransition):
        await jobs.retry(sessions, job_id)  # queued -> queued is not a transition
    await jobs.claim(sessions, job_id, "w", 30)
    assert await jobs.release(sessions, job_id, "w")
    assert (await jobs.get_job(sessions, job_id)).status is JobStatus.QUEUED
    with pytest.raises(JobNotFound):
        await jobs.get_job(sessions, 999999)
    with pytest.raises(ValueError):
        await submit(sessions, "/x", language=None, owner_id=None, kind="nonsense")
    assert JobStatus.DONE not in jobs.TRANSITIONS[JobStatus.QUEUED]
    assert not jobs.TRANSITIONS[JobStatus.DONE]


@pytest.mark.slow
async def test_in_process_queue_runs_jobs_and_survives_bad_files(
    sessions: Sessions, settings: Settings, tiny_engine: Engine, jfk: Path, bad_files: dict[str, Path]
) -> None:
    queue = InProcessQueue(settings, sessions, engine=tiny_engine)
    left_over = await submit(sessions, str(jfk), language="en", owner_id=None, kind="practice")
    await queue.start()  # recovers the job queued before it started
    try:
        bad = {}
        for kind in ("NotAudio", "EmptyAudio", "TruncatedAudio", "CorruptAudio", "NoAudioStream"):
            bad[kind] = await submit(
                sessions, str(bad_files[kind]), language="en", owner_id=None, kind="upload"
            )
            await queue.enqueue(bad[kind])
        good = await submit(sessions, str(jfk), language="en", owner_id=None, kind="practice")
        await queue.enqueue(good)
        await asyncio.wait_for(queue.join(), 120)
        for kind, job_id in bad.items():
            view = await jobs.get_job(sessions, job_id)
            assert view.status is JobStatus.FAILED, kind
            assert view.error is not None and bad_files[kind].name in view.error
        for job_id in (left_over, good):
            view = await _wait(sessions, job_id, {JobStatus.DONE})
            assert view.result is not None and len(JFK_WORDS & words_of(view.result.text)) >= 10
            assert view.attempts == 1
    finally:
        await queue.close()


async def test_two_deployments_on_one_redis_keep_their_jobs_apart(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], redis_url: str
) -> None:
    """Job 7 of one deployment and job 7 of another are two arq jobs, each on its own queue (arq
    would take the second for a duplicate of the first if the ids were the same)."""
    import uuid

    import redis.asyncio

    from interview.transcribe.queue import ArqQueue

    names = [f"test:{tag}:{uuid.uuid4().hex[:10]}" for tag in ("a", "b")]
    queues = [
        ArqQueue(settings.model_copy(update={"redis_url": redis_url, "transcribe_queue": n}), sessions)
        for n in names
    ]
    client = redis.asyncio.Redis.from_url(redis_url)
    try:
        for queue in queues:
            await queue.start()
            await queue.enqueue(7)  # the same job number in both deployments
            await queue.enqueue(7)  # and enqueued twice: still one job
        for name in names:
            assert await client.zcard(name) == 1
            assert await client.exists(f"arq:job:{name}:7")
    finally:
        for queue in queues:
            await queue.close()
        await client.delete(*names, *(f"arq:job:{n}:7" for n in names))
        await client.aclose()


def test_make_queue_picks_by_settings(settings: Settings, redis_url: str) -> None:
    from interview.transcribe.queue import ArqQueue

    sessions = async_sessionmaker()
    assert isinstance(make_queue(settings, sessions), InProcessQueue)
    with_redis = settings.model_copy(update={"redis_url": redis_url})
    assert isinstance(jobs.make_queue(with_redis, sessions), ArqQueue)
