"""The factor curves and reasons."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from matching import regions, scoring


def test_years_more_never_hurts() -> None:
    got = scoring.years_factor(np.array([0, 5, 10, 40]), np.float32(10))
    assert got.tolist() == [0.0, 0.5, 1.0, 1.0]
    assert scoring.years_factor(np.array([0.0]), np.float32(0)).tolist() == [1.0]


def test_salary_curve() -> None:
    wish_min, wish_max = np.float32(300), np.float32(400)
    pay = np.array([200, 210, 300, 350, 400, 900], dtype=np.float32)
    got = scoring.salary_factor(wish_min, wish_max, pay)
    assert got[0] == 0.0  # a third below the lowest wish
    assert got[1] == pytest.approx(0.7 * (1 - 90 / 90), abs=1e-6)
    assert got[2] == pytest.approx(0.7) and got[3] == pytest.approx(0.85) and got[4] == 1.0 and got[5] == 1.0


def test_distance_and_timing_curves() -> None:
    got = scoring.distance_factor(np.array([0, 15, 30, 45, 60, 500], dtype=np.float32), np.float32(30))
    assert got.tolist() == pytest.approx([1.0, 0.85, 0.7, 0.35, 0.0, 0.0])
    start = scoring.start_day(np.array([0, 738000]), np.array([738100, 738010]))
    assert start.tolist() == [738114, 738000]  # no start date: two weeks after closing
    late = scoring.timing_factor(np.array([737990, 738045, 738200]), np.int32(738000))
    assert late.tolist() == pytest.approx([1.0, 0.5, 0.0])


def test_employment_and_combine() -> None:
    mask = scoring.employment_mask(("full_time", "contract"))
    got = scoring.employment_factor(np.array([mask, mask]), np.array([1, 2], dtype=np.uint8))
    assert got.tolist() == [1.0, 0.0]
    factors = np.ones((6, 3), dtype=np.float32)
    factors[0] = [0, 0.5, 1]
    w = np.array([0.4, 0.15, 0.15, 0.15, 0.08, 0.07])
    assert scoring.combine(factors, w).tolist() == pytest.approx([0.6, 0.8, 1.0])


def test_reasons() -> None:
    assert scoring.years_reason(20.0, 10) == (
        "%(have)s years of experience; %(need)s asked for.",
        {"have": 20, "need": 10},
    )
    msg, params = scoring.distance_reason(31.4, 30, regions.get("41220"), regions.get("41110"))
    assert msg.endswith("beyond the %(max)s km commute.") and params["km"] == 31
    assert params["place"] == "경기도 평택시" and params["region_en"] == "Suwon-si, Gyeonggi-do"
    msg, params = scoring.timing_reason(date(2025, 3, 10), date(2025, 3, 1), True)
    assert params["days"] == 9 and "after work starts" in msg
    # dates in Korean form, with the year (and in English for the English page)
    assert params["available"] == "2025년 3월 10일" and params["start"] == "2025년 3월 1일"
    assert params["available_en"] == "Mar 10, 2025" and params["start_en"] == "Mar 1, 2025"
    assert scoring.relevance_reason([])[0] == "Experience and duties have little in common."


def test_weak_reasons_say_what_did_not_match_and_places_take_the_right_particle() -> None:
    msg, params = scoring.relevance_reason(["관리"], 0.01, ["용접", "배관"])
    assert msg.startswith("Only a little") and params["missing"] == "용접, 배관"
    assert scoring.relevance_reason(["품질관리"], 0.9)[0] == "Experience matches the duties: %(terms)s."
    msg, params = scoring.relevance_reason([], 0.0, ["용접"])
    assert "%(missing)s" in msg
    _msg, params = scoring.distance_reason(0, 30, regions.get("41590"), regions.get("41590"))
    assert params["place_topic"] == "경기도 화성시는"


def test_a_wish_or_date_not_given_yet_is_halfway() -> None:
    pay = np.array([100, 400], dtype=np.float32)
    got = scoring.salary_factor(np.array([np.nan, np.nan]), np.array([np.nan, np.nan]), pay)
    assert got.tolist() == [0.5, 0.5]
    starts = np.int32(738000)
    got = scoring.timing_factor(np.array([scoring.NO_DATE, 737990, 738200]), starts)
    assert got.tolist() == pytest.approx([0.5, 1.0, 0.0])
    assert scoring.salary_reason(None, None, 300, 400) == (
        "Pays %(pay_min)s–%(pay_max)s (10,000 won a month); no pay wish has been given yet.",
        {"pay_min": 300, "pay_max": 400},
    )
