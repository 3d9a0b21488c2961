"""Transcription benchmark: prints one JSON object.

Per model (tiny.en, base) and compute type (int8, float32), each in a fresh subprocess:
model load time, real-time factor on a ~2-minute espeak-ng answer, peak RSS, WER on
jfk.flac and on the answer, fillers kept. Then streaming (base int8): seconds from the last
audio frame to the finished transcript, fed at ``--speed`` times real time, p50/p95 over
``--runs`` runs, against transcribing the whole file after it ends; streaming WER.

    .venv/bin/python bench/bench_transcribe.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.transcribe_speech import ANSWER, filler_survival, make_answer, wer  # noqa: E402

JFK = ROOT.parent / "shared" / "audio" / "jfk.flac"
JFK_TEXT = (
    "And so, my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)


def one_model(model: str, compute: str, answer: Path, data_dir: Path, threads: int) -> dict[str, object]:
    from core.config import load_settings
    from interview.transcribe.audio import decode_audio
    from interview.transcribe.engine import load_engine

    settings = load_settings(data_dir=data_dir, whisper_compute_type=compute, whisper_threads=threads)
    load_engine(settings, model)  # joins the bundled model first if needed
    from interview.transcribe import engine as engine_module

    engine_module._engines.clear()
    t = time.perf_counter()
    engine = load_engine(settings, model)
    load_s = time.perf_counter() - t
    samples = decode_audio(answer)
    ref = " ".join(ANSWER)
    t = time.perf_counter()
    tr = engine.transcribe(samples, language="en")
    elapsed = time.perf_counter() - t
    jfk = engine.transcribe(JFK, language="en")
    kept, spoken = filler_survival(ref, tr.text)
    return {
        "model": model,
        "compute_type": compute,
        "load_s": round(load_s, 2),
        "audio_s": round(tr.duration, 1),
        "transcribe_s": round(elapsed, 2),
        "rtf": round(elapsed / tr.duration, 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "wer_jfk": round(wer(JFK_TEXT, jfk.text), 4),
        "wer_espeak": round(wer(ref, tr.text), 4),
        "fillers_kept": f"{kept}/{spoken}",
    }


async def _stream_once(engine: object, samples: object, speed: float) -> tuple[float, str]:
    from interview.transcribe.streaming import StreamingTranscriber

    st = StreamingTranscriber(engine, language=None)  # type: ignore[arg-type]
    chunk = 320  # 20 ms frames
    t0 = time.perf_counter()
    n = len(samples)  # type: ignore[arg-type]
    for i in range(0, n, chunk):
        st.feed(samples[i : i + chunk])  # type: ignore[index]
        delay = t0 + (i + chunk) / 16000 / speed - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    t = time.perf_counter()
    tr = await st.finish()
    return time.perf_counter() - t, tr.text


def streaming(answer: Path, data_dir: Path, threads: int, runs: int, speed: float) -> dict[str, object]:
    from core.config import load_settings
    from interview.transcribe.audio import decode_audio
    from interview.transcribe.engine import load_engine

    engine = load_engine(load_settings(data_dir=data_dir, whisper_threads=threads), "base")
    samples = decode_audio(answer)
    ref = " ".join(ANSWER)
    t = time.perf_counter()
    whole = engine.transcribe(samples, language=None)
    whole_s = time.perf_counter() - t
    latencies, wers = [], []
    for _ in range(runs):
        latency, text = asyncio.run(_stream_once(engine, samples, speed))
        latencies.append(latency)
        wers.append(wer(ref, text))
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    return {
        "model": "base",
        "compute_type": "int8",
        "audio_s": round(len(samples) / 16000, 1),
        "feed_speed_x_realtime": speed,
        "runs": runs,
        "latency_p50_s": round(statistics.median(latencies), 2),
        "latency_p95_s": round(p95, 2),
        "latencies_s": [round(x, 2) for x in latencies],
        "whole_file_after_end_s": round(whole_s, 2),
        "speedup_vs_whole_file": round(whole_s / statistics.median(latencies), 1),
        "wer_whole_file": round(wer(ref, whole.text), 4),
        "wer_streaming_mean": round(statistics.mean(wers), 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer streaming runs, faster feeding")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--speed", type=float, default=None, help="feed speed, times real time")
    ap.add_argument("--one", nargs=4, metavar=("MODEL", "COMPUTE", "ANSWER", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        model, compute, answer, data = args.one
        print(json.dumps(one_model(model, compute, Path(answer), Path(data), args.threads)))
        return
    runs = args.runs or (3 if args.quick else 7)
    speed = args.speed or (3.0 if args.quick else 1.0)
    with tempfile.TemporaryDirectory() as tmp:
        answer = make_answer(ANSWER, Path(tmp) / "answer.wav", pause_s=1.5)
        data = Path(tmp) / "data"
        models = []
        for model in ("tiny.en", "base"):
            for compute in ("int8", "float32"):
                cmd = [sys.executable, __file__, "--threads", str(args.threads), "--one", model, compute]
                out = subprocess.run(
                    [*cmd, str(answer), str(data)], check=True, capture_output=True, text=True
                )
                models.append(json.loads(out.stdout.strip().splitlines()[-1]))
        result = {
            "machine": "2 cores, 24 GiB, no GPU, shared with other work",
            "threads": args.threads,
            "models": models,
            "streaming": streaming(answer, data, args.threads, runs, speed),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
