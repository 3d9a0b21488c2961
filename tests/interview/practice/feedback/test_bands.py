"""The limits in bands.py are the ones docs/feedback.md explains."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interview.practice.feedback import bands

DOC = Path(__file__).resolve().parents[4] / "docs" / "feedback.md"


def _documented() -> dict[str, float]:
    rows = re.findall(r"^\| `([A-Z_.a-z]+)` \| ([\d.]+)", DOC.read_text(encoding="utf-8"), flags=re.M)
    return {name: float(value) for name, value in rows}


def _actual() -> dict[str, float]:
    values: dict[str, float] = {}
    for name, value in vars(bands).items():
        if name.isupper() and isinstance(value, (int, float)):
            values[name] = float(value)
        elif isinstance(value, bands.PaceLimits):
            values[f"{name}.slow_below"] = value.slow_below
            values[f"{name}.fast_above"] = value.fast_above
    return values


def test_every_limit_is_documented_with_its_value() -> None:
    assert _documented() == _actual()


@pytest.mark.parametrize(
    ("seconds", "suggested", "band"),
    [(20, 60, "too_short"), (30, 60, "good"), (96, 60, "good"), (97, 60, "too_long")],
)
def test_length_band(seconds: float, suggested: float, band: str) -> None:
    assert bands.length_band(seconds, suggested) == band


def test_pace_units() -> None:
    assert bands.pace_limits("ko").unit == "spm" and bands.pace_limits("en").unit == "wpm"
    assert bands.pace_limits("ja").unit == "wpm"  # other languages are counted in words
