"""Command line: ``allwork transcribe FILE`` and ``allwork worker``.

``transcribe`` prints the transcript (or, with ``--json``, one JSON object in the shape of
:meth:`~interview.transcribe.types.Transcript.to_dict`), with a progress bar on stderr when
stderr is a terminal and the file is long. Errors go to stderr with exit status 2 (bad
input) or 3 (model not available).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys

from core.config import Settings, load_settings
from core.errors import AllWorkError
from interview.transcribe.errors import ModelUnavailable

#: files at least this long get a progress bar
PROGRESS_MIN_SECONDS = 30.0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("transcribe", help="print the transcript of an audio or video file")
    p.add_argument("file", help="any audio or video file FFmpeg reads")
    p.add_argument("--language", choices=("auto", "ko", "en"), default="auto")
    p.add_argument("--model", help="model name (base, tiny.en, small ...) or model folder")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--progress", action="store_true", help="show the progress bar even with --json")
    p.set_defaults(func=transcribe_command)

    w = sub.add_parser("worker", help="run transcription jobs from Redis (needs ALLWORK_REDIS_URL)")
    w.add_argument("--queue", default=None, help="Redis queue name (default: ALLWORK_TRANSCRIBE_QUEUE)")
    w.add_argument("--lease", type=float, default=None, help="seconds before a silent worker's job moves")
    w.add_argument("--burst", action="store_true", help="stop when the queue is empty")
    w.set_defaults(func=worker_command)


def transcribe_command(args: argparse.Namespace, settings: Settings) -> int:
    from interview.transcribe.audio import decode_audio
    from interview.transcribe.engine import load_engine

    try:
        samples = decode_audio(args.file, max_seconds=settings.max_audio_seconds)
        engine = load_engine(settings, args.model)
        duration = len(samples) / 16000
        show = (args.progress or not args.json) and sys.stderr.isatty() and duration >= PROGRESS_MIN_SECONDS
        language = None if args.language == "auto" else args.language
        if show:
            from tqdm import tqdm

            cols, rows = _terminal_size()
            with tqdm(
                total=round(duration), unit="s", file=sys.stderr, desc="transcribing", ncols=cols, nrows=rows
            ) as bar:

                def progress(fraction: float) -> None:
                    bar.update(round(fraction * duration) - bar.n)

                transcript = engine.transcribe(samples, language=language, progress=progress)
        else:
            transcript = engine.transcribe(samples, language=language)
    except ModelUnavailable as exc:
        print(f"allwork transcribe: {exc}", file=sys.stderr)
        return 3
    except AllWorkError as exc:
        print(f"allwork transcribe: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(transcript.to_dict(), ensure_ascii=False))
    else:
        for seg in transcript.segments:
            print(f"[{_clock(seg.start)} -> {_clock(seg.end)}] {seg.text.strip()}")
    return 0


def worker_command(args: argparse.Namespace, settings: Settings) -> int:
    from interview.transcribe import worker
    from interview.transcribe.queue import LEASE_SECONDS

    if not settings.redis_url:
        print("allwork worker: set ALLWORK_REDIS_URL (the worker takes jobs from Redis)", file=sys.stderr)
        return 2
    try:
        return worker.run(
            settings,
            queue_name=args.queue or settings.transcribe_queue,
            lease_s=args.lease or LEASE_SECONDS,
            burst=args.burst,
        )
    except ModelUnavailable as exc:
        print(f"allwork worker: {exc}", file=sys.stderr)
        return 3


def _terminal_size() -> tuple[int, int]:
    """stderr's columns and rows; 80x24 where the terminal reports 0x0 (a fresh pty, some consoles),
    on which tqdm alone draws nothing."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except OSError:
        return 80, 24
    return size.columns or 80, size.lines or 24


def _clock(seconds: float) -> str:
    m, s = divmod(seconds, 60)
    return f"{int(m):02d}:{s:05.2f}"


def main(argv: list[str] | None = None) -> int:
    """``python -m interview.transcribe.cli``: these two commands without the rest of ``allwork``."""
    parser = argparse.ArgumentParser(prog="allwork")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.func(args, settings))


if __name__ == "__main__":
    sys.exit(main())
