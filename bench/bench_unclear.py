"""Audio the model cannot understand, and where our pipeline loses words: prints one JSON object.

Part 1 (``unclear``): seconds, decodes and tokens to transcribe each input with base int8, with the
bounded decoding (three temperatures, tokens by the audio's length) and with faster-whisper's
defaults that came before (six temperatures, 448 tokens), each with the load average beside it:
espeak-ng Korean (about 20 s, Whisper does not understand it) forced to ``ko`` and detected,
espeak-ng English in loud pink noise (a bad microphone), and clear speech (JFK, an espeak answer);
and whether the practice feedback calls it unclear.

Part 2 (``gap``): a long multi-sentence answer of real and synthetic English (jfk.flac between
sentences of ``ANSWER`` spoken by espeak-ng, pauses of 0.7-2.5 s) transcribed by the multilingual
base model through our engine and through faster-whisper's own ``transcribe(beam_size=5,
vad_filter=True)``, then through our engine with one step changed at a time (faster-whisper's VAD
settings, no filler prompt, the leftover window decoded, six temperatures without a token bound):
WER of each against the known text, so the step that loses words shows.

    .venv/bin/python bench/bench_unclear.py [--part unclear|gap|both]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.transcribe_speech import ANSWER, speak, wer  # noqa: E402

JFK = ROOT.parent / "shared" / "audio" / "jfk.flac"
JFK_TEXT = (
    "And so, my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
KOREAN = [
    "저는 이십 년 동안 품질 관리 업무를 맡았습니다.",
    "당시 불량률이 높아서 검사 공정을 새로 만들었습니다.",
    "그 결과 불량이 절반으로 줄었습니다.",
    "어려운 점도 많았지만 팀원들과 함께 해결했습니다.",
]
OLD = {"temperatures": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0), "bound_tokens": False}


def _sox(*args: str) -> None:
    subprocess.run(["sox", *args], check=True, capture_output=True)


def _silence(folder: Path, seconds: float) -> str:
    path = folder / f"silence_{seconds}.wav"
    _sox("-n", "-r", "16000", "-c", "1", "-b", "16", str(path), "trim", "0", str(seconds))
    return str(path)


def _to16k(src: Path, dst: Path) -> str:
    _sox(str(src), "-r", "16000", "-c", "1", "-b", "16", str(dst))
    return str(dst)


def make_inputs(folder: Path) -> dict[str, tuple[Path, str | None]]:
    parts: list[str] = []
    for i, text in enumerate(KOREAN):
        parts += [_to16k(speak(text, folder / f"ko{i}.wav", voice="ko"), folder / f"ko{i}_16.wav")]
        parts.append(_silence(folder, 0.6))
    korean = folder / "korean.wav"
    _sox(*parts, str(korean))
    english = folder / "english.wav"
    en = [_to16k(speak(s, folder / f"en{i}.wav"), folder / f"en{i}_16.wav") for i, s in enumerate(ANSWER[:5])]
    gap = _silence(folder, 0.8)
    _sox(*[p for e in en for p in (e, gap)], str(english))
    noise = folder / "pink.wav"
    length = subprocess.run(["soxi", "-D", str(english)], capture_output=True, text=True, check=True)
    _sox(
        "-R",
        "-n",
        "-r",
        "16000",
        "-c",
        "1",
        "-b",
        "16",
        str(noise),
        "synth",
        length.stdout.strip(),
        "pinknoise",
    )
    _sox("-R", "-m", "-v", "0.5", str(english), "-v", "0.8", str(noise), str(folder / "noisy.wav"))
    return {
        "espeak Korean, ko": (korean, "ko"),
        "espeak Korean, detected": (korean, None),
        "espeak English in pink noise": (folder / "noisy.wav", "en"),
        "JFK": (JFK, "en"),
        "espeak English": (english, "en"),
    }


def part_unclear(engine: Any, folder: Path) -> list[dict[str, object]]:
    from interview.practice.feedback import analyze
    from interview.transcribe.audio import decode_audio

    rows = []
    for name, (path, language) in make_inputs(folder).items():
        audio = decode_audio(path)
        for label, eng in (("bounded", engine), ("before", engine.with_options(**OLD))):
            load = os.getloadavg()[0]
            started = time.perf_counter()
            tr = eng.transcribe(audio, language=language)
            seconds = time.perf_counter() - started
            fb = analyze(audio, tr, language=language or "ko")
            stats = tr.decoding
            rows.append(
                {
                    "input": name,
                    "decoding": label,
                    "audio_s": round(tr.duration, 1),
                    "seconds": round(seconds, 2),
                    "rtf": round(seconds / tr.duration, 3),
                    "load": round(load, 2),
                    "windows": stats.windows if stats else 0,
                    "decodes": stats.decodes if stats else 0,
                    "tokens": stats.tokens if stats else 0,
                    "unclear": fb.unclear,
                    "no_speech": fb.no_speech,
                    "text": tr.text[:80],
                }
            )
            print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    return rows


def make_long(folder: Path) -> tuple[Path, str]:
    """jfk.flac, then the sentences of ANSWER with jfk again in the middle, pauses of 0.7-2.5 s."""
    pauses = [0.7, 1.2, 2.5, 0.9, 1.6]
    jfk = _to16k(JFK, folder / "jfk16.wav")
    parts, text = [jfk, _silence(folder, 1.0)], [JFK_TEXT]
    for i, sentence in enumerate(ANSWER):
        parts += [_to16k(speak(sentence, folder / f"l{i}.wav", rate=155), folder / f"l{i}_16.wav")]
        parts.append(_silence(folder, pauses[i % len(pauses)]))
        text.append(sentence)
        if i == len(ANSWER) // 2:
            parts += [jfk, _silence(folder, 1.4)]
            text.append(JFK_TEXT)
    out = folder / "long.wav"
    _sox("-D", *parts, str(out))
    return out, " ".join(text)


def part_gap(engine: Any, folder: Path) -> dict[str, object]:
    from faster_whisper.vad import VadOptions

    from interview.transcribe.audio import decode_audio

    path, reference = make_long(folder)
    audio = decode_audio(path)
    out: dict[str, object] = {"audio_s": round(len(audio) / 16000, 1), "words": len(reference.split())}

    def run(label: str, fn: Any) -> None:
        load = os.getloadavg()[0]
        started = time.perf_counter()
        text = fn()
        seconds = time.perf_counter() - started
        out[label] = {
            "wer": round(wer(reference, text), 4),
            "seconds": round(seconds, 1),
            "load": round(load, 2),
        }
        print(label, json.dumps(out[label]), file=sys.stderr)

    def faster_whisper(**kw: Any) -> str:
        segments, _ = engine._model.transcribe(audio, language="en", beam_size=5, vad_filter=True, **kw)
        return " ".join(s.text.strip() for s in segments)

    default_vad = VadOptions()
    run("faster-whisper transcribe(beam 5, vad_filter)", faster_whisper)
    run("faster-whisper, word timestamps", lambda: faster_whisper(word_timestamps=True))
    run("ours", lambda: engine.transcribe(audio, language="en").text)
    run(
        "ours, faster-whisper's VAD (min silence 2 s, pad 400 ms)",
        lambda: (
            engine.with_options(
                vad_min_silence_ms=default_vad.min_silence_duration_ms,
                vad_speech_pad_ms=default_vad.speech_pad_ms,
            )
            .transcribe(audio, language="en")
            .text
        ),
    )
    run(
        "ours, no filler prompt",
        lambda: engine.with_options(filler_prompt=False).transcribe(audio, language="en").text,
    )
    run(
        "ours, leftover decoded",
        lambda: engine.with_options(decode_leftover=True).transcribe(audio, language="en").text,
    )
    run(
        "ours, six temperatures, no token bound",
        lambda: engine.with_options(**OLD).transcribe(audio, language="en").text,
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--part", choices=("unclear", "gap", "both"), default="both")
    args = parser.parse_args()
    from core.config import load_settings
    from interview.transcribe.engine import load_engine

    result: dict[str, object] = {"cpu_count": os.cpu_count(), "loadavg_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = load_settings(data_dir=ROOT / "data", whisper_threads=2)
        engine = load_engine(settings, "base")
        if args.part in ("unclear", "both"):
            result["unclear"] = part_unclear(engine, folder)
        if args.part in ("gap", "both"):
            result["gap"] = part_gap(engine, folder)
    result["loadavg_end"] = os.getloadavg()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
