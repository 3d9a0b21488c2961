"""``allwork feedback FILE``: the whole practice feedback on one recorded answer.

``--question`` takes a question id from the bank (its keywords and suggested length are
used) or the text of any question; ``--keywords a,b,c`` replaces the keywords;
``--language auto|ko|en`` picks the transcription language (auto detects it) and the
language of the report; ``--json`` prints the JSON object of docs/feedback.md.
Exit codes: 0 feedback printed (also for an answer with no speech), 2 bad input (a file
that is not usable audio, an unknown question id), 3 the speech model is unavailable.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import AllWorkError

if TYPE_CHECKING:
    import numpy as np

    from core.config import Settings
    from interview.practice.questions import Question

_QUESTION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)+$")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "feedback",
        help="feedback on one recorded practice answer: pace, pauses, fillers, content, tips",
        description="Transcribe one recorded answer and print the practice feedback.",
    )
    parser.add_argument("file", metavar="FILE", help="the recorded answer (any audio or video file)")
    parser.add_argument(
        "--question", metavar="ID|TEXT", help="a question id from the bank, or a question's text"
    )
    parser.add_argument("--keywords", metavar="A,B,C", help="comma-separated keywords a good answer touches")
    parser.add_argument("--language", choices=["auto", "ko", "en"], default="auto", help="default: auto")
    parser.add_argument("--model", help="Whisper model name or folder (default: ALLWORK_WHISPER_MODEL)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run_feedback)


def _question(ref: str | None) -> Question | None:
    from interview.practice.questions import QuestionNotFound, free_question, get_question

    if not ref or not ref.strip():
        return None
    try:
        return get_question(ref.strip())
    except QuestionNotFound:
        if _QUESTION_ID.match(ref.strip()):
            raise
        return free_question(ref)


def _load_audio(path: Path, settings: Settings) -> np.ndarray:
    """The answer's samples; a file of pure digital silence is an answer with no speech, not an error."""
    from interview.transcribe.audio import decode_audio
    from interview.transcribe.errors import EmptyAudio

    try:
        return decode_audio(path, max_seconds=settings.max_audio_seconds)
    except EmptyAudio:
        if not path.is_file() or path.stat().st_size == 0:
            raise
        from faster_whisper.audio import decode_audio as decode_raw

        samples = decode_raw(str(path))
        if len(samples) == 0:
            raise
        return samples


def run_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from interview.practice.feedback import analyze, detect_speech
    from interview.practice.feedback.render import render_text
    from interview.transcribe.engine import load_engine
    from interview.transcribe.errors import ModelUnavailable
    from interview.transcribe.types import Transcript

    language = None if args.language == "auto" else args.language
    keywords = [k.strip() for k in args.keywords.split(",") if k.strip()] if args.keywords else None
    try:
        question = _question(args.question)
        samples = _load_audio(Path(args.file), settings)
        speech = detect_speech(samples)
        if speech.has_speech:
            engine = load_engine(settings, args.model)
            transcript = engine.transcribe(samples, language=language)
        else:  # nothing to transcribe: Whisper would only invent text over silence
            transcript = Transcript(
                language=language or settings.default_language, duration=speech.duration, model=""
            )
        feedback = analyze(
            samples, transcript, question=question, keywords=keywords, language=language, speech=speech
        )
    except ModelUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except AllWorkError as exc:
        print(f"error: {exc.message % exc.params if exc.params else exc.message}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(feedback.to_dict(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_text(feedback))
    return 0
