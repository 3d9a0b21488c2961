"""``analyze``: one recorded answer and its transcript in, the whole :class:`Feedback` out.

Pure CPU work and synchronous: the server runs it in a worker thread, next to Whisper.
Silence is found on the audio (Silero VAD); transcribed words the VAD heard no voice under
are dropped (Whisper invents stock phrases over silence), and an answer with no voice at all
gets ``no_speech`` and no text. An answer with voice that the speech model mostly did not
understand gets ``unclear`` (``clarity.py``): its transcript is kept, marked, and only what the
audio itself shows (pauses, length) is measured.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from interview.practice.feedback import bands, clarity
from interview.practice.feedback.content import Keywords, Structure, find_structure, match_keywords
from interview.practice.feedback.fillers import find_fillers, probable_fillers, summarise
from interview.practice.feedback.pace import measure_pace
from interview.practice.feedback.repetitions import find_repetitions
from interview.practice.feedback.report import AnswerWord, Feedback, Length, QuestionRef
from interview.practice.feedback.speech import SpeechMap, detect_speech
from interview.practice.feedback.tips import with_tips
from interview.transcribe.types import Transcript, Word

if TYPE_CHECKING:
    from interview.practice.questions import Question

#: a transcribed word counts when voice was heard within this many seconds of it
_VOICE_TOLERANCE_S = 0.3


def transcript_words(transcript: Transcript) -> list[Word]:
    """Every word with its timing; a segment without word timings is spread evenly over its span."""
    words: list[Word] = []
    for seg in transcript.segments:
        if seg.words:
            words.extend(w for w in seg.words if w.word.strip())
            continue
        parts = seg.text.split()
        step = (seg.end - seg.start) / len(parts) if parts else 0.0
        words.extend(
            Word(p, seg.start + i * step, seg.start + (i + 1) * step, 0.0) for i, p in enumerate(parts)
        )
    return words


def resolve_language(transcript: Transcript, language: str | None) -> str:
    if language in ("ko", "en"):
        return language
    return transcript.language or "en"


def analyze(
    audio: np.ndarray,
    transcript: Transcript,
    *,
    question: Question | None = None,
    keywords: Sequence[str] | None = None,
    language: str | None = None,
    speech: SpeechMap | None = None,
) -> Feedback:
    """Feedback on one answer: ``audio`` is 16 kHz mono float32, ``transcript`` Whisper's output
    for it. ``keywords`` replace the question's; ``language`` ("ko"/"en") overrides the detected
    one. ``speech`` skips the VAD when the caller already ran :func:`detect_speech`."""
    lang = resolve_language(transcript, language)
    rules = "ko" if lang == "ko" else "en"
    speech = speech if speech is not None else detect_speech(audio)
    words = [w for w in transcript_words(transcript) if speech.is_voiced(w.start, w.end, _VOICE_TOLERANCE_S)]
    share = clarity.unclear_share(speech, transcript) if speech.has_speech else 0.0
    unclear = speech.has_speech and clarity.is_unclear(speech, share)
    no_speech = not speech.has_speech or (not words and not unclear)
    if no_speech:
        words = []
    unsure = clarity.uncertain_words(transcript)
    sure_words = [] if unclear else [w for w in words if w not in unsure]
    wanted = list(keywords) if keywords is not None else _question_keywords(question, rules)

    fillers = find_fillers(sure_words, rules, speech)
    if not no_speech and not unclear:
        fillers = sorted(fillers + probable_fillers(words, speech, fillers), key=lambda f: f.start)
    minutes = speech.answer_time / 60
    summary = summarise(fillers, minutes)
    sure = [f for f in fillers if not f.probable]
    suggested = (question.suggested_seconds or None) if question is not None else None
    length = Length(
        seconds=speech.answer_time if not no_speech else 0.0,
        suggested=suggested,
        band=(str(bands.length_band(speech.answer_time, suggested)) if suggested and not no_speech else None),
    )
    fb = Feedback(
        language=lang,
        duration=speech.duration,
        no_speech=no_speech,
        unclear=unclear,
        unclear_share=share,
        text=" ".join(w.word.strip() for w in words),
        speaking_time=speech.speaking_time if not no_speech else 0.0,
        answer_time=speech.answer_time if not no_speech else 0.0,
        voiced_time=speech.voiced_time,
        time_to_first_word=speech.first_word if not no_speech else None,
        words=tuple(
            AnswerWord(
                w.word.strip(),
                w.start,
                w.end,
                any(f.start <= w.start and w.end <= f.end for f in sure),
                uncertain=unclear or w in unsure,
            )
            for w in words
        ),
        pace=measure_pace([] if unclear else words, speech, rules, fillers),
        pauses=tuple(speech.pauses()) if not no_speech else (),
        fillers=tuple(fillers),
        filler_summary=summary,
        repetitions=tuple(find_repetitions(sure_words, rules, fillers)),
        length=length,
        keywords=(
            Keywords((), (), {})
            if unclear
            else match_keywords(words, wanted, rules)
            if words
            else Keywords((), tuple(wanted), {})
        ),
        structure=find_structure(words, rules) if words and not unclear else Structure({}),
        question=_question_ref(question, rules),
        model=transcript.model,
    )
    return with_tips(fb)


def _question_keywords(question: Question | None, language: str) -> list[str]:
    if question is None:
        return []
    return list(question.keywords_ko if language == "ko" else question.keywords_en)


def _question_ref(question: Question | None, language: str) -> QuestionRef | None:
    if question is None:
        return None
    return QuestionRef(question.id or None, question.text(language))
