"""Plain data that every transcription backend returns and every consumer reads.

The practice feedback, the coach's review and the interview notes all work on a
:class:`Transcript`; nothing outside ``interview.transcribe`` needs to know which
Whisper implementation produced it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Word:
    """One recognised word with its time span in seconds from the start of the audio."""

    word: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text with Whisper's own confidence in it (``None`` where a backend or an old
    stored transcript gives none): the average token log-probability, the probability that the
    window held no speech, and the gzip compression ratio of the text (high = repetitive).
    ``uncertain`` marks text the model was not sure of (see :mod:`interview.transcribe.confidence`):
    it is shown, marked, but nothing is measured from it."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    avg_logprob: float | None = None
    no_speech_prob: float | None = None
    compression_ratio: float | None = None
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class DecodeStats:
    """What decoding a transcript cost: windows decoded, decodes made (each temperature fallback is
    one more), tokens written (the longest hypothesis of each decode, summed), the most one decode
    wrote and the most it was allowed to (0: no bound)."""

    windows: int = 0
    decodes: int = 0
    tokens: int = 0
    longest: int = 0
    bound: int = 0

    @property
    def fallbacks(self) -> int:
        return self.decodes - self.windows

    def __add__(self, other: DecodeStats) -> DecodeStats:
        return DecodeStats(
            self.windows + other.windows,
            self.decodes + other.decodes,
            self.tokens + other.tokens,
            max(self.longest, other.longest),
            max(self.bound, other.bound),
        )


@dataclass(frozen=True, slots=True)
class Transcript:
    language: str
    duration: float
    model: str
    segments: tuple[Segment, ...] = field(default_factory=tuple)
    #: the decoding's cost where the backend counts it (not part of the JSON shape)
    decoding: DecodeStats | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

    @property
    def uncertain_share(self) -> float:
        """The share of the transcribed time (segment spans) that is marked uncertain."""
        total = sum(max(0.0, s.end - s.start) for s in self.segments)
        unsure = sum(max(0.0, s.end - s.start) for s in self.segments if s.uncertain)
        return unsure / total if total > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``allwork transcribe --json`` (documented in docs/transcription.md)."""
        return {
            "language": self.language,
            "duration": round(self.duration, 3),
            "text": self.text,
            "model": self.model,
            "segments": [
                {
                    "start": round(s.start, 3),
                    "end": round(s.end, 3),
                    "text": s.text.strip(),
                    **_confidence(s),
                    "words": [
                        {
                            **asdict(w),
                            "start": round(w.start, 3),
                            "end": round(w.end, 3),
                            "probability": round(w.probability, 4),
                        }
                        for w in s.words
                    ],
                }
                for s in self.segments
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        return cls(
            language=str(data["language"]),
            duration=float(data["duration"]),
            model=str(data.get("model", "")),
            segments=tuple(
                Segment(
                    start=float(s["start"]),
                    end=float(s["end"]),
                    text=str(s["text"]),
                    words=tuple(
                        Word(str(w["word"]), float(w["start"]), float(w["end"]), float(w["probability"]))
                        for w in s.get("words", ())
                    ),
                    avg_logprob=_optional(s.get("avg_logprob")),
                    no_speech_prob=_optional(s.get("no_speech_prob")),
                    compression_ratio=_optional(s.get("compression_ratio")),
                    uncertain=bool(s.get("uncertain", False)),
                )
                for s in data.get("segments", ())
            ),
        )


def _confidence(segment: Segment) -> dict[str, Any]:
    """The segment's confidence fields for JSON; absent when the backend gave none (old shape)."""
    out: dict[str, Any] = {}
    for name in ("avg_logprob", "no_speech_prob", "compression_ratio"):
        value = getattr(segment, name)
        if value is not None:
            out[name] = round(float(value), 4)
    out["uncertain"] = segment.uncertain
    return out


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)
