"""Repeated words and restarts: "I, I worked", "저는 저는", "we went… we had gone".

A *repeat* is the same word or the same two or three words said twice in a row. A *restart*
is a short start of a phrase (one to three words) broken off (a dash, an ellipsis or a
hesitation) and begun again with the same first word but a different continuation.
Fillers are ignored when looking ("I, um, I worked" is a repeat of "I").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from interview.practice.feedback import bands, english
from interview.practice.feedback.fillers import Filler
from interview.transcribe.types import Word

#: a comma alone does not break a phrase off ("I planned, I checked" is a list, not a restart)
_BROKEN_OFF = re.compile(r"(-|—|–|…|\.\.\.)$")


@dataclass(frozen=True, slots=True)
class Repetition:
    text: str
    start: float
    end: float
    kind: str  # "repeat" or "restart"

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "kind": self.kind,
        }


def _key(word: str, language: str) -> str:
    if language == "ko":
        return "".join(ch for ch in word if ch.isalnum())
    return english.normalise(word)


def find_repetitions(
    words: Sequence[Word], language: str, fillers: Sequence[Filler] = ()
) -> list[Repetition]:
    filler_times = {(round(f.start, 3), round(f.end, 3)) for f in fillers if not f.probable}
    # drop words that are fillers themselves (a phrase filler covers several words)
    kept = [
        w
        for w in words
        if (round(w.start, 3), round(w.end, 3)) not in filler_times
        and not any(f.start <= w.start and w.end <= f.end for f in fillers if not f.probable)
    ]
    keys = [_key(w.word, language) for w in kept]
    found: list[Repetition] = []
    i = 0
    while i < len(kept):
        if not keys[i]:
            i += 1
            continue
        hit = _repeat_at(kept, keys, i)
        if hit is None:
            hit = _restart_at(kept, keys, i)
        if hit is None:
            i += 1
            continue
        found.append(hit[0])
        i += hit[1]
    return found


def _repeat_at(words: Sequence[Word], keys: Sequence[str], i: int) -> tuple[Repetition, int] | None:
    for size in (3, 2, 1):
        a, b = keys[i : i + size], keys[i + size : i + 2 * size]
        if len(b) == size and a == b and all(a):
            if size == 1 and keys[i].isdigit():
                continue  # "two two" as in a phone number or a count is not a stumble
            first = " ".join(w.word.strip(" ,.?!…") for w in words[i : i + size])
            rep = Repetition(first, words[i].start, words[i + 2 * size - 1].end, "repeat")
            return rep, size
    return None


def _restart_at(words: Sequence[Word], keys: Sequence[str], i: int) -> tuple[Repetition, int] | None:
    for size in (2, 3):
        if i + size >= len(words):
            break
        head = words[i + size - 1]
        broken = bool(_BROKEN_OFF.search(head.word.strip())) or (
            words[i + size].start - head.end >= bands.HESITATION_GAP_S
        )
        same_start = keys[i + size] == keys[i]
        same_rest = keys[i + 1 : i + size] == keys[i + size + 1 : i + 2 * size]
        if broken and same_start and not same_rest:
            text = " ".join(w.word.strip(" ,.?!…") for w in words[i : i + size])
            rep = Repetition(text, words[i].start, words[i + size].end, "restart")
            return rep, size
    return None
