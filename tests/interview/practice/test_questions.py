"""The question bank: at least 40 questions in both languages, validated, with stable ids."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from interview.practice.questions import (
    CATEGORIES,
    DATA_FILE,
    ROLES,
    InvalidQuestionBank,
    QuestionNotFound,
    bank_labels,
    free_question,
    get_question,
    load_question_bank,
    parse_question_bank,
    questions_for,
)

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def test_bank_validates_with_at_least_40_questions_in_both_languages() -> None:
    bank = load_question_bank()
    assert len(bank) >= 40
    assert len({q.id for q in bank}) == len(bank)
    for q in bank:
        assert HANGUL.search(q.text_ko) and HANGUL.search(q.tip_ko) and q.keywords_ko
        assert not HANGUL.search(q.text_en + q.tip_en + "".join(q.keywords_en)) and q.keywords_en
        assert q.text_ko.rstrip().endswith(("?", ".")) and q.text_en.rstrip().endswith(("?", "."))


def test_every_set_is_there() -> None:
    assert {q.category for q in load_question_bank()} == set(CATEGORIES)
    for role in ROLES:
        assert len(questions_for(role=role)) >= 2, role
    general = " ".join(q.text_ko for q in questions_for("general"))
    for topic in ("자기소개", "지원", "강점", "부족한 점", "마지막"):
        assert topic in general, topic
    senior = " ".join(q.text_ko for q in questions_for("senior"))
    for topic in ("은퇴", "어린 상사", "새로운 프로그램", "건강", "급여"):
        assert topic in senior, topic


def test_korean_is_polite() -> None:
    for q in load_question_bank():
        # 존댓말: questions end in -요? / -까? / 주세요. and never in plain speech
        assert re.search(r"(요|까|니까|세요)[?.]$", q.text_ko), q.text_ko


def test_lookup_and_free_questions() -> None:
    q = get_question("younger-manager")
    assert q.category == "senior" and q.text("en").startswith("How would you work")
    assert q.keywords("ko") == q.keywords_ko and q.tip("ko") == q.tip_ko
    with pytest.raises(QuestionNotFound):
        get_question("no-such-question")
    free = free_question("  Why do you like trucks?  ")
    assert (
        free.text("ko") == "Why do you like trucks?"
        and free.suggested_seconds == 0
        and free.keywords_en == ()
    )


def test_labels_name_every_category_and_role_in_both_languages() -> None:
    labels = bank_labels()
    assert set(labels["categories"]) == set(CATEGORIES) and set(labels["roles"]) == set(ROLES)
    assert all(HANGUL.search(v["ko"]) and v["en"] for v in labels["roles"].values())


def _data() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "used twice"),
        (lambda d: d["questions"][0].update(id="Not A Slug"), "slug"),
        (lambda d: d["questions"][0].update(text_ko="Please introduce yourself."), "Korean"),
        (lambda d: d["questions"][0].update(text_en="자기소개"), "English"),
        (lambda d: d["questions"][0].update(keywords_en=[]), "keywords_en"),
        (lambda d: d["questions"][0].update(suggested_seconds=5), "suggested_seconds"),
        (lambda d: d["questions"][0].update(category="misc"), "category"),
        (lambda d: d["questions"][0].update(role="driving"), "only role questions"),
        (lambda d: d["questions"][-1].update(role="astronaut"), "needs a role"),
        (lambda d: d["questions"][0].pop("tip_en"), "tip_en"),
        (lambda d: d.update(questions=[]), "no questions"),
    ],
)
def test_bad_banks_are_refused(change: Any, message: str) -> None:
    data = _data()
    change(data)
    with pytest.raises(InvalidQuestionBank, match=message):
        parse_question_bank(data)


def test_every_keyword_is_found_when_it_is_said() -> None:
    """Each keyword, said in an answer, is matched (Kiwi lemmas for Korean, stems for English)."""
    from interview.practice.feedback.content import match_keywords
    from tests.interview.practice.feedback.timeline import timeline

    for q in load_question_bank():
        for language, keywords in (("ko", q.keywords_ko), ("en", q.keywords_en)):
            said = timeline(" ".join(keywords))
            assert match_keywords(said, keywords, language).missing == (), (q.id, language)
