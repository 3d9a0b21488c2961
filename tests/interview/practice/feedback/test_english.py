"""The light English stemmer keywords are matched with."""

from __future__ import annotations

from interview.practice.feedback.english import normalise, stem


def test_inflections_meet() -> None:
    for group in (
        ("manage", "managed", "managing", "manager", "management"),
        ("train", "trained", "training"),
        ("supply", "supplies"),
        ("plan", "planned"),
        ("team", "teams"),
    ):
        assert len({stem(w) for w in group}) == 1, group


def test_short_and_kept_words_stay() -> None:
    assert stem("was") == "was" and stem("process") == "process" and stem("ISO") == "iso"
    assert stem("apply") == "apply" and stem("family") == "family"


def test_normalise() -> None:
    assert normalise(" Um,") == "um" and normalise("don\u2019t") == "don't" and normalise("...") == ""
