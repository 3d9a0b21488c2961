"""Korean particles chosen by the last sound of the word before them."""

from __future__ import annotations

import pytest

from matching.particles import attach, particle


@pytest.mark.parametrize(
    ("word", "which", "expected"),
    [
        ("경기도 화성시", "은", "경기도 화성시는"),
        ("서울특별시 강남구", "는", "서울특별시 강남구는"),
        ("인천광역시", "은", "인천광역시는"),
        ("품질관리", "이", "품질관리가"),
        ("용접", "가", "용접이"),
        ("지게차 운전", "을", "지게차 운전을"),
        ("회계", "을", "회계를"),
        ("경력", "와", "경력과"),
        ("경리", "과", "경리와"),
        ("서울", "으로", "서울로"),
        ("화성시", "으로", "화성시로"),
        ("부산", "로", "부산으로"),
        ("SPC", "은", "SPC는"),
        ("ISO 9001", "이", "ISO 9001이"),
        ("3", "이", "3이"),
        ("2", "이", "2가"),
        ("PLC", "을", "PLC를"),
        ("CNC", "을", "CNC를"),
        ("HTML", "을", "HTML을"),
        ("화성시(경기)", "은", "화성시(경기)는"),
    ],
)
def test_attach_picks_the_form_by_the_final_sound(word: str, which: str, expected: str) -> None:
    assert attach(word, which) == expected


def test_unknown_ending_falls_back_to_the_consonant_form() -> None:
    assert particle("", "은") == "은" and particle("…", "를") == "을"
    assert particle("~", "으로") == "으로"
