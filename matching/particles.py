"""Korean particles after a word whose last sound we only know at run time (a place, a skill).

The pair is chosen by the word's final syllable: with a final consonant (받침) 은, 이, 을, 과, 으로;
without one 는, 가, 를, 와, 로 — and 으로/로 takes 로 after a final ㄹ as well (서울로, 화성시로).
A word ending in a digit is read as Korean reads the number (3 삼 → 이, 2 이 → 가); one ending in a
Latin letter is read as its English letter name (QC 큐시 → 가, ISO 오 → 는; L, M, N, R end in a
consonant). Anything else (a bracket, nothing) falls back to the consonant form.

No maintained library does this: the PyPI packages (josa, pyjosa, korean-josa …) are a few dozen
lines each, some unmaintained since 2012, and none reads digits or Latin letters.
"""

from __future__ import annotations

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  #: the index of ㄹ among the final consonants

#: particle -> (after a final consonant, after a vowel)
PAIRS: dict[str, tuple[str, str]] = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
    "이다": ("이다", "다"),
}
#: final consonant of the Korean reading of each digit: 0 영, 1 일 (ㄹ), 2 이, 3 삼, 4 사, 5 오,
#: 6 육, 7 칠 (ㄹ), 8 팔 (ㄹ), 9 구
_DIGIT_FINAL = {"0": 21, "1": 8, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": 8, "8": 8, "9": 0}
#: Latin letters whose English name ends in a consonant: L 엘 (ㄹ), M 엠, N 엔, R 알 (ㄹ)
_LATIN_FINAL = {"l": 8, "m": 16, "n": 4, "r": 8}


def _final(word: str) -> int | None:
    """The index of the final consonant of the word's last sound (0: none); None when unknown."""
    for ch in reversed(word.strip()):
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            return (code - _HANGUL_FIRST) % 28
        if ch in _DIGIT_FINAL:
            return _DIGIT_FINAL[ch]
        if ch.isascii() and ch.isalpha():
            return _LATIN_FINAL.get(ch.lower(), 0)
        if ch in ")]}\"'.":
            continue  # "화성시(경기)" is read by what comes before the bracket
        return None
    return None


def particle(word: str, which: str) -> str:
    """The form of ``which`` (any of the pair: 은 or 는, 이 or 가 …) that follows ``word``."""
    consonant, vowel = PAIRS[which]
    final = _final(word)
    if final is None:
        return consonant
    if which in ("으로", "로"):
        return vowel if final in (0, _RIEUL) else consonant
    return consonant if final else vowel


def attach(word: str, which: str) -> str:
    """``word`` with the right form of the particle: ``attach("화성시", "은") == "화성시는"``."""
    return word + particle(word, which)
