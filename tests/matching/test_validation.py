"""Form and JSON input: typed values out, or one message per bad field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.errors import InvalidInput
from matching import validation
from matching.validation import parse_company, parse_posting, parse_profile, parse_site_visit, today
from tests.matching.conftest import forklift_driver, quality_manager, quality_posting


def _fields(parse, data) -> dict[str, str]:
    with pytest.raises(InvalidInput) as err:
        parse(data)
    return err.value.fields


def test_profile_from_json_and_from_form_fields() -> None:
    parsed = parse_profile(quality_manager())
    assert parsed.regions == ("41590", "41110") and parsed.employment_types == ("full_time", "contract")
    assert sum(c.years for c in parsed.careers) == 20 and parsed.skills[0] == "품질관리"
    form = {k: str(v) for k, v in forklift_driver().items() if k != "careers"}
    form |= {
        "career-0-company": "한빛물류",
        "career-0-role": "반장",
        "career-0-years": "15",
        "career-0-duties": "지게차",
    }
    form |= {
        "career-1-company": "",
        "career-1-role": "",
        "career-1-years": "",
        "career-1-duties": "",
    }  # blank row
    parsed = parse_profile(form)
    assert len(parsed.careers) == 1 and parsed.careers[0].years == 15.0 and parsed.birth_year == 1966


def test_bad_profile_names_each_field() -> None:
    bad = quality_manager() | {
        "salary_min": "500",
        "salary_max": "300",
        "regions": "경기 화성시, 아틀란티스",
        "birth_year": str(today().year - 30),
        "max_commute_km": "0",
        "employment_types": "freelance",
        "available_from": "31/03/2025",
    }
    bad["careers"] = [{"company": "대성", "role": "", "years": "75", "duties": " "}]
    fields = _fields(parse_profile, bad)
    assert fields == {
        "salary_max": "The highest amount must not be lower than the lowest.",
        "regions": "We do not know this region. Please choose one from the list.",
        "birth_year": "This service is for people aged 40 and over.",
        "max_commute_km": "Please enter between 1 and 300 km.",
        "employment_types": "Please choose full-time, part-time or contract.",
        "available_from": "Please enter a date like 2025-03-31.",
        "career-0-role": "Please enter your job title or role.",
        "career-0-years": "Please enter between 0.1 and 60 years.",
        "career-0-duties": "Please describe what you did.",
    }
    # no job yet: the one-line summary is enough to start with (issue 16); with neither, it is asked for
    assert parse_profile(quality_manager() | {"careers": []}).careers == ()
    assert _fields(parse_profile, quality_manager() | {"careers": [], "headline": " "}) == {
        "headline": "Please write your work in one line, or add a job you have done."
    }
    assert "birth_year" in _fields(parse_profile, quality_manager() | {"birth_year": "1900"})


def test_posting_rules() -> None:
    ok = parse_posting(quality_posting())
    assert ok.region == "41590" and ok.employment_type == "full_time" and ok.headcount == 1
    past = (today() - timedelta(days=1)).isoformat()
    fields = _fields(
        parse_posting,
        quality_posting()
        | {
            "title": "",
            "duties": "",
            "closing_date": past,
            "start_date": past,
            "salary_min": "99999",
            "headcount": "1001",
            "years_required": "61",
            "employment_type": "full_time, part_time",
        },
    )
    assert set(fields) == {
        "title",
        "duties",
        "closing_date",
        "start_date",
        "salary_min",
        "headcount",
        "years_required",
        "employment_type",
    }
    assert fields["salary_min"] == "Please enter a monthly amount between 10 and 5,000 (in 10,000 won)."
    assert _fields(parse_posting, quality_posting() | {"salary_max": "삼백"}) == {
        "salary_max": "Please enter a whole number."
    }
    far = (today() + timedelta(days=400)).isoformat()
    assert "closing_date" in _fields(parse_posting, quality_posting() | {"closing_date": far})


def test_company_and_site_visit() -> None:
    company = parse_company({"name": "화성정밀", "region": "Hwaseong-si, Gyeonggi-do", "business_number": ""})
    assert company.region == "41590" and company.employees == 1
    good_number = next(n for n in (f"12381{i:05d}" for i in range(1000)) if validation.business_number_ok(n))
    bad_number = good_number[:-1] + str((int(good_number[-1]) + 1) % 10)
    assert (
        parse_company({"name": "A", "region": "11", "business_number": good_number}).business_number
        == good_number
    )
    assert "business_number" in _fields(
        parse_company, {"name": "A", "region": "11", "business_number": bad_number}
    )
    assert set(_fields(parse_company, {"name": " ", "region": ""})) == {"name", "region"}
    visit = parse_site_visit({"visited_on": today().isoformat(), "checklist_score": "90"})
    assert visit.checklist_score == 90 and visit.next_visit_due is None
    future = (today() + timedelta(days=1)).isoformat()
    fields = _fields(
        parse_site_visit, {"visited_on": future, "checklist_score": "101", "next_visit_due": "2000-01-01"}
    )
    assert set(fields) == {"visited_on", "checklist_score", "next_visit_due"}


def test_a_first_profile_needs_only_the_summary_and_a_region() -> None:
    """Issue 16: pay wish, start date and birth year may come later; given, they are checked as before."""
    first = parse_profile(
        {"headline": "아파트 관리사무소 경리 15년", "regions": "수원", "employment_types": "full_time"}
    )
    assert (first.birth_year, first.salary_min, first.salary_max, first.available_from) == (None,) * 4
    assert first.regions == ("41110",) and first.careers == ()
    blank = {"birth_year": " ", "salary_min": "", "salary_max": "", "available_from": ""}
    assert parse_profile(quality_manager() | blank).salary_min is None
    # one amount without the other is asked for; a given value is still checked
    assert _fields(parse_profile, quality_manager() | {"salary_max": ""}) == {
        "salary_max": "Please enter both amounts, or leave both empty."
    }
    assert _fields(parse_profile, quality_manager() | {"salary_min": None}) == {
        "salary_min": "Please enter both amounts, or leave both empty."
    }
    assert _fields(parse_profile, quality_manager() | {"salary_min": "5", "salary_max": "많이"}) == {
        "salary_min": "Please enter a monthly amount between 10 and 5,000 (in 10,000 won).",
        "salary_max": "Please enter a whole number.",
    }
    assert _fields(parse_profile, quality_manager() | {"birth_year": str(today().year - 30)}) == {
        "birth_year": "This service is for people aged 40 and over."
    }
    assert _fields(parse_profile, quality_manager() | {"available_from": "다음 달"}) == {
        "available_from": "Please enter a date like 2025-03-31."
    }
    # the region is still needed
    assert _fields(parse_profile, {"headline": "경리 15년", "employment_types": "full_time"}) == {
        "regions": "Please choose at least one region."
    }
