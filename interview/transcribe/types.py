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
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True, slots=True)
class Transcript:
    language: str
    duration: float
    model: str
    segments: tuple[Segment, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]

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
                )
                for s in data.get("segments", ())
            ),
        )
