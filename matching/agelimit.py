"""Age limits in job postings: found with Kiwi's analysis, refused when a posting is saved.

Korea's 고용상 연령차별금지 및 고령자고용촉진에 관한 법률 (고령자고용법) art. 4-4 forbids
discrimination by age in recruitment and hiring, yet ads still say "만 35세 이하", "20~30대" or
"젊은 인재". :func:`find` reads a posting's title and text sentence by sentence and returns each
sentence that limits or codes an age; :func:`matching.records.save_posting` refuses such a posting
with the sentence quoted (:class:`matching.errors.AgeLimitFound`).

The rules work on Kiwi's morphemes, not substrings, so "3교대" (three shifts), "30분 거리",
"50인 이상 사업장" or "경력 20년 이상" are not ages (their units are 교대, 분, 인, 년, not 세/살/대):

* **an age**: a number from 20 to 99 followed by 세 or 살 ("만 35세 이하", "45살까지"), or a
  decade (20, 30 … 90) followed by 대 ("20~30대", "30대 초반"); not when it is only a lower bound
  (followed by 이상, 초과, 넘): the service is for people over 40, and "만 18세 이상" keeps minors out,
  which the law asks for; not when 정년 (the retirement age) stands within three words ("만 60세 정년");
  not when 대 counts machines after a vehicle or machine word ("통근버스 20대");
* **a birth year**: a year from 1930 to 2015 followed by 년 and 생 or 출생 within three words
  ("1985년생 이후", "1975년 이후 출생자"), but not 설립 or 창립 (the company's founding year);
* **the words** 나이 or 연령 followed by 제한, 이하, 미만, 까지, 초과 or 기준, unless 없, 무관, 불문
  or 상관 follows ("나이 제한 없음" and "연령 무관" are fine);
* **youth-coded words**: 젊다 in any form ("젊은 인재", "젊고 활기찬"), 청년 followed by 우대, 환영,
  인재, 위주 or 층.

The corpus in ``tests/matching/test_agelimit.py`` (half with, half without an age limit, the tricky
ones among them) measures precision and recall; the figures are in docs/matching.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.text import _kiwi, _kiwi_lock

LAW = "고령자고용법 제4조의4"
_UNITS_AGE = {"세", "살"}
_LOWER_BOUND = {"이상", "초과", "넘", "넘어", "넘은"}
_LIMIT_WORDS = {"제한", "이하", "미만", "까지", "초과", "기준"}
_NO_LIMIT = {"없", "무관", "불문", "상관", "관계없", "상관없"}
_YOUTH_AFTER = {"우대", "환영", "인재", "위주", "층"}
_FOUNDING = {"설립", "창립", "창업", "개원", "개업"}
#: 대 also counts machines: "통근버스 20대", "지게차 10대" are vehicles, not people in their twenties
_MACHINES = {"버스", "통근버스", "차", "차량", "트럭", "지게차", "기계", "설비", "장비", "컴퓨터", "대수"}


@dataclass(frozen=True, slots=True)
class AgeLimit:
    """One sentence that limits or codes an age, and what in it does."""

    sentence: str
    #: ``age``, ``birth_year``, ``age_word`` or ``youth``
    kind: str
    #: the words that show it ("35세 이하")
    words: str


def sentences(text: str) -> list[str]:
    """The sentences (and list items) of a posting's text, trimmed, empty ones left out."""
    parts = re.split(r"(?<=[.!?。])\s+|\n+|\s*[·•▶■□◆※]\s*", text or "")
    return [p.strip(" -*\t") for p in parts if p and p.strip(" -*\t")]


def find(*texts: str) -> list[AgeLimit]:
    """Every sentence of the texts (title, duties, description …) that limits or codes an age."""
    found: list[AgeLimit] = []
    for text in texts:
        for sentence in sentences(text):
            hit = check_sentence(sentence)
            if hit is not None:
                found.append(hit)
    return found


def check_sentence(sentence: str) -> AgeLimit | None:
    """The first age limit in one sentence, or None."""
    with _kiwi_lock:
        tokens = [(t.form, str(t.tag).split("-")[0], t.start, t.len) for t in _kiwi().tokenize(sentence)]
    forms = [f for f, _, _, _ in tokens]

    def span(i: int, j: int) -> str:
        start, end = tokens[i][2], tokens[min(j, len(tokens) - 1)][2] + tokens[min(j, len(tokens) - 1)][3]
        return sentence[start:end]

    def near(i: int, words: set[str], before: int, after: int) -> bool:
        return any(f in words for f in forms[max(0, i - before) : i + after + 1])

    for i, (form, tag, _, _) in enumerate(tokens):
        nxt = forms[i + 1] if i + 1 < len(forms) else ""
        if tag == "SN" and form.isdigit():
            n = int(form)
            is_age = (nxt in _UNITS_AGE and 20 <= n <= 99) or (nxt == "대" and n in range(10, 100, 10))
            if is_age:
                after = [f for f, t, _, _ in tokens[i + 2 : i + 4] if not t.startswith("J")]
                if after and after[0] in _LOWER_BOUND:
                    continue
                if near(i, {"정년"}, 3, 4):
                    continue
                if nxt == "대" and any(f in _MACHINES for f in forms[max(0, i - 2) : i]):
                    continue
                return AgeLimit(sentence, "age", span(i, i + 2 if i + 2 < len(tokens) else i + 1))
            if len(form) == 4 and 1930 <= n <= 2015 and nxt == "년":
                window = forms[i + 2 : i + 5]
                if any(f == "생" or f.startswith("출생") or f.startswith("생") for f in window) and not (
                    set(window) & _FOUNDING
                ):
                    return AgeLimit(sentence, "birth_year", span(i, i + 2))
        if tag.startswith("NN") and form in ("나이", "연령"):
            window = [f for f, t, _, _ in tokens[i + 1 : i + 4] if not t.startswith("J")]
            if window and window[0] in _NO_LIMIT:
                continue
            if set(window[:2]) & _LIMIT_WORDS and not set(forms[i + 1 : i + 6]) & _NO_LIMIT:
                return AgeLimit(sentence, "age_word", span(i, i + 2))
        if tag == "VA" and form == "젊":
            return AgeLimit(sentence, "youth", span(i, i + 2))
        if tag.startswith("NN") and form == "청년" and nxt in _YOUTH_AFTER:
            return AgeLimit(sentence, "youth", span(i, i + 1))
    return None
