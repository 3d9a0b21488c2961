"""Plain data the practice pages show, built from stored feedback (no translation, no HTML).

:func:`answer_view` turns one take's feedback into transcript tokens (words, fillers marked,
long pauses placed where they happened) and the measures the page lists; :func:`progress`
averages each measure over the counting answers of every session, oldest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from interview.practice.feedback.bands import VERY_LONG_PAUSE_S
from interview.practice.models import PracticeSession, PracticeTake


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "word" or "pause"
    text: str
    start: float
    end: float
    filler: bool = False
    very_long: bool = False
    uncertain: bool = False  #: the speech model was not sure of this word


@dataclass
class AnswerView:
    take_id: int
    attempt: int
    no_speech: bool
    language: str
    tokens: list[Token]
    data: dict[str, Any]  #: the feedback JSON in the viewer's language
    pauses: list[dict[str, float]] = field(default_factory=list)

    @property
    def unclear(self) -> bool:
        """The speech model did not understand the answer well (feedback stored before this has no key)."""
        return bool(self.data.get("unclear"))

    @property
    def pace(self) -> dict[str, Any]:
        return dict(self.data.get("pace") or {})

    @property
    def tips(self) -> list[dict[str, Any]]:
        return list(self.data.get("tips") or [])

    @property
    def fillers(self) -> list[dict[str, Any]]:
        return [f for f in self.data.get("fillers") or [] if not f.get("probable")]

    @property
    def longest_pause(self) -> dict[str, float] | None:
        return self.data.get("longest_pause")


def feedback_in(take: PracticeTake, language: str) -> dict[str, Any] | None:
    """The take's feedback with tips in ``language`` (both are stored)."""
    fb = take.feedback
    if not fb:
        return None
    if "ko" in fb or "en" in fb:
        return dict(fb.get(language) or fb.get("en") or fb.get("ko") or {})
    return dict(fb)


def tokens(data: dict[str, Any]) -> list[Token]:
    """Words in order with each long pause placed before the first word after it starts."""
    words = [
        Token(
            "word",
            str(w["text"]),
            float(w["start"]),
            float(w["end"]),
            bool(w.get("filler")),
            uncertain=bool(w.get("uncertain")),
        )
        for w in data.get("words") or []
    ]
    pauses = sorted(
        (
            Token(
                "pause",
                "",
                float(p["start"]),
                float(p["end"]),
                very_long=float(p["duration"]) >= VERY_LONG_PAUSE_S,
            )
            for p in data.get("pauses") or []
        ),
        key=lambda t: t.start,
    )
    out: list[Token] = []
    i = 0
    for w in words:
        while i < len(pauses) and pauses[i].start <= w.start:
            out.append(pauses[i])
            i += 1
        out.append(w)
    out.extend(pauses[i:])
    return out


def answer_view(take: PracticeTake, language: str) -> AnswerView | None:
    data = feedback_in(take, language)
    if data is None:
        return None
    return AnswerView(
        take_id=take.id,
        attempt=take.attempt,
        no_speech=bool(data.get("no_speech")),
        language=str(data.get("language", "")),
        tokens=tokens(data),
        data=data,
        pauses=list(data.get("pauses") or []),
    )


@dataclass(frozen=True, slots=True)
class SessionMeasures:
    session_id: int
    date: str  #: "11.25"
    answers: int
    pace_wpm: float | None
    pace_spm: float | None
    fillers_per_min: float
    longest_pause: float
    keyword_share: float | None  #: 0..100
    structure: float  #: STAR parts heard, 0..4


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def session_measures(row: PracticeSession, takes: Sequence[PracticeTake]) -> SessionMeasures | None:
    """Averages over the counting take of each question (answers with speech only)."""
    last: dict[int, PracticeTake] = {}
    for t in sorted(takes, key=lambda t: (t.question_index, t.attempt)):
        if t.feedback:
            last[t.question_index] = t
    data = [
        d
        for d in (feedback_in(t, "en") for t in last.values())
        if d and not d.get("no_speech") and not d.get("unclear")  # nothing measured from an unclear one
    ]
    if not data:
        return None
    wpm = [
        float(d["pace"]["value"]) for d in data if d["pace"].get("unit") == "wpm" and d["pace"].get("count")
    ]
    spm = [
        float(d["pace"]["value"]) for d in data if d["pace"].get("unit") == "spm" and d["pace"].get("count")
    ]
    fillers = [float((d.get("filler_rate") or {}).get("per_minute") or 0.0) for d in data]
    pauses = [float((d.get("longest_pause") or {}).get("duration") or 0.0) for d in data]
    shares = []
    for d in data:
        kw = d.get("keywords") or {}
        total = len(kw.get("found") or []) + len(kw.get("missing") or [])
        if total:
            shares.append(100.0 * len(kw.get("found") or []) / total)
    structure = [float((d.get("structure") or {}).get("score") or 0) for d in data]
    return SessionMeasures(
        session_id=row.id,
        date=f"{row.created_at.month}.{row.created_at.day}",
        answers=len(data),
        pace_wpm=_mean(wpm),
        pace_spm=_mean(spm),
        fillers_per_min=_mean(fillers) or 0.0,
        longest_pause=max(pauses, default=0.0),
        keyword_share=_mean(shares),
        structure=_mean(structure) or 0.0,
    )
