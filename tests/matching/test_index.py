"""The in-memory index: both directions agree, filters, pages, changes, no birth year."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from matching.index import MatchIndex, PostingDoc, PostingFilter, SeniorDoc, SeniorFilter
from matching.text import term_counts

TODAY = date(2026, 1, 5)


def senior(i: int, text: str, **kw: Any) -> SeniorDoc:
    base: dict[str, Any] = dict(
        senior_id=i,
        terms=term_counts(text),
        years=20.0,
        salary_min=300,
        salary_max=400,
        regions=("41590",),
        max_commute_km=30,
        available_from=TODAY,
        employment_types=("full_time",),
    )
    return SeniorDoc(**(base | kw))


def posting(i: int, text: str, **kw: Any) -> PostingDoc:
    base: dict[str, Any] = dict(
        posting_id=i,
        company_id=1,
        company_approved=True,
        open=True,
        terms=term_counts(text),
        years_required=5,
        salary_min=300,
        salary_max=400,
        region="41590",
        employment_type="full_time",
        start_date=TODAY + timedelta(days=20),
        closing_date=TODAY + timedelta(days=10),
    )
    return PostingDoc(**(base | kw))


@pytest.fixture
def index() -> MatchIndex:
    idx = MatchIndex()
    idx.load(
        [
            senior(1, "자동차 부품 품질관리 팀장, 수입검사, ISO 9001"),
            senior(2, "물류창고 지게차 운전, 입출고 관리"),
            senior(3, "경리 회계, 급여 관리, 더존", regions=("11",), employment_types=("part_time",)),
        ],
        [
            posting(10, "품질 관리 책임자, 수입검사와 출하검사"),
            posting(11, "지게차 운전원, 물류창고 입출고"),
            posting(12, "경리 담당, 전표와 급여", region="11680", employment_type="part_time"),
            posting(13, "품질관리 담당", company_approved=False),
            posting(14, "품질관리 담당", closing_date=TODAY - timedelta(days=1)),
        ],
    )
    return idx


def test_each_senior_gets_their_field_first(index: MatchIndex) -> None:
    assert index.rank_postings(1, TODAY).ids[0] == 10
    assert index.rank_postings(2, TODAY).ids[0] == 11
    assert index.rank_postings(3, TODAY).ids[0] == 12
    assert set(index.rank_postings(1, TODAY).ids.tolist()) == {10, 11, 12}  # 13 unapproved, 14 closed
    assert index.rank_seniors(10).ids.tolist()[0] == 1


def test_both_directions_and_explain_agree(index: MatchIndex) -> None:
    for sid in (1, 2, 3):
        ranked = index.rank_postings(sid, TODAY)
        for pid, score in zip(ranked.ids.tolist(), ranked.scores.tolist(), strict=True):
            other = index.rank_seniors(pid)
            assert dict(zip(other.ids.tolist(), other.scores.tolist(), strict=True))[sid] == pytest.approx(
                score, abs=1e-6
            )
            explained, factors = index.explain(sid, pid)
            assert explained == pytest.approx(score, abs=1e-6)
            assert sum(f.value * f.weight for f in factors) == pytest.approx(score, abs=1e-6)


def test_filters_and_stable_pages(index: MatchIndex) -> None:
    assert index.rank_postings(1, TODAY, PostingFilter(regions=("11",))).ids.tolist() == [12]
    assert index.rank_postings(1, TODAY, PostingFilter(employment_types=("part_time",))).total == 1
    assert index.rank_postings(1, TODAY, PostingFilter(min_salary=401)).total == 0
    assert index.rank_seniors(10, SeniorFilter(regions=("41",))).ids.tolist() == [1, 2]
    assert index.rank_seniors(10, SeniorFilter(available_by=TODAY - timedelta(days=1))).total == 0
    full = index.rank_postings(1, TODAY, offset=0, limit=10).ids.tolist()
    pages = [index.rank_postings(1, TODAY, offset=k, limit=1).ids.tolist() for k in range(3)]
    assert sum(pages, []) == full
    assert index.rank_postings(1, TODAY, offset=5, limit=5).ids.tolist() == []


def test_changes_update_the_index(index: MatchIndex) -> None:
    index.upsert_posting(posting(15, "자동차 부품 품질관리, ISO 9001 인증, 수입검사"))
    assert index.rank_postings(1, TODAY).ids[0] in (10, 15)
    assert index.seniors_above(15, 0.8).ids.tolist() == [1]
    index.set_company_approved(1, False)
    assert index.rank_postings(1, TODAY).total == 0
    index.set_company_approved(1, True)
    index.remove_posting(15)
    assert 15 not in index.rank_postings(1, TODAY).ids.tolist()
    index.upsert_senior(senior(2, "자동차 부품 품질관리 팀장, 수입검사, ISO 9001"))  # changed career
    assert index.rank_seniors(10).scores[0] == pytest.approx(index.rank_seniors(10).scores[1], abs=1e-6)
    index.remove_senior(2)
    assert index.rank_seniors(10).ids.tolist() == [1, 3]


def test_index_never_sees_age() -> None:
    assert "birth_year" not in {f.name for f in dataclasses.fields(SeniorDoc)}


def test_bulk_load_equals_one_by_one() -> None:
    rng = random.Random(3)
    texts = [
        "품질관리 수입검사",
        "지게차 운전",
        "경리 회계 급여",
        "CNC 선반 가공",
        "빌딩 시설관리 전기",
        "용접 배관",
    ]
    seniors = [
        senior(i, " ".join(rng.sample(texts, 2)), salary_min=rng.randrange(200, 400, 10))
        for i in range(1, 60)
    ]
    postings = [
        posting(i, rng.choice(texts), region=rng.choice(["41590", "41110", "11680"])) for i in range(100, 140)
    ]
    bulk = MatchIndex()
    bulk.load(seniors, postings)
    single = MatchIndex()
    for d in seniors:
        single.upsert_senior(d)
    for p in postings:
        single.upsert_posting(p)
    single.refresh()
    a, b = bulk.rank_postings(7, TODAY, limit=40), single.rank_postings(7, TODAY, limit=40)
    assert np.allclose(a.scores, b.scores, atol=1e-6) and a.total == b.total == 40
    a, b = bulk.rank_seniors(120, limit=60), single.rank_seniors(120, limit=60)
    assert np.allclose(a.scores, b.scores, atol=1e-6)


def test_a_pay_wish_or_start_date_not_given_yet_scores_halfway() -> None:
    """Issue 16: a senior without a pay wish or start date is neither a fit nor a mismatch on those
    factors (0.5); the reasons say so, and the ranking's other factors decide."""
    idx = MatchIndex()
    idx.load(
        [
            senior(1, "품질관리 수입검사"),  # wishes 300–400 and is free today
            senior(2, "품질관리 수입검사", salary_min=None, salary_max=None, available_from=None),
            senior(
                3,
                "품질관리 수입검사",
                salary_min=900,
                salary_max=1000,
                available_from=TODAY + timedelta(days=200),
            ),
        ],
        [posting(10, "품질 관리 수입검사"), posting(11, "품질 관리", start_date=None)],
    )
    ranked = idx.rank_seniors(10)
    assert ranked.ids.tolist() == [1, 2, 3]  # the full fit, then not given yet, then the mismatch
    _, factors = idx.explain(2, 10)
    by_name = {f.name: f for f in factors}
    assert by_name["salary"].value == by_name["timing"].value == 0.5
    assert not by_name["salary"].known and not by_name["timing"].known and by_name["years"].known
    assert by_name["salary"].reason.endswith("no pay wish has been given yet.")
    assert by_name["salary"].params == {"pay_min": 300, "pay_max": 400}
    start = TODAY + timedelta(days=20)
    assert by_name["timing"].reason == "Work starts on %(start_en)s; no start date has been given yet."
    assert by_name["timing"].params["start"] == f"{start.year}년 {start.month}월 {start.day}일"
    assert by_name["timing"].to_dict()["known"] is False
    _, factors = idx.explain(2, 11)
    assert {f.name: f for f in factors}["timing"].reason == "No start date has been given yet."
    # the same number both ways, and "available by" leaves out who has not said when
    mine = idx.rank_postings(2, TODAY)
    theirs = dict(zip(ranked.ids.tolist(), ranked.scores.tolist(), strict=True))
    assert dict(zip(mine.ids.tolist(), mine.scores.tolist(), strict=True))[10] == pytest.approx(
        theirs[2], abs=1e-6
    )
    assert idx.rank_seniors(10, SeniorFilter(available_by=TODAY)).ids.tolist() == [1]
    idx.upsert_senior(senior(2, "품질관리 수입검사"))  # given later: a full fit like senior 1
    assert idx.explain(2, 10)[0] == pytest.approx(idx.explain(1, 10)[0], abs=1e-6)
