"""Keywords (Kiwi lemmas for Korean, stems for English) and STAR structure cues."""

from __future__ import annotations

import pytest

from interview.practice.feedback.content import find_structure, match_keywords
from tests.interview.practice.feedback.timeline import timeline


def test_korean_keywords_match_inflected_forms() -> None:
    words = timeline("저는 이십 년 동안 품질을 관리했습니다. 안전모 착용을 책임졌고 불량이 줄었습니다.")
    kw = match_keywords(words, ["관리", "책임지다", "품질 관리", "안전", "줄다", "교육", "원인"], "ko")
    assert kw.found == ("관리", "책임지다", "품질 관리", "안전", "줄다")
    assert kw.missing == ("교육", "원인")
    assert kw.at["관리"] == pytest.approx(words[5].start)  # 관리했습니다


def test_korean_keyword_is_not_found_in_an_unrelated_word() -> None:
    kw = match_keywords(timeline("저는 관광 안내를 했습니다"), ["관리", "안전"], "ko")
    assert kw.found == () and kw.missing == ("관리", "안전")


def test_english_keywords_match_by_stem() -> None:
    words = timeline("I managed a team and trained new operators; we reduced costs and improved safety.")
    kw = match_keywords(
        words, ["management", "training", "operate", "cost", "safe", "customer", "team work"], "en"
    )
    assert kw.found == ("management", "training", "operate", "cost", "safe")
    assert kw.missing == ("customer", "team work")


def test_keyword_list_is_deduplicated_and_blank_ones_ignored() -> None:
    kw = match_keywords(timeline("quality first"), ["quality", " quality ", ""], "en")
    assert kw.found == ("quality",) and kw.missing == ()


def test_english_star_structure() -> None:
    words = timeline(
        "At my last company there was a problem with late deliveries. I was responsible for the warehouse. "
        "So I reorganized the shifts and I introduced a checklist. "
        "As a result, late deliveries fell by 40 percent."
    )
    structure = find_structure(words, "en")
    assert structure.missing == []
    order = [structure.parts[p] for p in ("situation", "task", "action", "result")]
    assert order == sorted(order)


def test_english_answer_without_result_misses_it() -> None:
    structure = find_structure(
        timeline("I was responsible for the warehouse. I decided to count it every week."), "en"
    )
    assert "result" in structure.missing and "situation" in structure.missing
    assert "task" in structure.parts and "action" in structure.parts


def test_korean_star_structure() -> None:
    words = timeline(
        "예전 공장에서 근무할 때 불량 문제가 있었습니다. 제가 품질 담당을 맡았습니다. "
        "그래서 검사 순서를 바꿨습니다. 그 결과 불량이 절반으로 줄었습니다."
    )
    structure = find_structure(words, "ko")
    assert structure.missing == []
    assert structure.to_dict()["score"] == 4


def test_korean_answer_without_structure() -> None:
    structure = find_structure(timeline("저는 성실합니다. 열심히 하겠습니다."), "ko")
    assert structure.parts == {}


def test_korean_one_word_keyword_that_kiwi_misreads() -> None:
    # Kiwi reads the keyword 보고 alone as 보/VV + 고/EC
    words = timeline("문제를 바로 보고했습니다. 우선순위를 정했습니다.")
    kw = match_keywords(words, ["보고", "우선순위", "교육"], "ko")
    assert kw.found == ("보고", "우선순위") and kw.missing == ("교육",)


def test_korean_result_said_with_a_causative_verb() -> None:
    for sentence in ("그래서 불량을 줄였습니다.", "비용을 낮췄습니다.", "문제를 해결했습니다."):
        assert "result" in find_structure(timeline(sentence), "ko").parts, sentence
