"""Kiwi alignment and Korean syllable counts."""

from __future__ import annotations

import pytest

from interview.practice.feedback.korean import (
    count_syllables,
    lemmas,
    morphemes_per_word,
    sino_korean_syllables,
)


@pytest.mark.parametrize(
    ("number", "syllables"),
    [(0, 1), (1, 1), (10, 1), (11, 2), (20, 2), (100, 1), (2015, 4), (10000, 1), (15000, 3), (120000000, 5)],
)
def test_sino_korean_readings(number: int, syllables: int) -> None:
    assert sino_korean_syllables(number) == syllables


def test_count_syllables_of_mixed_text() -> None:
    assert count_syllables("2015년에 30% 줄었습니다") == 16
    assert count_syllables("3.5배") == 3 + 1  # 삼점오 배
    assert count_syllables("ISO 인증") == 2  # Latin letters are not Hangul syllables


def test_morphemes_are_given_to_the_word_they_belong_to() -> None:
    per_word = morphemes_per_word(["그...", "제가", "그", "회사에서"])
    assert [m.tag for m in per_word[0]][0] == "IC"
    assert [m.form for m in per_word[1]] == ["저", "가"]
    assert per_word[2][0].tag == "MM"
    assert per_word[3][0].form == "회사"


def test_lemmas() -> None:
    assert lemmas("품질 관리를 책임지고 했습니다") == ["품질", "관리", "책임지다", "하다"]
    assert lemmas("") == []
