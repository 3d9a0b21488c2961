"""New passwords: the easy ones are refused, each with its own plain reason."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.passwords import (
    BLANK,
    COMMON,
    DIGITS,
    PERSONAL,
    TOO_LONG,
    TOO_SHORT,
    check_new_password,
    password_problem,
)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", TOO_SHORT),
        ("x" * 257 + "1", TOO_LONG),
        ("          ", BLANK),
        ("aaaaaaaaaa", BLANK),
        ("abababab", BLANK),
        ("12345678", DIGITS),
        ("19650315", DIGITS),  # a birthday
        ("010-1234-5678", DIGITS),  # a phone number, with dashes
        ("qwer1234", COMMON),
        ("1q2w3e4r", COMMON),
        ("asdf1234", COMMON),
        ("Qwer1234!", COMMON),
        ("1q2w3e4r5t", COMMON),
        ("dkssud1234", COMMON),  # 안녕 typed on an English keyboard
        ("tkfkdgo12", COMMON),  # 사랑해
        ("사랑해12345678", COMMON),
        ("password1", COMMON),
        ("iloveyou!!", COMMON),
        ("letmein12", COMMON),  # zxcvbn's own lists
        ("monkey123", COMMON),
    ],
)
def test_easy_passwords_are_refused_with_their_reason(password: str, problem: str) -> None:
    assert password_problem(password) == problem


def test_the_persons_own_email_and_name_are_refused() -> None:
    assert password_problem("youngsoo-7788", email="youngsoo@example.com", name="김영수") == PERSONAL
    assert password_problem("김영수만세-58", email="kim@example.com", name="김영수") == PERSONAL
    assert password_problem("Hong Gildong 77", email="x@example.com", name="Hong Gildong") == PERSONAL
    # the same password is fine for someone else
    assert password_problem("youngsoo-7788", email="lee@example.com", name="이정숙") is None


@pytest.mark.parametrize(
    "password",
    ["blue-tea-garden-58", "푸른바다산책58", "quiet river 72", "garden-tea-58", "new-Secret-77"],
)
def test_good_passwords_pass(password: str) -> None:
    assert password_problem(password, email="kim@example.com", name="김영수") is None


def test_a_very_long_password_is_judged_without_error() -> None:
    assert password_problem("correct horse battery staple " * 8) is None


async def test_check_raises_beside_the_named_field() -> None:
    with pytest.raises(InvalidInput) as info:
        await check_new_password("qwer1234", field="new")
    assert info.value.fields == {"new": COMMON}
    await check_new_password("blue-tea-garden-58")
