"""Concurrent practice sessions: N simulated seniors answering at once, each getting feedback.

Each simulated senior is an aiortc client (:mod:`testkit.simclient`) that connects over real
WebRTC to the server-side recorder, marks an answer started, speaks a real recording (espeak-ng
English, about 15 s, a known text) in real time, marks it stopped, and waits for the feedback.
The latency is measured from the moment the last sample of speech left the client to the moment
the take is ``done`` (transcript and feedback stored). For each level N (``--levels``, default
1, 2, 4, 8, 12) the benchmark reports the feedback latency p50, p95 and max, CPU and memory per
session, the load average (``os.getloadavg``) before and after the level, and the word error
rate of the stored (streaming) transcripts against the text spoken beside the WER of whole-file
transcription of the same recorded answers (computed after every level has run, so it costs the
levels nothing); the largest N whose p95 is within the target (5 s) is the answer.

    setsid .venv/bin/python bench/bench_practice.py --levels 1,2,4,8,12 --answers 2 --json

The benchmark puts itself in its own process group (``os.setpgid``; ``setsid`` as above does the
same from the shell), so it can be stopped as one (``kill -- -PGID``) and told apart from other
work in ``top``. Run it on an otherwise idle machine: the load averages printed beside each level
say whether it was. Admission (interview/practice/admission.py) is set to the largest level, so
the benchmark's own seniors are never refused.

Prints each level to stderr as it finishes and one JSON object at the end. Uses the Whisper model
of ALLWORK_WHISPER_MODEL (default base) and a temporary SQLite database; clients and server share
this process (as on a one-machine deployment, the clients' own Opus encoding is counted in the
CPU figure).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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

from bench.transcribe_speech import wer  # noqa: E402
from core.accounts import create_user, validate_account  # noqa: E402
from core.config import load_settings  # noqa: E402
from core.db import create_engine, session_factory  # noqa: E402
from interview.practice import service  # noqa: E402
from interview.practice.admission import Admission  # noqa: E402
from interview.practice.models import PracticeTake, TakeState  # noqa: E402
from interview.practice.recorder import PracticeRecorder  # noqa: E402
from interview.practice.storage import Storage  # noqa: E402
from interview.transcribe.audio import decode_audio  # noqa: E402
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


DEFAULT_LEVELS = "1,2,4,8,12"


def levels_arg(text: str) -> list[int]:
    """``--levels``: comma-separated numbers of seniors, each at least 1, in rising order."""
    try:
        levels = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not levels or levels[0] < 1:
        raise argparse.ArgumentTypeError("levels must be numbers of seniors, at least 1")
    return levels


def own_process_group() -> int:
    """Put this process in a process group of its own (already so under ``setsid``); its id."""
    with contextlib.suppress(PermissionError):  # a session leader (setsid) already leads its own group
        os.setpgid(0, 0)
    return os.getpgrp()


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile of ``values`` (not empty)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(np.ceil(q * len(ordered))) - 1))]


async def _senior(
    rec: PracticeRecorder, sessions: object, user: object, sid: int, pcm: np.ndarray, answers: int
) -> list[tuple[int, float]]:
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

            await wait_until(done, 300, step=0.05)
            latencies.append((take.id, time.monotonic() - spoken_at))
    finally:
        await pc.close()
    return latencies


async def _stored_answers(sessions: object, storage: Storage, take_ids: list[int]) -> list[tuple[str, Path]]:
    """(streaming transcript, recorded WAV) of each finished take."""
    out = []
    async with sessions() as s:  # type: ignore[operator]
        for take_id in take_ids:
            row = await s.get(PracticeTake, take_id)
            if row is not None and row.state == TakeState.DONE and row.audio_file:
                out.append((str((row.transcript or {}).get("text", "")), storage.path(row.audio_file)))
    return out


async def run_level(
    n: int, answers: int, pcm: np.ndarray, engine: Engine, folder: Path, capacity: int
) -> tuple[dict[str, object], list[tuple[str, Path]]]:
    url = f"sqlite+aiosqlite:///{folder / f'bench{n}.db'}"
    await asyncio.to_thread(upgrade, url)
    db_engine = create_engine(url)
    sessions = session_factory(db_engine)

    async def get_engine() -> Engine:
        return engine

    storage = Storage(folder / f"data{n}")
    rec = PracticeRecorder(
        sessions,
        storage,
        get_engine,
        max_peers=max(64, capacity),
        max_peers_per_senior=2,
        admission=Admission(capacity),  # as a node configured for the largest level
    )
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
    load_before = load_average()
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
        wall, cpu = time.monotonic() - t0, _cpu_s() - cpu0
        load_after = load_average()
        stored = await _stored_answers(sessions, storage, [tid for r in results for tid, _lat in r])
    finally:
        sampler.cancel()
        await rec.close_all()
        await db_engine.dispose()
    lat = sorted(x for r in results for _tid, x in r)
    level: dict[str, object] = {
        "n": n,
        "answers": len(lat),
        "answers_done": len(stored),
        "answer_seconds": round(len(pcm) / 48000, 1),
        "latency_p50_s": round(statistics.median(lat), 2),
        "latency_p95_s": round(percentile(lat, 0.95), 2),
        "latency_max_s": round(lat[-1], 2),
        "cpu_percent_per_session": round(100 * cpu / wall / n, 1),
        "cpu_percent_total": round(100 * cpu / wall, 1),
        "rss_growth_per_session_mb": round((peak - rss0) / n, 1),
        "wall_s": round(wall, 1),
        "load_before": load_before,
        "load_after": load_after,
    }
    return level, stored


def word_error_rates(engine: Engine, stored: list[tuple[str, Path]]) -> dict[str, float | None]:
    """Mean WER against the text spoken: the stored streaming transcripts, and whole-file transcription
    of the same recordings (worker thread: Whisper and the normalizer are CPU work)."""
    if not stored:
        return {"wer_streaming": None, "wer_whole_file": None}
    streaming = [wer(TEXT, text) for text, _path in stored]
    whole = [wer(TEXT, engine.transcribe(decode_audio(path), language="en").text) for _text, path in stored]
    return {
        "wer_streaming": round(statistics.fmean(streaming), 4),
        "wer_whole_file": round(statistics.fmean(whole), 4),
    }


def table(levels: list[dict[str, object]]) -> str:
    """The levels as the rows of docs/benchmarks-practice.md, the load averages beside each."""
    rows = [
        "| N | answers | p50 | p95 | max | CPU per session | RSS per session "
        "| WER streaming | WER whole file | load before | load after |"
    ]
    for lv in levels:
        wers = [
            f"{100 * float(str(w)):.1f} %" if w is not None else "-"
            for w in (lv.get("wer_streaming"), lv.get("wer_whole_file"))
        ]
        rows.append(
            f"| {lv['n']} | {lv['answers']} | {lv['latency_p50_s']} s | {lv['latency_p95_s']} s "
            f"| {lv['latency_max_s']} s | {lv['cpu_percent_per_session']} % "
            f"| {lv['rss_growth_per_session_mb']} MB "
            f"| {wers[0]} | {wers[1]} | {' '.join(map(str, lv['load_before']))} "  # type: ignore[call-overload]
            f"| {' '.join(map(str, lv['load_after']))} |"  # type: ignore[call-overload]
        )
    return "\n".join(rows)


def _p95(level: dict[str, object]) -> float:
    return float(str(level["latency_p95_s"]))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--levels",
        type=levels_arg,
        default=levels_arg(DEFAULT_LEVELS),
        help="seniors at once, e.g. 1,2,4,8,12",
    )
    parser.add_argument("--answers", type=int, default=2, help="answers per senior per level")
    parser.add_argument("--target", type=float, default=5.0, help="p95 feedback latency target (seconds)")
    parser.add_argument(
        "--stop-past",
        type=float,
        default=0.0,
        help="skip the higher levels once a level's p95 is past this many times the target (0: run all)",
    )
    parser.add_argument("--json", action="store_true", help="indent the final JSON object")
    args = parser.parse_args()
    if args.answers < 1:
        parser.error("--answers must be at least 1")
    pgid = own_process_group()
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
        model_rss = _rss_mb() - rss_before
        levels: list[dict[str, object]] = []
        answers: list[list[tuple[str, Path]]] = []
        capacity = max(args.levels)
        for n in args.levels:
            level, stored = await run_level(n, args.answers, pcm, engine, folder, capacity)
            levels.append(level)
            answers.append(stored)
            print(json.dumps(level), file=sys.stderr, flush=True)
            if args.stop_past and _p95(level) > args.target * args.stop_past:
                break  # far past the target: more seniors only take longer
        # after every level, so the whole-file decoding and the normalizer's import cost none of them
        for level, stored in zip(levels, answers, strict=True):
            level.update(await asyncio.to_thread(word_error_rates, engine, stored))
    ok = [int(str(lv["n"])) for lv in levels if _p95(lv) <= args.target]
    out = {
        "benchmark": "practice_concurrent_sessions",
        "model": settings.whisper_model,
        "compute_type": settings.whisper_compute_type,
        "cpu_count": os.cpu_count(),
        "process_group": pgid,
        "model_load_s": round(load_s, 2),
        "model_rss_mb": round(model_rss, 0),
        "target_p95_s": args.target,
        "largest_n_within_target": max(ok) if ok else 0,
        "levels": levels,
    }
    print(table(levels), file=sys.stderr, flush=True)
    print(json.dumps(out, indent=None if not args.json else 2))


if __name__ == "__main__":
    asyncio.run(main())
