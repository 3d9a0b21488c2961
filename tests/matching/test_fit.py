"""Fitting the weights to interview outcomes moves past hires up (NDCG@10 before and after)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from matching.fit import Outcome, fit_weights, ndcg_at, read_outcomes_csv
from matching.index import MatchIndex, PostingDoc, SeniorDoc
from matching.text import term_counts
from matching.weights import DEFAULT_WEIGHTS, Weights, load_weights, save_weights

TODAY = date(2026, 1, 5)


def test_ndcg() -> None:
    assert ndcg_at(np.array([3.0, 2.0, 0.0])) == 1.0
    assert ndcg_at(np.array([0.0, 0.0, 3.0])) == pytest.approx(0.5)
    assert ndcg_at(np.array([0.0, 0.0])) == 0.0


def test_fit_learns_that_pay_decided_the_hires() -> None:
    """Every candidate does the same work; the hired ones were those the pay suited."""
    rng = random.Random(5)
    terms = term_counts("자동차 부품 품질관리, 수입검사")
    index = MatchIndex()
    seniors = []
    for i in range(1, 121):
        seniors.append(
            SeniorDoc(
                senior_id=i,
                terms=term_counts(
                    rng.choice(
                        ["자동차 부품 품질관리, 수입검사", "품질관리", "수입검사, 출하검사", "공정 품질 개선"]
                    )
                ),
                years=float(rng.randint(5, 30)),
                salary_min=(low := rng.randrange(250, 500, 10)),
                salary_max=low + 50,
                regions=("41590",),
                max_commute_km=30,
                available_from=TODAY,
                employment_types=("full_time",),
            )
        )
    postings = [
        PostingDoc(
            100 + k,
            1,
            True,
            True,
            terms,
            5,
            300,
            380,
            "41590",
            "full_time",
            TODAY + timedelta(days=20),
            TODAY + timedelta(days=10),
        )
        for k in range(12)
    ]
    index.load(seniors, postings)
    outcomes = []
    for k in range(12):
        for s in rng.sample(seniors, 10):
            suited = s.salary_min is not None and s.salary_min <= 340
            outcomes.append(Outcome(s.senior_id, 100 + k, suited, 5 if suited else 1))
    outcomes.append(Outcome(9999, 100, True, 5))  # unknown senior: skipped
    report = fit_weights(index, outcomes)
    assert report.groups == 12 and report.skipped == 1 and report.outcomes == 120
    assert report.weights_before == DEFAULT_WEIGHTS.normalized()
    assert report.weights_after.salary > report.weights_before.salary
    assert report.ndcg_after > report.ndcg_before
    assert sum(report.weights_after.to_dict().values()) == pytest.approx(1, abs=1e-3)
    moved = [after - before for _s, _p, before, after in report.hires]
    assert sum(moved) < 0  # hires moved up on average


def test_outcomes_csv_and_weights_file(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("senior_id,posting_id,hired,rating\n1,2,yes,4\n3,2,no,\n", encoding="utf-8")
    assert read_outcomes_csv(path) == [Outcome(1, 2, True, 4), Outcome(3, 2, False, None)]
    assert load_weights(tmp_path) == DEFAULT_WEIGHTS
    save_weights(tmp_path, Weights(relevance=2, years=1, salary=1, distance=0, timing=0, employment=0))
    assert load_weights(tmp_path).relevance == 0.5
    with pytest.raises(ValueError):
        Weights(relevance=-1)
