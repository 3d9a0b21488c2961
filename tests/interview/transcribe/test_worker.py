"""Two real `allwork worker` processes on a real Redis and PostgreSQL; one is killed mid-job."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import redis

from core.config import Settings
from core.db import Sessions, create_engine, session_factory
from interview.transcribe import jobs
from interview.transcribe.jobs import JobStatus
from interview.transcribe.queue import ArqQueue
from tests.waiting import wait_until
from web.composition import upgrade

from .conftest import words_of

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres]
ROOT = Path(__file__).resolve().parents[3]


def _start_worker(env: dict[str, str], queue: str, log: Path) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "interview.transcribe.cli", "worker", "--queue", queue, "--lease", "2"]
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _tails(logs: list[Path]) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs)


def _job_once(
    sessions: Sessions, job_id: int, ready: Callable[[jobs.JobView], bool]
) -> Callable[[], Awaitable[jobs.JobView | None]]:
    """A predicate for wait_until: the job's view once ``ready`` holds for it."""

    async def check() -> jobs.JobView | None:
        view = await jobs.get_job(sessions, job_id)
        return view if ready(view) else None

    return check


def test_killed_worker_job_finishes_on_another_once(
    pg_url: str, redis_url: str, settings: Settings, answer: Path, tmp_path: Path
) -> None:
    long_audio = tmp_path / "long.wav"
    subprocess.run(["sox", str(answer), str(answer), str(answer), str(long_audio)], check=True)
    upgrade(pg_url)  # synchronous (runs its own loop), so the scenario runs in a loop of its own
    asyncio.run(_scenario(pg_url, redis_url, settings, answer, tmp_path))


async def _scenario(pg_url: str, redis_url: str, settings: Settings, answer: Path, tmp_path: Path) -> None:
    long_audio = tmp_path / "long.wav"
    queue_name = f"test:transcribe:{uuid.uuid4().hex[:10]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLWORK_")}
    env.update(
        ALLWORK_DATABASE_URL=pg_url,
        ALLWORK_REDIS_URL=redis_url,
        ALLWORK_DATA_DIR=str(settings.data_dir),
        ALLWORK_WHISPER_MODEL="tiny.en",
        ALLWORK_WHISPER_THREADS="1",
        ALLWORK_LOG_LEVEL="INFO",
    )
    logs = [tmp_path / "worker_a.log", tmp_path / "worker_b.log"]
    procs = [_start_worker(env, queue_name, log) for log in logs]
    engine = create_engine(pg_url)
    sessions = session_factory(engine)
    queue = ArqQueue(settings.model_copy(update={"redis_url": redis_url}), sessions, queue_name=queue_name)
    try:
        await wait_until(
            lambda: all("ready on" in log.read_text(errors="replace") for log in logs),
            within=60,
            message=lambda: "the workers did not start\n" + _tails(logs),
        )
        await queue.start()
        job_id = await jobs.submit(sessions, str(long_audio), language="en", owner_id=None, kind="practice")
        await queue.enqueue(job_id)

        view = await wait_until(
            _job_once(sessions, job_id, lambda v: v.status is JobStatus.RUNNING and bool(v.worker)),
            within=60,
            message=lambda: "the job never started\n" + _tails(logs),
        )
        assert view.worker is not None
        first_pid = int(view.worker.rsplit(":", 1)[1])
        victim = next(p for p in procs if p.pid == first_pid)
        survivor = next(p for p in procs if p.pid != first_pid)
        # a duration, not a condition: the kill lands mid-job (tiny.en needs seconds for 75 s of speech)
        await asyncio.sleep(0.5)
        assert (await jobs.get_job(sessions, job_id)).status is JobStatus.RUNNING
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)

        view = await wait_until(
            _job_once(sessions, job_id, lambda v: v.status in (JobStatus.DONE, JobStatus.FAILED)),
            within=120,
            message=lambda: "the job was not taken over\n" + _tails(logs),
        )
        assert view.status is JobStatus.DONE, view.error
        assert view.worker is not None and view.worker.endswith(f":{survivor.pid}")
        assert view.attempts == 2
        assert view.result is not None and {"steel", "factory", "engineers"} <= words_of(view.result.text)
        assert view.result.duration > 70
        assert survivor.poll() is None  # the other worker keeps running

        # a bad file fails its job with the reason, and the same worker still takes the next job
        bad = tmp_path / "notes.wav"
        bad.write_text("not audio\n" * 50)
        bad_id = await jobs.submit(sessions, str(bad), language="en", owner_id=None, kind="upload")
        await queue.enqueue(bad_id)
        bad_view = await wait_until(
            _job_once(sessions, bad_id, lambda v: v.status is JobStatus.FAILED),
            within=60,
            message=lambda: "the bad file's job did not fail\n" + _tails(logs),
        )
        assert bad_view.error == "The file notes.wav is not an audio or video recording."
        assert survivor.poll() is None
        log_text = logs[procs.index(survivor)].read_text(errors="replace")
        assert f"transcription job {job_id}: running -> running" in log_text
        assert f"transcription job {job_id}: running -> done" in log_text
    finally:
        await queue.close()
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        await engine.dispose()
        client = redis.Redis.from_url(redis_url)
        try:
            keys = list(client.scan_iter(f"{queue_name}*")) + list(client.scan_iter(f"arq:*:{queue_name}:*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()
