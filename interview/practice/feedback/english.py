"""English text helpers: word normalisation and a light suffix-stripping stemmer.

The stemmer is deliberately small (no extra dependency): it only has to make ``managed``,
``managing``, ``manager`` and ``management`` meet ``manage`` when a keyword is looked for.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ingly",
    "ings",
    "ing",
    "ate",
    "ers",
    "er",
    "ed",
    "ly",
    "es",
    "s",
)
_KEEP = frozenset({"was", "has", "is", "this", "us", "yes", "his", "as", "less", "process", "business"})


def normalise(word: str) -> str:
    """Lower case, punctuation and spaces gone: ``" Um,"`` -> ``"um"``."""
    return "".join(_WORD.findall(word.lower().replace("\u2019", "'")))


def tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def stem(word: str) -> str:
    """A light stem: ``managing`` / ``managed`` / ``manager`` -> ``manag``; short words stay."""
    w = normalise(word)
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or w in _KEEP:
        return w
    if w.endswith(("ies", "ied")) and len(w) > 4:
        return w[:-3] + "y"
    for suffix in _SUFFIXES:
        rest = len(w) - len(suffix)
        if w.endswith(suffix) and rest >= (5 if suffix in ("ly", "ate") else 3):
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # planned -> plann -> plan
    return w


def stems(text: str) -> list[str]:
    return [stem(t) for t in tokens(text)]
