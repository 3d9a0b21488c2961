"""The feedback on one answer as plain data, and its JSON shape (``allwork feedback --json``).

The JSON shape is documented in docs/feedback.md and locked by a test; the web pages render
the same object.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from interview.practice.feedback.content import Keywords, Structure
from interview.practice.feedback.fillers import Filler, FillerSummary
from interview.practice.feedback.i18n import translate
from interview.practice.feedback.pace import Pace
from interview.practice.feedback.repetitions import Repetition
from interview.practice.feedback.speech import Span


def clock(seconds: float) -> str:
    """``75.4`` -> ``"1:15"``: how a moment in the answer is shown."""
    s = max(0, int(round(seconds)))
    return f"{s // 60}:{s % 60:02d}"


@dataclass(frozen=True, slots=True)
class Tip:
    """One piece of advice pointing to a moment of the answer; ``message`` is an English msgid."""

    code: str
    message: str
    at: float
    params: Mapping[str, object] = field(default_factory=dict)
    #: higher first; not shown to the senior
    weight: float = 0.0

    def text(self, language: str) -> str:
        return translate(self.message, language, self.params)

    def to_dict(self, language: str) -> dict[str, object]:
        return {
            "code": self.code,
            "text": self.text(language),
            "message": self.message,
            "params": dict(self.params),
            "at": round(self.at, 2),
        }


@dataclass(frozen=True, slots=True)
class AnswerWord:
    """A transcribed word as the page shows it: click to play from ``start``; fillers marked, and
    words the speech model was not sure of (``uncertain``)."""

    text: str
    start: float
    end: float
    filler: bool = False
    uncertain: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "filler": self.filler,
            "uncertain": self.uncertain,
        }


@dataclass(frozen=True, slots=True)
class Length:
    seconds: float
    suggested: int | None
    band: str | None

    def to_dict(self) -> dict[str, object]:
        return {"seconds": round(self.seconds, 1), "suggested": self.suggested, "band": self.band}


@dataclass(frozen=True, slots=True)
class QuestionRef:
    id: str | None
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True, slots=True)
class Feedback:
    language: str
    duration: float
    no_speech: bool
    text: str
    speaking_time: float
    answer_time: float
    voiced_time: float
    time_to_first_word: float | None
    words: tuple[AnswerWord, ...]
    pace: Pace
    pauses: tuple[Span, ...]
    fillers: tuple[Filler, ...]
    filler_summary: FillerSummary
    repetitions: tuple[Repetition, ...]
    length: Length
    keywords: Keywords
    structure: Structure
    question: QuestionRef | None = None
    tips: tuple[Tip, ...] = ()
    model: str = ""
    #: the speech model did not understand most of the answer: nothing is measured from its words
    unclear: bool = False
    #: the share (0-1) of the voiced time no certain transcript covers (see ``clarity.py``)
    unclear_share: float = 0.0

    @property
    def longest_pause(self) -> Span | None:
        return max(self.pauses, key=lambda p: p.duration, default=None)

    @property
    def tip_language(self) -> str:
        return "ko" if self.language == "ko" else "en"

    def to_dict(self, language: str | None = None) -> dict[str, object]:
        """The ``--json`` object; tips in ``language`` (default: the answer's language)."""
        lang = language or self.tip_language
        longest = self.longest_pause
        return {
            "language": self.language,
            "duration": round(self.duration, 2),
            "speaking_time": round(self.speaking_time, 2),
            "answer_time": round(self.answer_time, 2),
            "voiced_time": round(float(self.voiced_time), 2),
            "time_to_first_word": None
            if self.time_to_first_word is None
            else round(self.time_to_first_word, 2),
            "no_speech": self.no_speech,
            "unclear": self.unclear,
            "unclear_share": round(self.unclear_share, 2),
            "text": self.text,
            "words": [w.to_dict() for w in self.words],
            "pace": self.pace.to_dict(),
            "pauses": [p.to_dict() for p in self.pauses],
            "longest_pause": None if longest is None else longest.to_dict(),
            "fillers": [f.to_dict() for f in self.fillers],
            "filler_rate": self.filler_summary.to_dict(),
            "repetitions": [r.to_dict() for r in self.repetitions],
            "length": self.length.to_dict(),
            "keywords": self.keywords.to_dict(),
            "structure": self.structure.to_dict(),
            "tips": [t.to_dict(lang) for t in self.tips],
            "question": None if self.question is None else self.question.to_dict(),
            "model": self.model,
        }
