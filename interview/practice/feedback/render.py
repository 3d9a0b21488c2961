"""The human-readable feedback of ``allwork feedback`` (Korean when the senior's language is Korean)."""

from __future__ import annotations

from core.i18n import N_
from interview.practice.feedback.bands import pace_limits
from interview.practice.feedback.i18n import translate
from interview.practice.feedback.report import Feedback, clock

BAND_NAMES = {
    "too_slow": N_("too slow"),
    "good": N_("good"),
    "too_fast": N_("too fast"),
    "too_short": N_("too short"),
    "too_long": N_("too long"),
    "fine": N_("fine"),
    "noticeable": N_("noticeable"),
    "too_many": N_("too many"),
    "none": N_("not measured"),
}
PART_NAMES = {
    "situation": N_("situation"),
    "task": N_("task"),
    "action": N_("action"),
    "result": N_("result"),
}
NO_SPEECH = N_("No speech was heard in this recording.")
HEADER = N_("Answer: %(length)s long, language %(language)s, model %(model)s")
QUESTION = N_("Question: %(text)s")
TRANSCRIPT = N_("What we heard (fillers in [brackets], pauses in (parentheses)):")
PACE_WORDS = N_(
    "Pace: %(value)s words per minute while speaking, %(overall)s over the whole answer: %(band)s"
)
PACE_SYLLABLES = N_(
    "Pace: %(value)s syllables per minute while speaking, %(overall)s over the whole answer: %(band)s"
)
PACE_LIMITS = N_("(good is %(low)s to %(high)s)")
FIRST_WORD = N_("First word after %(seconds)s seconds")
PAUSES = N_("Pauses of 2 seconds or more: %(count)s")
PAUSE_LINE = N_("%(time)s  pause of %(seconds)s seconds")
LONGEST = N_("Longest pause: %(seconds)s seconds at %(time)s")
FILLERS = N_("Fillers: %(count)s, %(rate)s per minute: %(band)s")
PROBABLE = N_("Short sounds no word covers (probable fillers): %(count)s")
REPETITIONS = N_("Repeated words and restarts: %(count)s")
LENGTH = N_("Length: %(length)s, suggested about %(suggested)s: %(band)s")
LENGTH_FREE = N_("Length: %(length)s")
KEYWORDS = N_("Keywords heard: %(found)s")
KEYWORDS_MISSING = N_("Keywords not heard: %(missing)s")
STRUCTURE = N_("Structure (situation, task, action, result): %(parts)s")
TIPS = N_("Tips:")
PAUSE_MARK = N_("(%(seconds)s s)")
NONE = N_("none")
UNCLEAR = N_(
    "The speech model could not understand most of this answer, so pace, filler words and "
    "repetitions were not measured."
)
UNCLEAR_TRANSCRIPT = N_("What we think we heard (unsure):")

ALL_MESSAGES = (
    *BAND_NAMES.values(),
    *PART_NAMES.values(),
    NO_SPEECH,
    HEADER,
    QUESTION,
    TRANSCRIPT,
    PACE_WORDS,
    PACE_SYLLABLES,
    PACE_LIMITS,
    FIRST_WORD,
    PAUSES,
    PAUSE_LINE,
    LONGEST,
    FILLERS,
    PROBABLE,
    REPETITIONS,
    LENGTH,
    LENGTH_FREE,
    KEYWORDS,
    KEYWORDS_MISSING,
    STRUCTURE,
    TIPS,
    PAUSE_MARK,
    NONE,
    UNCLEAR,
    UNCLEAR_TRANSCRIPT,
)


def _s(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def marked_transcript(fb: Feedback, language: str = "en") -> str:
    """The transcript with fillers in [brackets] and long pauses as (2.9 s) where they fell."""
    pauses = list(fb.pauses)
    out: list[str] = []
    for w in fb.words:
        while pauses and pauses[0].end <= w.start + 0.3:
            out.append(translate(PAUSE_MARK, language, {"seconds": _s(pauses.pop(0).duration)}))
        out.append(f"[{w.text}]" if w.filler else w.text)
    return " ".join(out)


def render_text(fb: Feedback, language: str | None = None) -> str:
    lang = language or fb.tip_language

    def _(message: str, **params: object) -> str:
        return translate(message, lang, params)

    def band(name: str | None) -> str:
        return _(BAND_NAMES.get(name or "none", BAND_NAMES["none"]))

    lines = [
        _(
            HEADER,
            length=clock(fb.duration),
            language=fb.language,
            model=fb.model or "-",
        )
    ]
    if fb.question is not None:
        lines.append(_(QUESTION, text=fb.question.text))
    if fb.no_speech:
        lines += ["", _(NO_SPEECH), "", _(TIPS)]
        lines += [f"  {i}. {t.text(lang)}" for i, t in enumerate(fb.tips, 1)]
        return "\n".join(lines) + "\n"
    if fb.unclear:
        return _render_unclear(fb, lang, lines)
    lines += ["", _(TRANSCRIPT), "  " + marked_transcript(fb, lang), ""]
    pace = fb.pace
    limits = pace_limits("ko" if pace.unit == "spm" else "en")
    pace_msgid = PACE_SYLLABLES if pace.unit == "spm" else PACE_WORDS
    pace_line = _(
        pace_msgid,
        value=round(pace.value),
        overall=round(pace.overall),
        band=band(pace.band),
    )
    lines.append(
        pace_line + " " + _(PACE_LIMITS, low=round(limits.slow_below), high=round(limits.fast_above))
    )
    lines.append(_(FIRST_WORD, seconds=_s(fb.time_to_first_word or 0)))
    lines.append(_(PAUSES, count=len(fb.pauses)))
    lines += ["  " + _(PAUSE_LINE, time=clock(p.start), seconds=_s(p.duration)) for p in fb.pauses]
    longest = fb.longest_pause
    if longest is not None:
        lines.append("  " + _(LONGEST, seconds=_s(longest.duration), time=clock(longest.start)))
    summary = fb.filler_summary
    lines.append(_(FILLERS, count=summary.count, rate=_s(summary.per_minute), band=band(summary.band)))
    sure = [f for f in fb.fillers if not f.probable]
    if sure:
        lines.append("  " + ", ".join(f"{clock(f.start)} {f.text}" for f in sure))
    if summary.probable:
        lines.append("  " + _(PROBABLE, count=summary.probable))
    lines.append(_(REPETITIONS, count=len(fb.repetitions)))
    if fb.repetitions:
        lines.append("  " + ", ".join(f"{clock(r.start)} \u201c{r.text}\u201d" for r in fb.repetitions))
    length = fb.length
    if length.suggested:
        lines.append(
            _(LENGTH, length=clock(length.seconds), suggested=clock(length.suggested), band=band(length.band))
        )
    else:
        lines.append(_(LENGTH_FREE, length=clock(length.seconds)))
    kw = fb.keywords
    if kw.found or kw.missing:
        lines.append(_(KEYWORDS, found=", ".join(kw.found) or _(NONE)))
        if kw.missing:
            lines.append(_(KEYWORDS_MISSING, missing=", ".join(kw.missing)))
    parts = [
        f"{_(PART_NAMES[p])} {clock(fb.structure.parts[p]) if p in fb.structure.parts else '-'}"
        for p in PART_NAMES
    ]
    lines.append(_(STRUCTURE, parts=", ".join(parts)))
    lines += ["", _(TIPS)]
    lines += [f"  {i}. [{clock(t.at)}] {t.text(lang)}" for i, t in enumerate(fb.tips, 1)]
    return "\n".join(lines) + "\n"


def _render_unclear(fb: Feedback, lang: str, lines: list[str]) -> str:
    """An answer the speech model did not understand: what it heard, marked unsure, and only what
    the audio itself shows (pauses, length)."""

    def _(message: str, **params: object) -> str:
        return translate(message, lang, params)

    lines += ["", _(UNCLEAR), ""]
    if fb.words:
        lines += [_(UNCLEAR_TRANSCRIPT), "  " + marked_transcript(fb, lang), ""]
    lines.append(_(FIRST_WORD, seconds=_s(fb.time_to_first_word or 0)))
    lines.append(_(PAUSES, count=len(fb.pauses)))
    lines += ["  " + _(PAUSE_LINE, time=clock(p.start), seconds=_s(p.duration)) for p in fb.pauses]
    lines.append(_(LENGTH_FREE, length=clock(fb.length.seconds)))
    lines += ["", _(TIPS)]
    lines += [f"  {i}. [{clock(t.at)}] {t.text(lang)}" for i, t in enumerate(fb.tips, 1)]
    return "\n".join(lines) + "\n"
