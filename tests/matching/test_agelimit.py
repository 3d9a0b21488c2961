"""Age limits in postings: a corpus of Korean posting sentences, half with an age limit and half
without (the tricky ones among them), with precision and recall (reported in docs/matching.md)."""

from __future__ import annotations

import pytest

from matching.agelimit import check_sentence, find, sentences

WITH_LIMIT = [
    "만 35세 이하 지원 가능합니다.",
    "만 40세 이하인 분만 지원해 주세요.",
    "20~30대 직원을 모집합니다.",
    "30대 초반의 활동적인 분을 찾습니다.",
    "나이 제한: 45세까지",
    "연령 제한이 있습니다.",
    "젊은 인재를 모십니다.",
    "젊고 활기찬 분 환영",
    "1985년생 이후 출생자만 지원 가능",
    "1980~1990년생 지원 바랍니다.",
    "1975년 이후 출생자에 한함",
    "45살까지 지원할 수 있습니다.",
    "20대 후반에서 30대 초반 우대",
    "나이는 40세 미만이어야 합니다.",
    "청년 우대, 경력 무관",
    "연령 이하 조건: 만 50세",
    "50세 이하 남녀 누구나",
    "40대 이하만 지원 가능합니다.",
    "지원 자격: 만 30세 미만",
    "20대 여성 사무보조 구함",
    "나이 기준 38세 이하",
    "청년 인재를 채용합니다.",
]
WITHOUT_LIMIT = [
    "경력 20년 이상 우대합니다.",
    "회사에서 30분 거리에 기숙사가 있습니다.",
    "3교대 근무가 가능한 분",
    "50인 이상 사업장 품질관리 경험자 우대",
    "만 60세 정년을 보장합니다.",
    "정년은 만 65세입니다.",
    "나이 제한 없음",
    "연령 무관, 경력자 우대",
    "나이와 성별에 관계없이 지원할 수 있습니다.",
    "3세 이하 자녀 보육료를 지원합니다.",
    "1985년 설립된 자동차 부품 회사입니다.",
    "주 5일, 하루 8시간 근무",
    "지게차 운전기능사 자격증 소지자",
    "월 급여 300만원, 4대 보험 가입",
    "만 18세 이상이면 누구나 지원 가능",
    "CNC 선반 가공 10년 이상 경력",
    "2교대, 야간 수당 별도 지급",
    "직원 40명 규모의 중소기업입니다.",
    "통근버스 20대 운행",
    "연 2회 건강검진 지원",
    "만 40세 이상 신중년 우대",
    "청년내일채움공제 가입 회사입니다.",
]


def test_corpus_has_forty_sentences_half_each() -> None:
    assert len(WITH_LIMIT) >= 20 and len(WITHOUT_LIMIT) >= 20
    assert len(WITH_LIMIT) + len(WITHOUT_LIMIT) >= 40


def test_precision_and_recall_on_the_corpus() -> None:
    found_with = [s for s in WITH_LIMIT if check_sentence(s) is not None]
    found_without = [s for s in WITHOUT_LIMIT if check_sentence(s) is not None]
    tp, fp = len(found_with), len(found_without)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(WITH_LIMIT)
    print(f"age-limit corpus: precision {precision:.3f}, recall {recall:.3f} (tp {tp}, fp {fp})")
    missed = sorted(set(WITH_LIMIT) - set(found_with))
    assert precision >= 0.95, f"flagged without a limit: {found_without}"
    assert recall >= 0.9, f"missed: {missed}"


@pytest.mark.parametrize(
    "sentence", ["경력 20년 이상", "30분 거리", "3교대", "50인 이상 사업장", "만 60세 정년"]
)
def test_the_tricky_ones_named_in_the_issue_pass(sentence: str) -> None:
    assert check_sentence(sentence) is None


def test_find_quotes_the_sentence_and_what_limits_it() -> None:
    hits = find("생산관리 담당자", "자동차 부품 생산관리.\n만 40세 이하 지원 가능. 3교대 근무")
    assert len(hits) == 1
    assert hits[0].sentence == "만 40세 이하 지원 가능." and hits[0].kind == "age"
    assert "40세 이하" in hits[0].words
    assert find("품질관리 팀장", "경력 20년 이상, 만 60세 정년") == []


def test_sentences_split_on_ends_lines_and_bullets() -> None:
    assert sentences("하나. 둘\n셋 · 넷") == ["하나.", "둘", "셋", "넷"]
    assert sentences("") == []
