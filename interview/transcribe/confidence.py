"""How sure Whisper was of a segment, from its own numbers, and the bounds on what a decode may cost.

Whisper scores every 30 s window it decodes: the average log-probability of its tokens, the
probability that the window held no speech, and the gzip compression ratio of the text (a loop such
as "의의의의…" compresses far better than language). faster-whisper uses the same three numbers, with
the same thresholds, to decide when to decode a window again at a higher temperature; when even the
last temperature fails it keeps the best try. A segment from such a window, or one whose repetition
loop had to be collapsed, is *uncertain*: a transcript keeps it (the senior sees what was heard,
marked), but the practice feedback measures nothing from it.

On audio the model cannot understand (synthetic Korean, a strong accent, a bad microphone) each
window used to be decoded six times, each up to 448 tokens, which took 18-43 s for a short answer.
:func:`max_new_tokens` bounds the tokens of one decode by the length of the audio, and
:data:`TEMPERATURES` the number of decodes of a window, so decoding time follows the audio's length.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from interview.transcribe.types import Segment

#: Whisper's (and faster-whisper's) own thresholds: below this average log-probability ...
LOG_PROB_THRESHOLD = -1.0
#: ... above this no-speech probability (of the window's first token) ...
NO_SPEECH_THRESHOLD = 0.6
#: ... or above this gzip compression ratio of the text, a decode has failed
COMPRESSION_RATIO_THRESHOLD = 2.4
#: and a segment of at least MIN_WORDS words whose words average a probability below this was not
#: understood, whatever the window's numbers: espeak-ng's Korean came back as Hangul nonsense ("저는 이
#: 씹, 논, 동한, 분기 …") at an average log-probability of -0.81, its words averaging 0.34; JFK's
#: words average 0.89, clear espeak English 0.89-0.92, English in loud noise 0.11-0.49. Not yet
#: checked on real Korean speech (the held-out set is not in shared/): tune it there
MIN_WORD_PROBABILITY = 0.45
MIN_WORDS = 3

#: the temperatures a window is decoded at, one after the other while a decode fails: three steps,
#: not faster-whisper's six (0.0, 0.2 … 1.0); a window the third step cannot decode is kept as the
#: best of the three and marked uncertain
TEMPERATURES: tuple[float, ...] = (0.0, 0.4, 0.8)

#: tokens one decode may write per second of audio in the window. Korean takes about 0.8 tokens a
#: syllable in Whisper's vocabulary (measured on answer sentences), so even fast speech (335 syllables
#: a minute, 5.6 a second) needs about 5 tokens a second with its timestamps; English about 4
TOKENS_PER_SECOND = 8.0
#: and a few more for any window, however short (timestamps, punctuation)
MIN_NEW_TOKENS = 16
#: Whisper's decoder holds 448 tokens, and faster-whisper's prompt takes up to 224 of them
MAX_NEW_TOKENS = 220
#: the longest window Whisper decodes at once, seconds
WINDOW_S = 30.0


def max_new_tokens(speech_seconds: float) -> int:
    """The most tokens one decode of ``speech_seconds`` of audio may write (its longest window)."""
    window = min(max(speech_seconds, 0.0), WINDOW_S)
    return min(MAX_NEW_TOKENS, MIN_NEW_TOKENS + math.ceil(window * TOKENS_PER_SECOND))


def is_uncertain(
    avg_logprob: float | None,
    no_speech_prob: float | None,
    compression: float | None,
    word_probabilities: Sequence[float] = (),
) -> bool:
    """Whether Whisper's own numbers say its decode of the window failed, or the segment's words
    were, on average, improbable."""
    improbable = (
        len(word_probabilities) >= MIN_WORDS
        and sum(word_probabilities) / len(word_probabilities) < MIN_WORD_PROBABILITY
    )
    return (
        improbable
        or (avg_logprob is not None and avg_logprob < LOG_PROB_THRESHOLD)
        or (no_speech_prob is not None and no_speech_prob > NO_SPEECH_THRESHOLD)
        or (compression is not None and compression > COMPRESSION_RATIO_THRESHOLD)
    )


def with_confidence(
    segment: Segment, avg_logprob: float | None, no_speech_prob: float | None, compression: float | None
) -> Segment:
    """``segment`` carrying Whisper's numbers, marked uncertain when they say the decode failed."""
    return replace(
        segment,
        avg_logprob=avg_logprob,
        no_speech_prob=no_speech_prob,
        compression_ratio=compression,
        uncertain=segment.uncertain
        or is_uncertain(avg_logprob, no_speech_prob, compression, [w.probability for w in segment.words]),
    )
