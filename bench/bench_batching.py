"""Does batching pay on this CPU? And which split of the cores between CTranslate2 threads? Prints JSON.

1. ``batching``: the base model (int8), B utterances of 8-12 s (jfk.flac and espeak-ng answers), each
   with its own prompt. Decoded one after another (encode + ``generate`` per utterance, batch 1) against
   one batched encode and one batched ``generate`` with a prompt per utterance (what a scheduler batching
   pending utterances of different speakers would do). For B = 1, 2, 4, 8: seconds, throughput (audio
   seconds per second), latency (mean and last completion), and whether the words are the same.
2. ``threads``: N utterances decoded at once through the engine (``FasterWhisperEngine.transcribe``, VAD,
   fallbacks and word times included) from N threads, with ``cpu_threads`` x ``num_workers`` =
   CTranslate2 intra-op threads x inter-op workers: 2 x 1 (today) against 1 x 2 (and 1 x 1 for scale).

    .venv/bin/python bench/bench_batching.py [--runs 3] [--concurrent 4]

The figures depend on the machine's load: run it alone and give ``uptime``'s load average beside them
(the output carries the load average at its start and end).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.transcribe_speech import ANSWER, ANSWER2, make_answer  # noqa: E402

JFK = ROOT.parent / "shared" / "audio" / "jfk.flac"
#: utterances of two or three sentences, like the cuts a streaming transcriber makes
CUTS = [ANSWER[0:2], ANSWER[2:4], ANSWER[4:7], ANSWER[7:9], ANSWER2[0:2], ANSWER2[2:4], ANSWER2[4:6]]


def utterances(tmp: Path) -> list[tuple[np.ndarray, str]]:
    """Eight utterances (samples, the text before them as a prompt)."""
    from interview.transcribe.audio import decode_audio
    from interview.transcribe.engine import FILLER_PROMPTS

    out = [(decode_audio(JFK), FILLER_PROMPTS["en"])]
    for i, cut in enumerate(CUTS):
        path = make_answer(cut, tmp / f"u{i}.wav", pause_s=0.8, rate=150 + 5 * i, dither=False)
        before = " ".join(" ".join(CUTS[i - 1]).split()[-24:]) if i else ""
        out.append((decode_audio(path), f"{FILLER_PROMPTS['en']} {before}".strip()))
    return out


def engine_for(data_dir: Path, threads: int, workers: int) -> Any:
    from core.config import load_settings
    from interview.transcribe.engine import FasterWhisperEngine, load_engine
    from interview.transcribe.model_files import resolve_model

    load_engine(load_settings(data_dir=data_dir), "base")  # joins the bundled model once
    path = resolve_model("base", data_dir).path
    return FasterWhisperEngine(path, model_name="base", cpu_threads=threads, num_workers=workers)


def batching(engine: Any, utts: list[tuple[np.ndarray, str]], sizes: list[int], runs: int) -> list[dict]:
    from faster_whisper.audio import pad_or_trim
    from faster_whisper.tokenizer import Tokenizer

    model = engine._model
    tok = Tokenizer(model.hf_tokenizer, True, task="transcribe", language="en")
    feats = [pad_or_trim(model.feature_extractor(a)[:, :-1]) for a, _ in utts]
    # CTranslate2 needs <|startoftranscript|> at the same place in every prompt of a batch: every
    # utterance gets as many tokens of the text before it as the shortest has
    previous = [tok.encode(" " + p.strip()) for _, p in utts]
    keep = min(len(p) for p in previous)
    prompts = [model.get_prompt(tok, previous_tokens=p[-keep:], without_timestamps=False) for p in previous]
    kw: dict[str, Any] = dict(
        beam_size=5,
        max_length=448,
        return_scores=True,
        return_no_speech_prob=True,
        suppress_blank=True,
        suppress_tokens=[-1],
    )

    def words(result: Any) -> str:
        return tok.decode([t for t in result.sequences_ids[0] if t < tok.eot]).strip()

    rows = []
    for b in sizes:
        idx = [i % len(utts) for i in range(b)]
        audio_s = sum(len(utts[i][0]) for i in idx) / 16000
        seq_times, batch_times, seq_done = [], [], []
        same = True
        for _ in range(runs):
            t0 = time.perf_counter()
            one, done = [], []
            for i in idx:
                enc = model.encode(feats[i])
                one.append(model.model.generate(enc, [prompts[i]], **kw)[0])
                done.append(time.perf_counter() - t0)
            seq_times.append(time.perf_counter() - t0)
            seq_done.append(statistics.mean(done))
            t0 = time.perf_counter()
            enc = model.encode(np.stack([feats[i] for i in idx]))
            many = model.model.generate(enc, [prompts[i] for i in idx], **kw)
            batch_times.append(time.perf_counter() - t0)
            same = same and [words(r) for r in one] == [words(r) for r in many]
            diffs = [(words(a), words(c)) for a, c in zip(one, many, strict=True) if words(a) != words(c)]
        seq, bat = statistics.median(seq_times), statistics.median(batch_times)
        rows.append(
            {
                "batch": b,
                "audio_s": round(audio_s, 1),
                "one_by_one_s": round(seq, 2),
                "batched_s": round(bat, 2),
                "throughput_one_by_one": round(audio_s / seq, 2),
                "throughput_batched": round(audio_s / bat, 2),
                "mean_latency_one_by_one_s": round(statistics.median(seq_done), 2),
                "latency_batched_s": round(bat, 2),
                "same_words": same,
                "differences": diffs[:3],
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def concurrent(engine: Any, utts: list[tuple[np.ndarray, str]], n: int, runs: int) -> dict[str, Any]:
    """``n`` utterances transcribed at once from ``n`` threads: wall seconds and per-utterance latency."""
    walls, lats = [], []
    audio_s = sum(len(utts[i % len(utts)][0]) for i in range(n)) / 16000
    for _ in range(runs):
        done: list[float] = []
        t0 = time.perf_counter()

        def one(i: int, done: list[float] = done, t0: float = t0) -> None:
            a, p = utts[i % len(utts)]
            engine.transcribe(a, language="en", initial_prompt=p)
            done.append(time.perf_counter() - t0)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        walls.append(time.perf_counter() - t0)
        lats.extend(done)
    wall = statistics.median(walls)
    return {
        "utterances": n,
        "audio_s": round(audio_s, 1),
        "wall_s": round(wall, 2),
        "throughput": round(audio_s / wall, 2),
        "rtf": round(wall / audio_s, 3),
        "latency_mean_s": round(statistics.mean(lats), 2),
        "latency_max_s": round(max(lats), 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--concurrent", type=int, default=4)
    ap.add_argument("--sizes", default="1,2,4,8")
    ap.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "allwork_bench_data")
    ap.add_argument("--skip-batching", action="store_true")
    ap.add_argument("--skip-threads", action="store_true")
    args = ap.parse_args()
    args.data_dir.mkdir(exist_ok=True)
    out: dict[str, Any] = {"cpus": os.cpu_count(), "load_average_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        utts = utterances(Path(tmp))
    out["utterance_s"] = [round(len(a) / 16000, 1) for a, _ in utts]
    if not args.skip_batching:
        engine = engine_for(args.data_dir, 2, 1)
        sizes = [int(s) for s in args.sizes.split(",")]
        out["batching"] = batching(engine, utts, sizes, args.runs)
    if not args.skip_threads:
        out["threads"] = []
        for threads, workers in ((2, 1), (1, 2), (1, 1)):
            engine = engine_for(args.data_dir, threads, workers)
            engine.transcribe(utts[0][0], language="en")  # warm up
            row = {"cpu_threads": threads, "num_workers": workers}
            row |= concurrent(engine, utts, args.concurrent, args.runs)
            out["threads"].append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
            del engine
    out["load_average_end"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
