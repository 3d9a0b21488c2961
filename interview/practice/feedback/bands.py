"""Every limit the feedback judges by, in one place.

The numbers and their sources are explained in docs/feedback.md (section "Bands and their
sources"); change them here and there together. Nothing else in the feedback package holds
a threshold that a senior would see the effect of.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PaceBand(StrEnum):
    TOO_SLOW = "too_slow"
    GOOD = "good"
    TOO_FAST = "too_fast"


class LengthBand(StrEnum):
    TOO_SHORT = "too_short"
    GOOD = "good"
    TOO_LONG = "too_long"


@dataclass(frozen=True, slots=True)
class PaceLimits:
    """Pace over the speaking time, in ``unit`` per minute; ``good`` is ``slow_below``..``fast_above``."""

    unit: str
    slow_below: float
    fast_above: float

    def band(self, value: float) -> PaceBand:
        if value < self.slow_below:
            return PaceBand.TOO_SLOW
        if value > self.fast_above:
            return PaceBand.TOO_FAST
        return PaceBand.GOOD


#: English: conversational speech is 110-150 words per minute (National Center for Voice and
#: Speech); a good interview pace is roughly 120-160; comprehension drops above about 190.
#: The good band is kept a little wider than 120-160 so only a clear difference is flagged.
ENGLISH_PACE = PaceLimits(unit="wpm", slow_below=110.0, fast_above=170.0)

#: Korean: adults talk at 253 +/- 41 Hangul syllables per minute (Ahn, Shin & Kwon 2002);
#: older speakers are slower. Good is the mean +/- 1.5 standard deviations, rounded.
KOREAN_PACE = PaceLimits(unit="spm", slow_below=190.0, fast_above=320.0)


def pace_limits(language: str) -> PaceLimits:
    """The pace limits for ``"ko"`` or ``"en"`` (any other language is judged by English words)."""
    return KOREAN_PACE if language == "ko" else ENGLISH_PACE


def pace_bands(language: str) -> dict[str, float | str]:
    """The band limits as plain data (for pages and docs): unit, slow_below, fast_above."""
    limits = pace_limits(language)
    return {"unit": limits.unit, "slow_below": limits.slow_below, "fast_above": limits.fast_above}


# --- pauses ---------------------------------------------------------------------------------------
#: A silence inside the answer this long or longer is reported as a pause (coaching practice).
LONG_PAUSE_S = 2.0
#: ... and this long or longer is called a very long pause.
VERY_LONG_PAUSE_S = 3.0
#: Waiting this long before the first word earns a tip about starting.
SLOW_START_S = 5.0
#: Voice-activity detection for measuring pauses: little padding so a pause keeps its true length
#: (Silero's default 400 ms pad eats 0.4 s from each side), short minimum silence.
VAD_THRESHOLD = 0.5
VAD_SPEECH_PAD_MS = 20
VAD_MIN_SILENCE_MS = 250
#: Less voiced audio than this in the whole answer counts as no speech.
MIN_SPEECH_S = 0.3
#: Voiced stretches shorter than this are checked again on their own (loud noise makes short blips).
VAD_CONFIRM_BELOW_S = 1.0

# --- fillers ----------------------------------------------------------------------------------------
#: Fillers per minute of answer: listeners notice no penalty at 5 or fewer; around 12 hurts.
FILLERS_FINE_PER_MIN = 5.0
FILLERS_TOO_MANY_PER_MIN = 12.0
#: A gap this long after a Korean word that can be a filler (그, 저, 이제 ...) marks it as a hesitation.
HESITATION_GAP_S = 0.3
#: Voiced stretches no transcribed word covers, this short, are marked as probable fillers.
PROBABLE_FILLER_MIN_S = 0.15
PROBABLE_FILLER_MAX_S = 1.2

# --- length -----------------------------------------------------------------------------------------
#: The answer (first to last word) against the question's suggested length.
LENGTH_SHORT_BELOW = 0.5
LENGTH_LONG_ABOVE = 1.6


def length_band(answer_seconds: float, suggested_seconds: float) -> LengthBand:
    ratio = answer_seconds / suggested_seconds if suggested_seconds > 0 else 1.0
    if ratio < LENGTH_SHORT_BELOW:
        return LengthBand.TOO_SHORT
    if ratio > LENGTH_LONG_ABOVE:
        return LengthBand.TOO_LONG
    return LengthBand.GOOD


# --- pace over time ---------------------------------------------------------------------------------
#: The pace chart counts words in windows of this length, stepping by half of it.
PACE_WINDOW_S = 10.0
