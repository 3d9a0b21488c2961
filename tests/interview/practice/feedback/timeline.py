"""Hand-built word timelines: Korean logic is tested on these (espeak's Korean is not Whisper-readable)."""

from __future__ import annotations

from collections.abc import Mapping

from interview.transcribe.types import Segment, Transcript, Word


def timeline(
    text: str,
    *,
    start: float = 0.0,
    word_s: float = 0.35,
    gap_s: float = 0.05,
    pauses: Mapping[int, float] | None = None,
) -> list[Word]:
    """Words of ``text`` (split on spaces) one after another; ``pauses[i]`` is the gap after word i."""
    words = []
    t = start
    for i, w in enumerate(text.split()):
        words.append(Word(w, round(t, 3), round(t + word_s, 3), 0.9))
        t += word_s + (pauses or {}).get(i, gap_s)
    return words


def transcript(words: list[Word], language: str, duration: float | None = None) -> Transcript:
    end = words[-1].end if words else 0.0
    text = " ".join(w.word for w in words)
    seg = Segment(words[0].start if words else 0.0, end, text, tuple(words))
    return Transcript(language=language, duration=duration or end + 0.5, model="hand-built", segments=(seg,))
