"""Korean text helpers: Kiwi morphemes aligned to transcript words, and syllable counts.

Kiwi (kiwipiepy) is loaded once per process, on first use, and shared; its analysis is what
tells a filler ``그`` (interjection, IC) from the determiner ``그`` in ``그 회사`` (MM), and it
gives the lemmas keyword matching compares (``관리했습니다`` -> ``관리`` + ``하``).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_LOCK = threading.Lock()

#: Kiwi tags of content morphemes: nouns, numbers, verb and adjective stems, roots, foreign words.
CONTENT_TAGS = frozenset(
    {"NNG", "NNP", "NNB", "NR", "NP", "SN", "SL", "SH", "XR", "VV", "VA", "VV-R", "VV-I", "VA-R", "VA-I"}
)
NOUN_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "SN", "SL", "SH", "XR", "XPN"})


@dataclass(frozen=True, slots=True)
class Morph:
    form: str
    tag: str

    @property
    def lemma(self) -> str:
        """Verb and adjective stems get their dictionary ending (하 -> 하다); other forms stay."""
        return self.form + "다" if self.tag.startswith(("VV", "VA", "VX")) else self.form

    @property
    def is_content(self) -> bool:
        return self.tag in CONTENT_TAGS


@lru_cache(maxsize=1)
def _kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi()


def warm_up() -> None:
    """Load Kiwi and run it once now (1-2 s) instead of on the first Korean answer."""
    with _LOCK:
        _kiwi().tokenize("그 회사에서 일했습니다.")


def morphemes(text: str) -> list[Morph]:
    """Kiwi's best analysis of ``text`` as a flat list of morphemes."""
    if not text.strip():
        return []
    with _LOCK:
        tokens = _kiwi().tokenize(text)
    return [Morph(t.form, t.tag) for t in tokens]


def morphemes_per_word(words: Sequence[str]) -> list[list[Morph]]:
    """Analyse ``words`` as one text (so context decides each tag) and give each word its morphemes."""
    texts = [w.strip() for w in words]
    starts: list[int] = []
    pieces: list[str] = []
    offset = 0
    for t in texts:
        starts.append(offset)
        pieces.append(t)
        offset += len(t) + 1
    joined = " ".join(pieces)
    result: list[list[Morph]] = [[] for _ in texts]
    if not joined.strip():
        return result
    with _LOCK:
        tokens = _kiwi().tokenize(joined)
    for tok in tokens:
        i = bisect.bisect_right(starts, tok.start) - 1
        if 0 <= i < len(result):
            result[i].append(Morph(tok.form, tok.tag))
    return result


def lemmas(text: str) -> list[str]:
    """Content lemmas of ``text`` in order (nouns, stems with 다, numbers, foreign words)."""
    return [m.lemma for m in morphemes(text) if m.is_content]


# --- syllables --------------------------------------------------------------------------------------
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_UNITS = ("", "십", "백", "천")
_GROUPS = ("", "만", "억", "조", "경")


def sino_korean_syllables(number: int) -> int:
    """Syllables of ``number`` read the Sino-Korean way (2015 -> 이천십오 -> 4)."""
    if number <= 0:
        return 1  # 영 / 공
    count = 0
    group_index = 0
    while number > 0:
        number, group = divmod(number, 10000)
        if group:
            digits = [int(d) for d in f"{group:04d}"][::-1]
            for place, d in enumerate(digits):
                if d == 0:
                    continue
                if place == 0:
                    count += 1
                else:
                    count += 1 if d == 1 else 2
            if group_index:
                count += 1
                if group == 1 and group_index == 1:
                    count -= 1  # 만, not 일만
        group_index += 1
    return count


def _number_syllables(token: str) -> int:
    whole, _, fraction = token.replace(",", "").partition(".")
    count = sino_korean_syllables(int(whole)) if whole else 0
    if fraction:
        count += 1 + len(fraction)  # 점 + one syllable per digit
    return count


def count_syllables(text: str) -> int:
    """Spoken syllables of Korean ``text``: Hangul syllables, plus numbers as they are read aloud
    (Whisper writes ``20년``, ``30%``)."""
    count = len(_HANGUL.findall(text))
    for m in _NUMBER.finditer(text):
        count += _number_syllables(m.group())
    count += 3 * text.count("%")  # 퍼센트
    return count
