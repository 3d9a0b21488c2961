"""Three short tips, the most useful first, each pointing to a moment of the answer.

Every finding that can become a tip gets a weight (how much fixing it would help the next
answer); the three heaviest are kept. When little is wrong, encouragement fills the list, so
a senior always reads what went well too. Messages are English msgids (Korean in
``interview/practice/translations/ko/feedback.po``) with ``%(name)s`` parameters.
"""

from __future__ import annotations

from dataclasses import replace

from core.i18n import N_
from interview.practice.feedback import bands
from interview.practice.feedback.report import Feedback, Tip, clock

MAX_TIPS = 3
#: one or two fillers in a short answer make a high rate but are not worth a tip
MIN_FILLERS_FOR_TIP = 3

NO_SPEECH = N_("We did not hear any speech in this answer. Please check that your microphone is on.")
NO_SPEECH_RETRY = N_("When you are ready, start with one short sentence. There is no hurry.")
PAUSE = N_(
    'You paused for %(seconds)s seconds at %(time)s. If you need time, say: "Let me think for a moment."'
)
LONG_PAUSES = N_(
    "You paused %(count)s times for 2 seconds or more, first at %(time)s. "
    "Short pauses between sentences are enough."
)
SLOW_START = N_("You began after %(seconds)s seconds. Start with one short sentence, then add details.")
TOO_FAST_WORDS = N_(
    "You spoke fast (%(value)s words per minute), most of all near %(time)s. "
    "Slow down and breathe between sentences."
)
TOO_FAST_SYLLABLES = N_(
    "You spoke fast (%(value)s syllables per minute), most of all near %(time)s. "
    "Slow down and breathe between sentences."
)
TOO_SLOW_WORDS = N_(
    "You spoke slowly (%(value)s words per minute) near %(time)s. "
    "Say each sentence in one go, then pause briefly."
)
TOO_SLOW_SYLLABLES = N_(
    "You spoke slowly (%(value)s syllables per minute) near %(time)s. "
    "Say each sentence in one go, then pause briefly."
)
MANY_FILLERS = N_(
    'You used %(count)s fillers such as "%(word)s", first at %(time)s (%(rate)s per minute). '
    "A silent pause sounds calmer."
)
PROBABLE_FILLERS = N_(
    'We heard %(count)s short sounds between words, first at %(time)s, perhaps "um" or "uh". '
    "A silent pause sounds calmer."
)
REPEATS = N_('You repeated "%(text)s" at %(time)s. Slow down a little and say each phrase once.')
TOO_SHORT = N_(
    "Your answer lasted %(seconds)s seconds; about %(suggested)s seconds is expected. "
    "Add one example from your work."
)
TOO_LONG = N_(
    "Your answer lasted %(seconds)s seconds; about %(suggested)s seconds is enough. "
    "Keep the main point and one example."
)
MISSING_KEYWORDS = N_("You could also mention: %(keywords)s.")
NO_RESULT = N_("End with the result: what changed thanks to your work. A number helps.")
NO_ACTION = N_('Say what you did yourself: "I checked ...", "I suggested ...".')
NO_SITUATION = N_("Start with the situation: where you worked and what the problem was.")
# encouragement
GOOD_PACE_WORDS = N_("Your pace was easy to follow (%(value)s words per minute). Keep it.")
GOOD_PACE_SYLLABLES = N_("Your pace was easy to follow (%(value)s syllables per minute). Keep it.")
FEW_FILLERS = N_("You used few fillers. That sounds confident.")
ALL_KEYWORDS = N_("You covered the key points: %(keywords)s.")
GOOD_STRUCTURE = N_("Your answer told a clear story, from the situation to the result.")
KEEP_PRACTICING = N_("Good work. Practice once more and listen to your recording.")
# the speech model did not understand the answer well (Korean in translations/ko/unclear.po)
UNCLEAR = N_(
    "We could not understand this answer well, so we did not measure its pace, filler words or "
    "repetitions. What we heard is shown below, marked as unsure."
)
UNCLEAR_MICROPHONE = N_(
    "Please check your microphone: speak a little closer to it, in a quiet place, and answer again."
)

ALL_MESSAGES = (
    NO_SPEECH,
    NO_SPEECH_RETRY,
    PAUSE,
    LONG_PAUSES,
    SLOW_START,
    TOO_FAST_WORDS,
    TOO_FAST_SYLLABLES,
    TOO_SLOW_WORDS,
    TOO_SLOW_SYLLABLES,
    MANY_FILLERS,
    PROBABLE_FILLERS,
    REPEATS,
    TOO_SHORT,
    TOO_LONG,
    MISSING_KEYWORDS,
    NO_RESULT,
    NO_ACTION,
    NO_SITUATION,
    GOOD_PACE_WORDS,
    GOOD_PACE_SYLLABLES,
    FEW_FILLERS,
    ALL_KEYWORDS,
    GOOD_STRUCTURE,
    KEEP_PRACTICING,
    UNCLEAR,
    UNCLEAR_MICROPHONE,
)

#: what an unclear answer is still told: findings measured on the audio alone, not on its words
_AUDIO_ONLY = frozenset({"long_pause", "slow_start", "too_short", "too_long"})


def _secs(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def build_tips(fb: Feedback) -> tuple[Tip, ...]:
    """The tips for ``fb``, most useful first, at most :data:`MAX_TIPS`."""
    if fb.no_speech:
        return (
            Tip("no_speech", NO_SPEECH, 0.0, weight=100),
            Tip("no_speech_retry", NO_SPEECH_RETRY, 0.0, weight=90),
        )
    if fb.unclear:
        found = [
            Tip("unclear", UNCLEAR, 0.0, weight=100),
            Tip("unclear_microphone", UNCLEAR_MICROPHONE, 0.0, weight=95),
            *(t for t in _problems(fb) if t.code in _AUDIO_ONLY),
        ]
    else:
        found = _problems(fb) + _praise(fb)
    found.sort(key=lambda t: -t.weight)
    chosen: list[Tip] = []
    for tip in found:
        if all(t.code != tip.code for t in chosen):
            chosen.append(tip)
        if len(chosen) == MAX_TIPS:
            break
    return tuple(chosen)


def _problems(fb: Feedback) -> list[Tip]:
    tips: list[Tip] = []
    params: dict[str, object]
    first = fb.time_to_first_word or 0.0
    end = fb.words[-1].end if fb.words else first
    # pauses
    longest = fb.longest_pause
    if longest is not None and (longest.duration >= bands.VERY_LONG_PAUSE_S or len(fb.pauses) == 1):
        params = {"seconds": _secs(longest.duration), "time": clock(longest.start)}
        weight = (70 if longest.duration >= bands.VERY_LONG_PAUSE_S else 44) + min(longest.duration, 10)
        tips.append(Tip("long_pause", PAUSE, longest.start, params, weight + len(fb.pauses)))
    elif len(fb.pauses) >= 2:
        params = {"count": len(fb.pauses), "time": clock(fb.pauses[0].start)}
        tips.append(Tip("long_pause", LONG_PAUSES, fb.pauses[0].start, params, 50 + len(fb.pauses)))
    if first >= bands.SLOW_START_S:
        tips.append(Tip("slow_start", SLOW_START, 0.0, {"seconds": _secs(first)}, 45 + min(first, 10)))
    # pace
    pace = fb.pace
    if pace.band in ("too_fast", "too_slow"):
        fast = pace.band == "too_fast"
        pick = max if fast else min
        point = pick(pace.series, key=lambda p: p.value, default=None)
        at = point.start if point is not None else first
        korean = pace.unit == "spm"
        message = (
            (TOO_FAST_SYLLABLES if korean else TOO_FAST_WORDS)
            if fast
            else (TOO_SLOW_SYLLABLES if korean else TOO_SLOW_WORDS)
        )
        limits = bands.pace_limits("ko" if korean else "en")
        off = (pace.value / limits.fast_above - 1) if fast else (1 - pace.value / limits.slow_below)
        params = {"value": round(pace.value), "time": clock(at)}
        tips.append(Tip("too_fast" if fast else "too_slow", message, at, params, 58 + 40 * min(off, 0.5)))
    # fillers
    summary = fb.filler_summary
    sure = [f for f in fb.fillers if not f.probable]
    if summary.band != "fine" and len(sure) >= MIN_FILLERS_FOR_TIP:
        word = next(iter(summary.by_word))  # the most frequent
        at = sure[0].start
        params = {
            "word": word,
            "count": len(sure),
            "time": clock(at),
            "rate": _secs(round(summary.per_minute, 1)),
        }
        weight = 65 if summary.band == "too_many" else 47
        tips.append(Tip("fillers", MANY_FILLERS, at, params, weight + min(summary.per_minute, 20) / 4))
    probable = [f for f in fb.fillers if f.probable]
    if len(probable) >= 3:
        params = {"count": len(probable), "time": clock(probable[0].start)}
        tips.append(Tip("probable_fillers", PROBABLE_FILLERS, probable[0].start, params, 33 + len(probable)))
    # repetitions
    if fb.repetitions:
        rep = fb.repetitions[0]
        weight = 40 if len(fb.repetitions) >= 2 else 26
        tips.append(
            Tip("repetitions", REPEATS, rep.start, {"text": rep.text, "time": clock(rep.start)}, weight)
        )
    # length
    length = fb.length
    if length.band in ("too_short", "too_long") and length.suggested:
        params = {"seconds": round(length.seconds), "suggested": length.suggested}
        if length.band == "too_short":
            tips.append(Tip("too_short", TOO_SHORT, end, params, 62))
        else:
            tips.append(Tip("too_long", TOO_LONG, first + length.suggested, params, 48))
    # content
    kw = fb.keywords
    if kw.missing:
        share = len(kw.missing) / (len(kw.missing) + len(kw.found))
        params = {"keywords": ", ".join(kw.missing[:3])}
        tips.append(Tip("keywords", MISSING_KEYWORDS, end, params, 36 + 20 * share))
    missing = fb.structure.missing
    if fb.answer_time >= 15:  # a very short answer is judged by its length, not its structure
        if "result" in missing:
            tips.append(Tip("no_result", NO_RESULT, end, {}, 42))
        if "action" in missing:
            tips.append(Tip("no_action", NO_ACTION, first, {}, 40))
        if "situation" in missing and "task" in missing:
            tips.append(Tip("no_situation", NO_SITUATION, first, {}, 30))
    return tips


def _praise(fb: Feedback) -> list[Tip]:
    first = fb.time_to_first_word or 0.0
    tips = [Tip("keep_practicing", KEEP_PRACTICING, first, {}, 1)]
    if fb.pace.band == "good":
        message = GOOD_PACE_SYLLABLES if fb.pace.unit == "spm" else GOOD_PACE_WORDS
        tips.append(Tip("good_pace", message, first, {"value": round(fb.pace.value)}, 12))
    if fb.filler_summary.band == "fine":
        tips.append(Tip("few_fillers", FEW_FILLERS, first, {}, 10))
    if fb.keywords.found and not fb.keywords.missing:
        at = min(fb.keywords.at.values(), default=first)
        tips.append(Tip("all_keywords", ALL_KEYWORDS, at, {"keywords": ", ".join(fb.keywords.found[:4])}, 14))
    if not fb.structure.missing:
        tips.append(Tip("good_structure", GOOD_STRUCTURE, first, {}, 11))
    return tips


def with_tips(fb: Feedback) -> Feedback:
    return replace(fb, tips=build_tips(fb))
