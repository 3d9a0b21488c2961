"""Fillers: 음, 어, 그, 이제 ... and um, uh, you know ..., each with its time.

English fillers are read from the transcript (the CLI transcribes with a prompt full of
fillers so Whisper keeps them). Korean ones are told apart from the same syllables inside
ordinary speech with Kiwi's analysis plus position and hesitation: ``그 회사에서`` (그 is a
determiner before a noun) is speech, ``그… 제가`` (an interjection, or a pause after it, or a
determiner before something that is not a noun) is a filler. Voiced sound that no transcribed
word covers is reported as a *probable* filler: Whisper tends to leave disfluencies out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from interview.practice.feedback import bands, english, korean
from interview.practice.feedback.speech import SpeechMap
from interview.transcribe.types import Word

EN_ALWAYS = frozenset({"um", "umm", "uh", "uhh", "uhm", "er", "erm", "hmm", "hm", "mm", "ah", "eh"})
#: Words that are fillers only when set off by commas or followed by a hesitation.
EN_SET_OFF = frozenset({"like", "actually", "basically", "literally", "well"})
EN_PHRASES = (("you", "know"), ("i", "mean"), ("kind", "of"), ("sort", "of"))

#: Korean sounds that are nothing but hesitation when they stand alone.
KO_ALWAYS = frozenset({"음", "어", "아", "에", "으", "흠", "엄", "으음", "어음", "음음"})
#: Words that are fillers only in context (their ordinary meanings: that/the, I/that, what, now ...).
KO_CONTEXT = frozenset({"그", "저", "뭐", "이제", "약간", "그러니까", "막", "저기", "예", "네", "좀", "인제"})
KO_PHRASES = (("그", "뭐냐"), ("그", "뭐지"), ("뭐랄까",), ("뭐라고", "할까"), ("뭐냐",), ("뭐지",))
_SET_OFF_PUNCT = re.compile(r"[,…]|\.\.|-$|—")
_PAST = frozenset({"었", "았", "였", "었었", "았었"})


@dataclass(frozen=True, slots=True)
class Filler:
    text: str
    start: float
    end: float
    #: True for voiced sound no transcribed word covers (a filler Whisper most likely left out).
    probable: bool = False

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": round(self.start, 2),
            "end": round(self.end, 2),
            "probable": self.probable,
        }


def _collapse_hangul(text: str) -> str:
    """Hangul only, runs of one syllable collapsed: ``"어어…"`` -> ``"어"``, ``"음~"`` -> ``"음"``."""
    only = "".join(ch for ch in text if "\uac00" <= ch <= "\ud7a3")
    return re.sub(r"(.)\1+", r"\1", only)


def _gap_after(words: Sequence[Word], i: int, speech: SpeechMap | None) -> float:
    w = words[i]
    gap = words[i + 1].start - w.end if i + 1 < len(words) else 0.0
    if speech is not None:
        gap = max(gap, speech.silence_after(w.start, w.end))
    return gap


def _set_off(text: str) -> bool:
    return bool(_SET_OFF_PUNCT.search(text.strip()))


def english_fillers(words: Sequence[Word], speech: SpeechMap | None = None) -> list[Filler]:
    norm = [english.normalise(w.word) for w in words]
    found: list[Filler] = []
    i = 0
    while i < len(words):
        w = words[i]
        phrase = next(
            (p for p in EN_PHRASES if tuple(norm[i : i + len(p)]) == p and len(p) > 1),
            None,
        )
        if phrase is not None:
            last = words[i + len(phrase) - 1]
            # "you know," / "I mean," / "you know." are fillers; "you know the answer" is not
            if _set_off(last.word) or last.word.rstrip().endswith("."):
                text = " ".join(english.normalise(x.word) for x in words[i : i + len(phrase)])
                found.append(Filler(text, w.start, last.end))
                i += len(phrase)
                continue
        if norm[i] in EN_ALWAYS:
            found.append(Filler(norm[i], w.start, w.end))
        elif norm[i] in EN_SET_OFF:
            before = words[i - 1].word.rstrip() if i else ""
            first = i == 0 or before.endswith((".", "?", "!"))
            hesitation = _gap_after(words, i, speech) >= bands.HESITATION_GAP_S
            # "Well, ..." opens a sentence; ", like, " and ", like ... " fill it; "well" only between
            # two commas ("it was, well, hard"), since "as well," ends a clause ("so" is never counted:
            # "And so, my fellow Americans" is rhetoric, not hesitation)
            set_off = _set_off(w.word) and (norm[i] != "well" or before.endswith(","))
            if not first and (set_off or (before.endswith(",") and hesitation)):
                found.append(Filler(norm[i], w.start, w.end))
        i += 1
    return found


def korean_fillers(words: Sequence[Word], speech: SpeechMap | None = None) -> list[Filler]:
    morphs = korean.morphemes_per_word([w.word for w in words])
    plain = [_collapse_hangul(w.word) for w in words]
    found: list[Filler] = []
    i = 0
    while i < len(words):
        w = words[i]
        phrase = next((p for p in KO_PHRASES if tuple(plain[i : i + len(p)]) == p), None)
        if phrase is not None:
            last = words[i + len(phrase) - 1]
            found.append(Filler(" ".join(plain[i : i + len(phrase)]), w.start, last.end))
            i += len(phrase)
            continue
        if _is_korean_filler(words, morphs, plain, i, speech):
            found.append(Filler(plain[i], w.start, w.end))
        i += 1
    return found


def _is_korean_filler(
    words: Sequence[Word],
    morphs: Sequence[Sequence[korean.Morph]],
    plain: Sequence[str],
    i: int,
    speech: SpeechMap | None,
) -> bool:
    token = plain[i]
    own = [m for m in morphs[i] if not m.tag.startswith(("S",))]
    if not token or len(own) > 1 and token not in KO_ALWAYS:
        return False  # part of a longer word: 그는, 저희, 어제 ...
    if token in KO_ALWAYS:
        return True
    if token not in KO_CONTEXT:
        return False
    if token in ("예", "네") and i == 0:
        return False  # "네, 저는 ..." opens an answer politely
    tag = own[0].tag if own else ""
    if tag == "IC":
        return True
    punct_after = _set_off(words[i].word) or any(m.tag in ("SF", "SP", "SE") for m in morphs[i])
    if punct_after or _gap_after(words, i, speech) >= bands.HESITATION_GAP_S:
        return True
    nxt = morphs[i + 1] if i + 1 < len(morphs) else []
    if token in ("그", "저") and tag == "MM":
        # a determiner must come before a noun: "그 회사" is speech, "그 제가" is a filler
        head = next((m for m in nxt if not m.tag.startswith("S")), None)
        return head is None or head.tag not in korean.NOUN_TAGS or head.tag == "NP"
    if token in ("이제", "인제"):
        # "이제 시작하겠습니다" means now; "이제 제가 들어갔습니다" narrates the past: a filler
        for later in morphs[i + 1 :]:
            if any(m.tag == "EP" and m.form in _PAST for m in later):
                return True
            if any(m.tag == "SF" for m in later):
                break
    return False


def find_fillers(words: Sequence[Word], language: str, speech: SpeechMap | None = None) -> list[Filler]:
    """Fillers among ``words`` (Korean when ``language`` is ``"ko"``, English rules otherwise)."""
    if language == "ko":
        return korean_fillers(words, speech)
    return english_fillers(words, speech)


def probable_fillers(words: Sequence[Word], speech: SpeechMap, known: Sequence[Filler]) -> list[Filler]:
    """Short voiced stretches, standing between silences, that no transcribed word covers."""
    found = []
    for span in speech.voiced:
        if not bands.PROBABLE_FILLER_MIN_S <= span.duration <= bands.PROBABLE_FILLER_MAX_S:
            continue
        covered = sum(span.overlap(w.start, w.end) for w in words)
        if covered >= 0.3 * span.duration:
            continue
        if any(span.overlap(f.start - 0.2, f.end + 0.2) > 0 for f in known):
            continue
        found.append(Filler("…", span.start, span.end, probable=True))
    return found


@dataclass(frozen=True, slots=True)
class FillerSummary:
    count: int
    probable: int
    per_minute: float
    band: str
    by_word: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return {
            "count": self.count,
            "probable": self.probable,
            "per_minute": round(self.per_minute, 1),
            "band": self.band,
            "by_word": self.by_word,
        }


def summarise(fillers: Sequence[Filler], minutes: float) -> FillerSummary:
    """Counts and the rate per minute of answer; probable fillers are counted apart, not in the rate."""
    sure = [f for f in fillers if not f.probable]
    rate = len(sure) / minutes if minutes > 0 else 0.0
    if rate > bands.FILLERS_TOO_MANY_PER_MIN:
        band = "too_many"
    elif rate > bands.FILLERS_FINE_PER_MIN:
        band = "noticeable"
    else:
        band = "fine"
    by_word = dict(Counter(f.text for f in sure).most_common())
    return FillerSummary(len(sure), len(fillers) - len(sure), rate, band, by_word)
