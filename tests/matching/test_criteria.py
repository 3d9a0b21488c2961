"""Scorecard criteria of a posting: one per line, at most six, the default four when blank."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from matching.criteria import DEFAULT_CRITERIA, criteria_of, parse_criteria
from matching.validation import parse_posting
from tests.matching.conftest import quality_posting


def test_parse_and_defaults() -> None:
    assert parse_criteria("") == [] and parse_criteria(None) == []
    assert parse_criteria(" 도면 해독 \n\n품질 문서 작성\n") == ["도면 해독", "품질 문서 작성"]
    assert criteria_of([]) == DEFAULT_CRITERIA
    assert [c.key for c in criteria_of(["도면 해독"])] == ["도면 해독"]
    for bad in ("\n".join(f"항목{i}" for i in range(7)), "가" * 61, "소통\n소통"):
        with pytest.raises(InvalidInput) as info:
            parse_criteria(bad)
        assert set(info.value.fields) == {"criteria"}


def test_the_posting_form_carries_them() -> None:
    assert parse_posting(quality_posting()).criteria == ()
    assert parse_posting({**quality_posting(), "criteria": "도면 해독\n안전 의식"}).criteria == (
        "도면 해독",
        "안전 의식",
    )
    with pytest.raises(InvalidInput) as info:
        parse_posting({**quality_posting(), "criteria": "소통\n소통"})
    assert "criteria" in info.value.fields
