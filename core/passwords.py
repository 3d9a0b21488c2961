"""Is a new password good enough? Refuse the easy ones with a plain reason, not just a length rule.

Checked in this order, each with its own message (English msgid, Korean in the catalogue):

1. length: 8 to 256 characters;
2. blank-looking: only spaces, or only one or two different characters (``aaaaaaaa``, ``abababab``);
3. only digits: a birthday (``19650315``), a phone number or a count (``12345678``);
4. the person's own email address (its name part) or name;
5. a shipped list of passwords Korean users often choose (keyboard rows such as ``qwer1234``,
   ``1q2w3e4r``, ``asdf1234``, Korean words typed on an English keyboard such as ``dkssud`` for 안녕,
   with any digits or symbols after them), which zxcvbn does not know;
6. zxcvbn (Dropbox's strength estimator, kept up by its Python port) below :data:`MIN_SCORE`:
   common words, names, dates, keyboard patterns, repeats and l33t spellings.

:func:`password_problem` is pure and quick (zxcvbn takes a few milliseconds); :func:`check_new_password`
runs it in a thread and raises :class:`InvalidInput` for the named field.
"""

from __future__ import annotations

import asyncio
import re

from zxcvbn import zxcvbn

from core.errors import InvalidInput
from core.i18n import N_

MIN_LENGTH = 8
MAX_LENGTH = 256
#: zxcvbn's score 0–4; 2 means about a million guesses or more ("somewhat guessable")
MIN_SCORE = 2
#: zxcvbn refuses longer input; a password this long is judged by its start
ZXCVBN_MAX = 72

TOO_SHORT = N_("The password needs at least 8 characters.")
TOO_LONG = N_("The password is too long.")
BLANK = N_(
    "This password is made of spaces or the same one or two characters over and over. "
    "Please use a mix of letters, numbers or words."
)
DIGITS = N_(
    "A password of numbers only (a birthday, a phone number) is easy to guess. "
    "Please add a few letters or words."
)
PERSONAL = N_("Please do not use your email address or name in the password.")
COMMON = N_(
    "Many people use this password, so it is easy to guess. "
    "Try two or three words only you would think of, with a number, such as 'blue-tea-garden-58'."
)

#: passwords (or their start) Korean users often choose, lower case, without digits or symbols after them
COMMON_KOREAN = frozenset(
    {
        # keyboard rows and zigzags
        "qwer",
        "qwert",
        "qwerty",
        "qwerasdf",
        "asdf",
        "asdfg",
        "zxcv",
        "zxcvb",
        "qwe",
        "asd",
        "zxc",
        "qaz",
        "qazwsx",
        "abcd",
        "abc",
        "1q2w3e4r",
        "1q2w3e4r5t",
        "1q2w3e",
        "q1w2e3r4",
        "q1w2e3r4t5",
        "1qaz2wsx",
        "1qazxsw2",
        "a1b2c3d4",
        # Korean words typed on an English keyboard
        "dkssud",  # 안녕
        "dkssudgktpdy",  # 안녕하세요
        "tkfkdgo",  # 사랑해
        "tkfkd",  # 사랑
        "qlalfqjsgh",  # 비밀번호
        "rnjsgus",
        "gkgk",  # 하하
        # romanised and English favourites
        "sarang",
        "saranghae",
        "saranghaeyo",
        "iloveyou",
        "love",
        "password",
        "passw0rd",
        "admin",
        "allwork",
        "korea",
        "seoul",
        "daehanminguk",
        # Korean words as they are
        "사랑",
        "사랑해",
        "안녕",
        "안녕하세요",
        "비밀번호",
        "대한민국",
    }
)

_TAIL = re.compile(r"[\d\W_]+$")
_SEPARATORS = re.compile(r"[\s\W_]+")


def _stem(password: str) -> str:
    """Lower case, without the digits and symbols people add at the end (``Qwer1234!`` -> ``qwer``)."""
    return _TAIL.sub("", password.strip().lower())


def _personal_parts(email: str, name: str) -> list[str]:
    local = email.strip().lower().partition("@")[0]
    parts = [local, *_SEPARATORS.split(local)]
    name = name.strip().lower()
    parts += [name, name.replace(" ", ""), *name.split()]
    # a Korean name of two or three syllables is long enough to count; Latin parts need three letters
    return sorted(
        {p for p in parts if len(p) >= 3 or (len(p) >= 2 and not p.isascii())}, key=len, reverse=True
    )


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The msgid that says what is wrong with ``password`` as a new password, or None when it is fine."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    squeezed = password.strip()
    if not squeezed or len(set(squeezed.lower()) - {" "}) <= 2:
        return BLANK
    compact = _SEPARATORS.sub("", password)
    if compact.isdigit():
        return DIGITS
    lowered = password.lower()
    compact_lower = compact.lower()
    if any(part in lowered or part in compact_lower for part in _personal_parts(email, name)):
        return PERSONAL
    stem = _stem(password)
    if stem in COMMON_KOREAN or stem.replace(" ", "") in COMMON_KOREAN:
        return COMMON
    if zxcvbn(password[:ZXCVBN_MAX], user_inputs=[email, name])["score"] < MIN_SCORE:
        return COMMON
    return None


async def check_new_password(
    password: str, *, email: str = "", name: str = "", field: str = "password"
) -> None:
    """Raise :class:`InvalidInput` with the reason beside ``field`` when ``password`` is too easy."""
    problem = await asyncio.to_thread(password_problem, password, email=email, name=name)
    if problem is not None:
        raise InvalidInput(fields={field: problem})
