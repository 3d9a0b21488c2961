"""Pace: English words or Korean (Hangul) syllables per minute, and how it changed over the answer.

Two rates are given: over the *speaking time* (first sound to last, less the long pauses that
are reported; this one gets the band) and over the *whole answer* (first sound to last, pauses
included). Fillers are not counted as words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interview.practice.feedback import bands, english, korean
from interview.practice.feedback.fillers import Filler
from interview.practice.feedback.speech import SpeechMap
from interview.transcribe.types import Word


@dataclass(frozen=True, slots=True)
class PacePoint:
    start: float
    end: float
    value: float

    def to_dict(self) -> dict[str, float]:
        return {"start": round(self.start, 1), "end": round(self.end, 1), "value": round(self.value)}


@dataclass(frozen=True, slots=True)
class Pace:
    unit: str  # "wpm" (English words) or "spm" (Korean syllables)
    value: float  # over the speaking time
    overall: float  # over the whole answer, pauses included
    band: str
    units: int  # words or syllables counted
    series: tuple[PacePoint, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "value": round(self.value),
            "overall": round(self.overall),
            "band": self.band,
            "count": self.units,
            "limits": bands.pace_bands("ko" if self.unit == "spm" else "en"),
            "series": [p.to_dict() for p in self.series],
        }


def units_of(word: str, language: str) -> int:
    """Syllables of a Korean word, or 1 for an English word (0 for bare punctuation)."""
    if language == "ko":
        return korean.count_syllables(word)
    return 1 if english.normalise(word) else 0


def measure_pace(
    words: Sequence[Word], speech: SpeechMap, language: str, fillers: Sequence[Filler] = ()
) -> Pace:
    limits = bands.pace_limits(language)
    sure = [f for f in fillers if not f.probable]
    counted = [
        (w, units_of(w.word, language))
        for w in words
        if not any(f.start <= w.start and w.end <= f.end for f in sure)
    ]
    total = sum(n for _, n in counted)
    speaking = speech.speaking_time
    answer = speech.answer_time
    value = total / speaking * 60 if speaking > 0 else 0.0
    overall = total / answer * 60 if answer > 0 else 0.0
    band = limits.band(value) if total else "none"
    return Pace(limits.unit, value, overall, str(band), total, _series(counted, speech))


def _series(counted: Sequence[tuple[Word, int]], speech: SpeechMap) -> tuple[PacePoint, ...]:
    """Pace in overlapping windows over the answer (each word counted at its middle)."""
    first, last = speech.first_word, speech.last_word_end
    if first is None or last is None or not counted:
        return ()
    window = bands.PACE_WINDOW_S
    span = last - first
    if span <= window:
        total = sum(n for _, n in counted)
        return (PacePoint(first, last, total / span * 60 if span > 0 else 0.0),)
    points = []
    step = window / 2
    t = first
    while t < last - step / 2:
        end = min(t + window, last)
        if end - t < step:
            break
        n = sum(k for w, k in counted if t <= (w.start + w.end) / 2 < end)
        points.append(PacePoint(t, end, n / (end - t) * 60))
        t += step
    return tuple(points)
