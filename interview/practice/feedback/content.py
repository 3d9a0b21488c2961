"""What the answer said: the question's keywords it touched, and cues of a structured answer.

Korean keywords are compared as Kiwi lemmas, so ``관리했습니다`` touches ``관리`` and
``책임졌습니다`` touches ``책임지다``; English keywords through a light stemmer, so
``managed`` touches ``management``. Structure looks for cue words of the STAR pattern
(situation, task, action, result) and gives the moment each part first appears.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interview.practice.feedback import english, korean
from interview.transcribe.types import Word

STAR_PARTS = ("situation", "task", "action", "result")

#: Cue lemmas (Korean) and cue stems or phrases (English) for each part of a STAR answer.
KO_CUES: dict[str, tuple[str, ...]] = {
    "situation": ("당시", "때", "상황", "시절", "근무", "현장", "문제", "그때", "예전"),
    "task": ("맡다", "담당", "책임", "역할", "목표", "업무", "과제", "임무", "책임지다", "해야"),
    "action": ("그래서", "직접", "시작", "도입", "만들다", "바꾸다", "설득", "개선", "정리", "제안", "점검"),
    "result": (
        "결과",
        "덕분",
        "줄다",
        "늘다",
        "줄이다",
        "늘리다",
        "높이다",
        "낮추다",
        "해결",
        "절감",
        "성과",
        "마침내",
        "결국",
        "효과",
        "%",
        "퍼센트",
        "달성",
    ),
}
EN_CUES: dict[str, tuple[str, ...]] = {
    "situation": (
        "when i was",
        "at the time",
        "at my last",
        "in my previous",
        "there was",
        "we had a",
        "back in",
    ),
    "task": ("my job", "my role", "responsible", "i had to", "my task", "the goal", "in charge", "was asked"),
    "action": (
        "so i",
        "i decided",
        "i started",
        "i introduced",
        "i organized",
        "i talked",
        "i set up",
        "i made",
    ),
    "result": (
        "as a result",
        "in the end",
        "result",
        "reduced",
        "increased",
        "saved",
        "percent",
        "%",
        "improved",
    ),
}


@dataclass(frozen=True, slots=True)
class Keywords:
    found: tuple[str, ...]
    missing: tuple[str, ...]
    #: keyword -> seconds where the answer first touched it
    at: dict[str, float]

    def to_dict(self) -> dict[str, object]:
        return {
            "found": list(self.found),
            "missing": list(self.missing),
            "at": {k: round(v, 2) for k, v in self.at.items()},
        }


@dataclass(frozen=True, slots=True)
class Structure:
    #: part -> seconds of its first cue (parts not heard are absent)
    parts: dict[str, float]

    @property
    def missing(self) -> list[str]:
        return [p for p in STAR_PARTS if p not in self.parts]

    def to_dict(self) -> dict[str, object]:
        return {
            **{p: {"found": p in self.parts, "at": _r(self.parts.get(p))} for p in STAR_PARTS},
            "score": len(self.parts),
            "missing": self.missing,
        }


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 2)


# --- per-word forms -------------------------------------------------------------------------------
def _word_forms(words: Sequence[Word], language: str) -> list[list[str]]:
    """For each word, the forms keywords are compared with (Korean lemmas or English stems)."""
    if language == "ko":
        per_word = korean.morphemes_per_word([w.word for w in words])
        forms = []
        for ms in per_word:
            own = [m.lemma for m in ms if m.is_content or m.tag in ("MAG", "MAJ", "SW")]
            nouns = "".join(m.form for m in ms if m.tag in korean.NOUN_TAGS)
            forms.append([*own, nouns] if nouns and nouns not in own else own)
        return forms
    return [[english.stem(t) for t in english.tokens(w.word)] for w in words]


def _match_keyword(
    keyword: str, forms: Sequence[Sequence[str]], raw: Sequence[str], language: str
) -> int | None:
    """Index of the word where every part of ``keyword`` has been heard, or None."""
    if language == "ko" and _is_korean_word(keyword):
        # a one-word noun or adverb keyword alone is ambiguous to Kiwi (보고 -> 보/VV + 고/EC), and
        # Kiwi sometimes splits it inside an answer (보고했습니다): the spoken word starting with it counts
        for i, w in enumerate(raw):
            if _hangul(w).startswith(keyword):
                return i
    parts = (korean.lemmas(keyword) or [keyword.strip()]) if language == "ko" else english.stems(keyword)
    if not parts:
        return None
    where: list[int] = []
    for part in parts:
        hit = None
        for i, fs in enumerate(forms):
            if part in fs or _prefix_hit(part, fs, raw[i], language):
                hit = i
                break
        if hit is None:
            return None
        where.append(hit)
    return max(where)


def _hangul(text: str) -> str:
    return "".join(ch for ch in text if "\uac00" <= ch <= "\ud7a3")


def _is_korean_word(keyword: str) -> bool:
    """A single Hangul word of two or more syllables that is not a verb or adjective (-다)."""
    return len(keyword) >= 2 and _hangul(keyword) == keyword and not keyword.endswith("다")


def _prefix_hit(part: str, forms: Sequence[str], raw: str, language: str) -> bool:
    if language == "ko":
        # compound nouns Kiwi keeps whole (안전 in 안전모) or splits oddly (불 + 량 in 불량이):
        # a noun keyword at the start of the spoken word is heard
        return len(part) >= 2 and (
            _hangul(raw).startswith(part) or any(len(f) > len(part) and f.startswith(part) for f in forms)
        )
    return len(part) >= 4 and any(t.startswith(part) for t in english.tokens(raw))


def match_keywords(words: Sequence[Word], keywords: Sequence[str], language: str) -> Keywords:
    forms = _word_forms(words, language)
    raw = [w.word for w in words]
    found: list[str] = []
    missing: list[str] = []
    at: dict[str, float] = {}
    for kw in dict.fromkeys(k.strip() for k in keywords if k.strip()):
        i = _match_keyword(kw, forms, raw, language)
        if i is None:
            missing.append(kw)
        else:
            found.append(kw)
            at[kw] = words[i].start
    return Keywords(tuple(found), tuple(missing), at)


def find_structure(words: Sequence[Word], language: str) -> Structure:
    parts: dict[str, float] = {}
    if language == "ko":
        forms = _word_forms(words, language)
        for part, cues in KO_CUES.items():
            for i, fs in enumerate(forms):
                if any(c in fs or c in words[i].word for c in cues):
                    parts[part] = words[i].start
                    break
        return Structure(parts)
    norm = [" ".join(english.tokens(w.word)) for w in words]
    stems = [english.stems(w.word) for w in words]
    for part, cues in EN_CUES.items():
        for i in range(len(words)):
            window = " ".join(x for x in norm[i : i + 4] if x)
            if any(_phrase_starts(window, c) or (" " not in c and english.stem(c) in stems[i]) for c in cues):
                parts[part] = words[i].start
                break
    return Structure(parts)


def _phrase_starts(window: str, cue: str) -> bool:
    return " " in cue and (window == cue or window.startswith(cue + " "))
