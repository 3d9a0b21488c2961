"""Concurrent practice sessions: N simulated seniors answering at once, each getting feedback.

Each simulated senior is an aiortc client (:mod:`testkit.simclient`) that connects
to the server-side recorder, marks an answer started, speaks a real recording (espeak-ng
English, about 15 s) in real time, marks it stopped, and waits for the feedback. The latency
is measured from the moment the last sample of speech left the client to the moment the take
is ``done`` (transcript and feedback stored). For each N the benchmark reports the 95th
percentile of that latency, and CPU and memory per session; the largest N whose p95 is within
the target (5 s) is the answer.

    .venv/bin/python bench/bench_practice.py --max-n 4 --answers 2 --json

Prints one JSON object. Uses the Whisper model of ALLWORK_WHISPER_MODEL (default base) and a
temporary SQLite database; clients and server share this process (as on a one-machine
deployment, the clients' own Opus encoding is counted in the CPU figure).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from aiortc import RTCSessionDescription  # noqa: E402

from core.accounts import create_user, validate_account  # noqa: E402
from core.config import load_settings  # noqa: E402
from core.db import create_engine, session_factory  # noqa: E402
from interview.practice import service  # noqa: E402
from interview.practice.models import PracticeTake, TakeState  # noqa: E402
from interview.practice.recorder import PracticeRecorder  # noqa: E402
from interview.practice.storage import Storage  # noqa: E402
from interview.transcribe.engine import Engine, load_engine  # noqa: E402
from testkit.simclient import SpeechTrack, load_pcm48, offer_with, wait_until  # noqa: E402
from web.composition import upgrade  # noqa: E402

TEXT = (
    "Good morning. I worked for twenty two years in quality control at a car parts factory. "
    "I led a team of twelve inspectors, and together we cut the defect rate by half. "
    "I would like to bring that experience to your company."
)


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _speech(folder: Path) -> np.ndarray:
    raw, out = folder / "raw.wav", folder / "answer.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(raw), TEXT], check=True, timeout=60)
    subprocess.run(["sox", str(raw), str(out), "silence", "1", "0.02", "0.5%"], check=True, timeout=60)
    return load_pcm48(out)


async def _senior(
    rec: PracticeRecorder, sessions: object, user: object, sid: int, pcm: np.ndarray, answers: int
) -> list[float]:
    track = SpeechTrack()
    pc, offer = await offer_with(track)
    answer = await rec.connect(user, sid, offer, "offer")  # type: ignore[arg-type]
    await pc.setRemoteDescription(RTCSessionDescription(sdp=answer, type="answer"))
    if not await wait_until(lambda: rec.connected(sid), 30):
        raise RuntimeError("peer did not connect")
    latencies = []
    try:
        for i in range(answers):
            await asyncio.sleep(random.uniform(0.0, 1.5))  # seniors do not start in lockstep
            take = await rec.start_take(user, sid, i)  # type: ignore[arg-type]
            track.say(pcm)
            await track.wait_spoken()
            spoken_at = track.last_sample_sent or time.monotonic()
            await rec.stop_take(user, sid, take.id)  # type: ignore[arg-type]

            async def done(take_id: int = take.id) -> bool:
                async with sessions() as s:  # type: ignore[operator]
                    row = await s.get(PracticeTake, take_id)
                    return row is not None and row.state in (TakeState.DONE, TakeState.FAILED)

            await wait_until(done, 120, step=0.05)
            latencies.append(time.monotonic() - spoken_at)
    finally:
        await pc.close()
    return latencies


async def run_level(n: int, answers: int, pcm: np.ndarray, engine: Engine, folder: Path) -> dict[str, float]:
    url = f"sqlite+aiosqlite:///{folder / f'bench{n}.db'}"
    await asyncio.to_thread(upgrade, url)
    db_engine = create_engine(url)
    sessions = session_factory(db_engine)

    async def get_engine() -> Engine:
        return engine

    rec = PracticeRecorder(sessions, Storage(folder / f"data{n}"), get_engine, max_peers=64)
    users, sids = [], []
    for i in range(n):
        u = await create_user(
            sessions, validate_account(f"s{i}@bench.kr", "시니어", "password-123", "senior")
        )
        row = await service.start_session(
            sessions, u, service.SetSpec("general", count=3), language="en", title="bench", max_retakes=5
        )
        users.append(u)
        sids.append(row.id)
    rss0, cpu0, t0 = _rss_mb(), _cpu_s(), time.monotonic()
    peak = rss0

    async def sample() -> None:
        nonlocal peak
        while True:
            peak = max(peak, _rss_mb())
            await asyncio.sleep(0.25)

    sampler = asyncio.create_task(sample())
    try:
        results = await asyncio.gather(
            *(_senior(rec, sessions, users[i], sids[i], pcm, answers) for i in range(n))
        )
    finally:
        sampler.cancel()
        await rec.close_all()
        await db_engine.dispose()
    wall, cpu = time.monotonic() - t0, _cpu_s() - cpu0
    lat = sorted(x for r in results for x in r)
    p95 = lat[min(len(lat) - 1, max(0, int(np.ceil(0.95 * len(lat))) - 1))]
    return {
        "n": n,
        "answers": len(lat),
        "answer_seconds": round(len(pcm) / 48000, 1),
        "latency_p50_s": round(statistics.median(lat), 2),
        "latency_p95_s": round(p95, 2),
        "latency_max_s": round(lat[-1], 2),
        "cpu_percent_per_session": round(100 * cpu / wall / n, 1),
        "cpu_percent_total": round(100 * cpu / wall, 1),
        "rss_growth_per_session_mb": round((peak - rss0) / n, 1),
        "wall_s": round(wall, 1),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-n", type=int, default=4)
    parser.add_argument("--answers", type=int, default=2, help="answers per senior per level")
    parser.add_argument("--target", type=float, default=5.0, help="p95 feedback latency target (seconds)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    random.seed(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = load_settings(data_dir=folder)
        pcm = await asyncio.to_thread(_speech, folder)
        rss_before = _rss_mb()
        started = time.monotonic()
        engine = await asyncio.to_thread(load_engine, settings)
        load_s = time.monotonic() - started
        warm = pcm[: 48000 * 3 : 3].astype(np.float32) / 32768  # first use allocates buffers: not per session
        await asyncio.to_thread(engine.transcribe, warm, language="en")
        levels = []
        for n in range(1, args.max_n + 1):
            level = await run_level(n, args.answers, pcm, engine, folder)
            levels.append(level)
            print(json.dumps(level), file=sys.stderr, flush=True)
            if float(level["latency_p95_s"]) > args.target * 2:
                break  # far past the target: more seniors only take longer
    ok = [lv["n"] for lv in levels if float(lv["latency_p95_s"]) <= args.target]
    out = {
        "benchmark": "practice_concurrent_sessions",
        "model": settings.whisper_model,
        "compute_type": settings.whisper_compute_type,
        "cpu_count": os.cpu_count(),
        "model_load_s": round(load_s, 2),
        "model_rss_mb": round(_rss_mb() - rss_before, 0),
        "target_p95_s": args.target,
        "largest_n_within_target": max(ok) if ok else 0,
        "levels": levels,
    }
    print(json.dumps(out, indent=None if not args.json else 2))


if __name__ == "__main__":
    asyncio.run(main())
