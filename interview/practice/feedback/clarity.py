"""Whether the speech model understood the answer well enough to measure anything from its words.

On audio Whisper cannot understand (synthetic Korean, a strong accent, a bad microphone) it writes
nonsense, or nothing, and the feedback used to report a confident pace ("분당 14음절") and repetitions
invented from that text. Whisper says itself when a decode failed: each segment carries its average
log-probability, no-speech probability and compression ratio, and the transcriber marks a segment
``uncertain`` from them (``interview/transcribe/confidence.py``). Here the voiced time of the answer
(Silero VAD, on the audio) is compared with the time the *certain* segments cover: when a large share
of the voice is covered only by uncertain text, or by no text at all, the answer is *unclear*. An
unclear answer keeps its transcript (marked) and its pauses and length (measured on the audio), but
gets no pace, fillers, repetitions, keywords or structure, and its tips say plainly that it was not
understood well and to check the microphone.
"""

from __future__ import annotations

from collections.abc import Iterable

from interview.practice.feedback.speech import SpeechMap
from interview.transcribe.types import Transcript, Word

#: an answer is unclear when at least this share of its voiced time was not understood
UNCLEAR_SHARE = 0.5
#: ... and there is at least this much voice: a lone cough with no text is "no speech"
MIN_VOICED_S = 1.0
#: Whisper's segment edges are a little off the VAD's: a segment covers voice this close to it
EDGE_S = 0.3


def unclear_share(speech: SpeechMap, transcript: Transcript) -> float:
    """The share (0-1) of the answer's voiced time that no certain segment with text covers."""
    voiced = speech.voiced_time
    if voiced <= 0:
        return 0.0
    covered = _union(
        (s.start - EDGE_S, s.end + EDGE_S) for s in transcript.segments if not s.uncertain and s.text.strip()
    )
    heard = sum(v.overlap(a, b) for v in speech.voiced for a, b in covered)
    return max(0.0, 1.0 - heard / voiced)


def is_unclear(speech: SpeechMap, share: float) -> bool:
    return speech.voiced_time >= MIN_VOICED_S and share >= UNCLEAR_SHARE


def uncertain_words(transcript: Transcript) -> set[Word]:
    """The words of the uncertain segments (marked on the transcript the senior reads)."""
    return {w for s in transcript.segments if s.uncertain for w in s.words}


def _union(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
