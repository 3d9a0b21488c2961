"""Turn duties, roles and skills into index terms, the same way for Korean and English.

Korean is analysed with Kiwi (kiwipiepy): nouns, roots and foreign words are kept, particles and
endings dropped, so 품질관리 and 품질 관리 both become ``품질 관리`` plus the compound ``품질_관리``
(adjacent nouns are also indexed as a pair, which makes the pair more specific than either noun).
English words (Kiwi tags them ``SL``) are lower-cased and lightly stemmed (plurals, -ing, -ed).

On top of the words, a field-specific vocabulary of job terms (``refdata/job_terms.csv``) maps
synonyms across the two languages and abbreviations to one concept term (``@quality_control`` for
QC, 품질관리, quality control …), so a Korean profile meets an English posting.

Kiwi takes about 1.5 s to load and is shared by the whole process; analysis runs in the caller's
thread (call it through ``asyncio.to_thread`` from server code).
"""

from __future__ import annotations

import csv
import re
import threading
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

VOCABULARY = Path(__file__).parent / "refdata" / "job_terms.csv"
CONCEPT_PREFIX = "@"

_KEEP_TAGS = {"NNG", "NNP", "XR", "SL", "SH", "SN"}
_NOUN_TAGS = {"NNG", "NNP", "XR", "SL", "SH"}
#: words too general to say anything about a job (the BM25 idf would mostly ignore them anyway,
#: but they would still count in the normalisation of a posting's relevance)
_STOP_KO_TEXT = (
    "업무 담당 관련 경력 경험 근무 회사 수행 등 년 개월 이상 우대 가능 자 분 것 수 때 중 내 위 기타 "
    "주요 전반 각종 해당 모집 채용공고 지원 사항 및 또는 직무"
)
_STOP_KO = frozenset(_STOP_KO_TEXT.split())
_STOP_EN_TEXT = (
    "a an the and or of to in on at by for with from as is are was were be been it its this that "
    "i we you he she they my our your their me us all any etc experience year years work worked "
    "working job duty duties responsible responsibility including include"
)
_STOP_EN = frozenset(_STOP_EN_TEXT.split())
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9+#.]*")


def stem_en(word: str) -> str:
    """A light English stemmer: enough for plural/verb forms of job words, nothing clever."""
    w = word.lower()
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("sses"):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, min_len in (("ing", 6), ("ed", 5)):
        if len(w) >= min_len and w.endswith(suffix):
            w = w[: -len(suffix)]
            if len(w) > 2 and w[-1] == w[-2] and w[-1] not in "ls":
                w = w[:-1]  # "planning" -> "plann" -> "plan"
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]  # "manage" and "managing" both -> "manag"
    return w


_kiwi_lock = threading.Lock()


@cache
def _kiwi() -> Any:
    from kiwipiepy import Kiwi

    return Kiwi()


def _raw_tokens(text: str) -> list[tuple[str, bool, str]]:
    """``(term, is_noun, stem)`` for each kept morpheme, in order; an empty term marks a break.

    ``stem`` is the work a person-noun names (관리자 -> 관리, 용접사 -> 용접, 상담원 -> 상담), or "".
    """
    if not text or not text.strip():
        return []
    with _kiwi_lock:
        tokens = _kiwi().tokenize(text)
    out: list[tuple[str, bool, str]] = []
    last_end = -1
    for tok in tokens:
        if last_end >= 0 and tok.start > last_end + 1:
            out.append(("", False, ""))  # more than one space between: not a compound
        last_end = tok.start + tok.len
        tag = str(tok.tag).split("-")[0]
        if tag not in _KEEP_TAGS:
            out.append(("", False, ""))
            continue
        form = tok.form
        if tag == "SL":
            for w in _WORD_RE.findall(form.lower()):
                out.append((stem_en(w), True, ""))
            continue
        if tag == "SN":
            if len(form) >= 3:
                out.append((form, False, ""))
            continue
        if len(form) == 1 and "\uac00" <= form <= "\ud7a3":
            out.append(("", False, ""))  # a lone syllable (사, 입, 명) says nothing on its own
            continue
        # 관리자 -> 관리, 용접사 -> 용접, 상담원 -> 상담: the work, not the person, is what matches
        stem = form[:-1] if tag == "NNG" and len(form) >= 3 and form[-1] in "자사원" else ""
        out.append((form, tag in _NOUN_TAGS, stem))
    return out


@cache
def _phrases() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First term -> [(term sequence, concept term)], longest phrases first."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    with VOCABULARY.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            concept = CONCEPT_PREFIX + row["concept"].strip()
            for phrase in row["terms"].split("|"):
                seq = tuple(t for t, _, _ in _raw_tokens(phrase) if t)
                if seq:
                    table.setdefault(seq[0], []).append((seq, concept))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return table


def concepts() -> set[str]:
    return {c for entries in _phrases().values() for _, c in entries}


def analyze(text: str) -> list[str]:
    """Index terms of ``text`` in order (repeats kept, for term frequencies)."""
    raw = _raw_tokens(text)
    words = [t for t, _, _ in raw]
    stems = [s or t for t, _, s in raw]
    phrases = _phrases()
    stop = _STOP_KO | _STOP_EN
    terms: list[str] = []
    for i, (term, is_noun, stem) in enumerate(raw):
        if not term:
            continue
        if term not in stop:
            terms.append(term)
        if stem and stem not in stop:
            terms.append(stem)
        nxt, nxt_noun, _ = raw[i + 1] if i + 1 < len(raw) else ("", False, "")
        if is_noun and nxt_noun and nxt and term != nxt and not {term, nxt} & stop:
            terms.append(f"{term}_{nxt}")
        found = ""
        for seq, concept in phrases.get(term, ()):
            if tuple(words[i : i + len(seq)]) == seq or tuple(stems[i : i + len(seq)]) == seq:
                found = concept
                break
        if not found and stem:
            for seq, concept in phrases.get(stem, ()):
                if tuple(stems[i : i + len(seq)]) == seq:
                    found = concept
                    break
        if found:
            terms.append(found)
    return terms


def term_counts(*texts: str) -> dict[str, int]:
    """Term frequencies over several fields (duties, roles, skills …)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(analyze(text))
    return dict(counts)


def display_term(term: str) -> str:
    """How a matched term is shown in a reason: concepts by their first Korean synonym."""
    if term.startswith(CONCEPT_PREFIX):
        return _concept_labels().get(term, term[1:])
    return term.replace("_", " ")


@cache
def _concept_labels() -> dict[str, str]:
    labels = {}
    with VOCABULARY.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            labels[CONCEPT_PREFIX + row["concept"].strip()] = row["terms"].split("|")[0].strip()
    return labels
