"""Korean and English analysis: compounds meet their spaced forms, synonyms meet across languages."""

from __future__ import annotations

from matching.text import analyze, display_term, stem_en, term_counts


def test_compound_and_spaced_forms_give_the_same_terms() -> None:
    assert analyze("품질관리") == analyze("품질 관리") == ["품질", "품질_관리", "@quality_control", "관리"]
    assert set(analyze("생산관리 업무")) >= {"생산", "관리", "@production_management"}
    assert set(analyze("물류창고")) == set(analyze("물류 창고"))


def test_synonyms_meet_across_languages_and_abbreviations() -> None:
    for text in ("QC 담당", "quality control", "품질보증 업무", "QA"):
        assert "@quality_control" in analyze(text), text
    assert "@forklift" in analyze("Forklift driver") and "@forklift" in analyze("지게차 운전")
    assert "@accounting" in analyze("경리") and "@accounting" in analyze("bookkeeping")
    assert "@welding" in analyze("용접사") and "용접" in analyze("용접사")


def test_particles_endings_and_stop_words_are_dropped() -> None:
    terms = analyze("생산관리자로 20년 근무했습니다")
    assert "근무" not in terms and "년" not in terms and "로" not in terms
    assert {"생산", "관리자", "관리", "@production_management"} <= set(terms)
    assert analyze("") == [] and analyze("   ") == []


def test_english_light_stemming() -> None:
    assert stem_en("warehouses") == stem_en("warehouse")
    assert stem_en("managing") == stem_en("managed") == stem_en("manage")
    assert stem_en("planning") == "plan" and stem_en("inspectors") == "inspector"
    assert stem_en("process") == "process" and stem_en("status") == "status"


def test_term_counts_and_display() -> None:
    counts = term_counts("품질관리 팀장", "품질 관리, ISO 9001")
    assert counts["품질_관리"] == 2 and counts["@iso_certification"] == 1
    assert display_term("@quality_control") == "품질관리" and display_term("품질_관리") == "품질 관리"
