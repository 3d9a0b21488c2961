"""Transcription benchmark: prints one JSON object.

Per model (tiny.en, base) and compute type (int8, float32), each in a fresh subprocess:
model load time, real-time factor on a 2-minute espeak-ng answer, peak RSS, WER on
jfk.flac and on the answer, fillers kept. Then streaming (base int8): seconds from the last
audio frame of the 2-minute answer to the finished transcript, fed in 20 ms frames at
``--speed`` times real time, p50/p95 over ``--runs`` runs, against transcribing the whole file
after it ends; and the WER of streaming against whole-file transcription over the four answers
of ``ANSWERS`` (the transcript does not depend on the feeding speed, so these are fed at once).
Last, the end of speech: whole-file transcription (base int8) of fifteen short answers (five
sentences, pauses 0.6-1.5 s, 140-160 words a minute, made without dither) with and without
decoding the window Whisper leaves over at the end: seconds, and answers whose transcript does
not end with the last word spoken (words invented after it, or the ending lost), and words
inserted anywhere.

    .venv/bin/python bench/bench_transcribe.py [--quick] [--only-end]
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

import jiwer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.transcribe_speech import (  # noqa: E402
    ANSWER,
    ANSWERS,
    filler_survival,
    make_answer,
    normalize,
    strict_wer,
    wer,
)

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
        "strict_wer_espeak": round(strict_wer(ref, tr.text), 4),
        "fillers_kept": f"{kept}/{spoken}",
    }


async def _stream_once(engine: object, samples: object, speed: float | None) -> tuple[float, str, object]:
    """Feed 20 ms frames at ``speed`` times real time (``None``: all at once); seconds to the transcript."""
    from interview.transcribe.streaming import StreamingTranscriber

    st = StreamingTranscriber(engine, language=None)  # type: ignore[arg-type]
    chunk = 320  # 20 ms frames
    t0 = time.perf_counter()
    n = len(samples)  # type: ignore[arg-type]
    for i in range(0, n, chunk):
        st.feed(samples[i : i + chunk])  # type: ignore[index]
        if speed is None:
            continue
        delay = t0 + (i + chunk) / 16000 / speed - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    t = time.perf_counter()
    tr = await st.finish()
    return time.perf_counter() - t, tr.text, st


def streaming(
    answers: list[tuple[str, str, Path]], data_dir: Path, threads: int, runs: int, speed: float
) -> dict[str, object]:
    """``answers``: (name, text spoken, file); the first is the one whose latency is measured."""
    from core.config import load_settings
    from interview.transcribe.audio import decode_audio
    from interview.transcribe.engine import load_engine

    engine = load_engine(load_settings(data_dir=data_dir, whisper_threads=threads), "base")
    per_answer = []
    decoded = [decode_audio(path) for _, _, path in answers]
    for (name, ref, _), samples in zip(answers, decoded, strict=True):
        t = time.perf_counter()
        whole = engine.transcribe(samples, language=None)
        whole_s = time.perf_counter() - t
        _, text, st = asyncio.run(_stream_once(engine, samples, None))
        per_answer.append(
            {
                "answer": name,
                "audio_s": round(len(samples) / 16000, 1),
                "whole_file_s": round(whole_s, 2),
                "utterances": st.utterances,  # type: ignore[attr-defined]
                "wer_whole_file": round(wer(ref, whole.text), 4),
                "wer_streaming": round(wer(ref, text), 4),
                "strict_wer_whole_file": round(strict_wer(ref, whole.text), 4),
                "strict_wer_streaming": round(strict_wer(ref, text), 4),
            }
        )
        print(json.dumps(per_answer[-1]), file=sys.stderr, flush=True)

    def mean(key: str) -> float:
        return round(statistics.mean(float(a[key]) for a in per_answer), 4)

    name, ref, _ = answers[0]
    samples = decoded[0]
    latencies, wers, guesses = [], [], []
    for _ in range(runs):
        latency, text, st = asyncio.run(_stream_once(engine, samples, speed))
        latencies.append(latency)
        wers.append(wer(ref, text))
        guesses.append(f"{st.guesses_used}/{st.guesses}")  # type: ignore[attr-defined]
        print(f"latency {latency:.2f} s", file=sys.stderr, flush=True)
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
    whole_s = float(per_answer[0]["whole_file_s"])
    cut = cut_final_pause(engine, samples, runs, speed)
    return {
        "model": "base",
        "compute_type": "int8",
        "latency_answer": name,
        "audio_s": round(len(samples) / 16000, 1),
        "feed_speed_x_realtime": speed,
        "runs": runs,
        "latency_p50_s": round(statistics.median(latencies), 2),
        "latency_p95_s": round(p95, 2),
        "latencies_s": [round(x, 2) for x in latencies],
        "guesses_used_of_made": guesses,
        "whole_file_after_end_s": whole_s,
        "speedup_vs_whole_file": round(whole_s / max(statistics.median(latencies), 0.01), 1),
        "wer_streaming_latency_runs": [round(x, 4) for x in wers],
        "without_final_pause": {**cut, "answer": name},
        "answers": per_answer,
        "wer_whole_file_mean": mean("wer_whole_file"),
        "wer_streaming_mean": mean("wer_streaming"),
        "strict_wer_whole_file_mean": mean("strict_wer_whole_file"),
        "strict_wer_streaming_mean": mean("strict_wer_streaming"),
    }


def end_of_speech(data_dir: Path, threads: int, tmp: Path) -> dict[str, object]:
    from core.config import load_settings
    from interview.transcribe.audio import decode_audio
    from interview.transcribe.engine import load_engine

    engine = load_engine(load_settings(data_dir=data_dir, whisper_threads=threads), "base")
    sentences = ANSWER[:5]
    ref = " ".join(sentences)
    ref_words = normalize(ref)
    last_word = ref_words.split()[-1]
    files = [
        (
            f"{pause}s/{rate}wpm",
            decode_audio(make_answer(sentences, tmp / "end.wav", pause_s=pause, rate=rate, dither=False)),
        )
        for pause in (0.6, 0.8, 1.0, 1.2, 1.5)
        for rate in (140, 150, 160)
    ]
    lengths = [len(samples) / 16000 for _, samples in files]
    result: dict[str, object] = {
        "answers": len(files),
        "audio_s": [round(min(lengths), 1), round(max(lengths), 1)],
    }
    for label, leftover in (("leftover_skipped", False), ("leftover_decoded", True)):
        eng = engine.with_options(decode_leftover=leftover)  # type: ignore[attr-defined]
        seconds, wrong, wers, inserted = [], [], [], 0
        for name, samples in files:
            t = time.perf_counter()
            text = eng.transcribe(samples, language="en").text
            seconds.append(time.perf_counter() - t)
            heard = normalize(text).split()
            # words after the last spoken word, or the last spoken word missing
            after = heard[::-1].index(last_word) if last_word in heard else -1
            if after != 0:
                wrong.append(f"{name}: ...{' '.join(heard[-8:])}")
            wers.append(wer(ref, text))
            inserted += jiwer.process_words(ref_words, " ".join(heard)).insertions
        result[label] = {
            "seconds_median": round(statistics.median(seconds), 2),
            "seconds_max": round(max(seconds), 2),
            "seconds_total": round(sum(seconds), 1),
            "wer_mean": round(statistics.mean(wers), 4),
            "words_inserted": inserted,
            "wrong_endings": len(wrong),
            "endings": wrong,
        }
        print(json.dumps({label: result[label]}), file=sys.stderr, flush=True)
    return result


def cut_final_pause(engine: object, samples: object, runs: int, speed: float) -> dict[str, object]:
    """The worst case: the answer stops at its last word (no pause before "done")."""
    import numpy as np

    pcm = np.asarray(samples)
    last = int(np.nonzero(np.abs(pcm) > 1e-3)[0][-1]) + 1
    latencies = []
    for _ in range(max(1, min(runs, 3))):
        latency, _text, _st = asyncio.run(_stream_once(engine, pcm[:last], speed))
        latencies.append(latency)
        print(f"latency without final pause {latency:.2f} s", file=sys.stderr, flush=True)
    return {"runs": len(latencies), "latencies_s": [round(x, 2) for x in sorted(latencies)]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer streaming runs, faster feeding")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--runs", type=int, default=None)
    ap.add_argument("--speed", type=float, default=None, help="feed speed, times real time")
    ap.add_argument("--only-end", action="store_true", help="only the end-of-speech measurement")
    ap.add_argument("--one", nargs=4, metavar=("MODEL", "COMPUTE", "ANSWER", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        model, compute, answer, data = args.one
        print(json.dumps(one_model(model, compute, Path(answer), Path(data), args.threads)))
        return
    runs = args.runs or (3 if args.quick else 7)
    speed = args.speed or (3.0 if args.quick else 1.0)
    if args.only_end:
        with tempfile.TemporaryDirectory() as tmp:
            end = end_of_speech(Path(tmp) / "data", args.threads, Path(tmp))
        print(json.dumps({"machine": "2 cores, 24 GiB, no GPU", "end_of_speech": end}, indent=2))
        return
    with tempfile.TemporaryDirectory() as tmp:
        made = [
            (
                name,
                " ".join(sentences),
                make_answer(sentences, Path(tmp) / f"{name}.wav", pause_s=pause, rate=rate, voice=voice),
            )
            for name, sentences, voice, rate, pause in ANSWERS
        ]
        answer = made[0][2]
        data = Path(tmp) / "data"
        models = []
        for model in ("tiny.en", "base"):
            for compute in ("int8", "float32"):
                cmd = [sys.executable, __file__, "--threads", str(args.threads), "--one", model, compute]
                out = subprocess.run(
                    [*cmd, str(answer), str(data)], check=True, capture_output=True, text=True
                )
                models.append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(out.stdout.strip().splitlines()[-1], file=sys.stderr, flush=True)
        result = {
            "machine": "2 cores, 24 GiB, no GPU",
            "threads": args.threads,
            "models": models,
            "streaming": streaming(made, data, args.threads, runs, speed),
            "end_of_speech": end_of_speech(data, args.threads, Path(tmp)),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
