"""Where the senior spoke and where they were silent, measured on the audio itself.

Pauses come from Silero VAD (the copy faster-whisper carries) run with almost no padding and
a short minimum silence, so a pause keeps its true start and length. Whisper's word timings
are never used for this: they stretch words over silences and hide pauses (SPEECH-FACTS.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from faster_whisper.vad import VadOptions, get_speech_timestamps, get_vad_model

from interview.practice.feedback import bands

#: Sample rate the analysis expects (the one ``interview.transcribe.audio`` decodes to).
SAMPLE_RATE = 16000


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the answer, in seconds from its start."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    def overlap(self, start: float, end: float) -> float:
        return max(0.0, min(self.end, end) - max(self.start, start))

    def to_dict(self) -> dict[str, float]:
        return {"start": round(self.start, 2), "end": round(self.end, 2), "duration": round(self.duration, 2)}


@dataclass(frozen=True, slots=True)
class SpeechMap:
    """Voiced stretches of an answer and the measures that follow from them."""

    duration: float
    voiced: tuple[Span, ...]

    @property
    def has_speech(self) -> bool:
        return self.voiced_time >= bands.MIN_SPEECH_S

    @property
    def voiced_time(self) -> float:
        return sum(s.duration for s in self.voiced)

    @property
    def first_word(self) -> float | None:
        """Seconds from the start of the recording to the first voiced sound."""
        return self.voiced[0].start if self.voiced else None

    @property
    def last_word_end(self) -> float | None:
        return self.voiced[-1].end if self.voiced else None

    def silences(self) -> list[Span]:
        """Every silence between two voiced stretches (not before the first or after the last)."""
        return [Span(a.end, b.start) for a, b in zip(self.voiced, self.voiced[1:], strict=False)]

    def pauses(self, minimum: float = bands.LONG_PAUSE_S) -> list[Span]:
        """Silences inside the answer of ``minimum`` seconds or more."""
        return [s for s in self.silences() if s.duration >= minimum]

    @property
    def answer_time(self) -> float:
        """First voiced sound to last: the length of the answer itself."""
        if not self.voiced:
            return 0.0
        return self.voiced[-1].end - self.voiced[0].start

    @property
    def speaking_time(self) -> float:
        """The answer less its long pauses: the time the pace is measured over."""
        return max(0.0, self.answer_time - sum(p.duration for p in self.pauses()))

    def silence_after(self, start: float, end: float) -> float:
        """Length of the longest silence that begins while a word spans ``start``..``end``, or
        just after it (Whisper often stretches a word over the pause that follows it)."""
        found = [s.duration for s in self.silences() if start < s.start <= end + 0.2]
        return max(found, default=0.0)

    def is_voiced(self, start: float, end: float, tolerance: float = 0.1) -> bool:
        """Whether any voiced stretch overlaps ``start``..``end`` (widened by ``tolerance``)."""
        return any(v.overlap(start - tolerance, end + tolerance) > 0 for v in self.voiced)


def detect_speech(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> SpeechMap:
    """Run Silero VAD over mono float32 ``audio`` (16 kHz) and return its voiced stretches."""
    if sample_rate != SAMPLE_RATE:
        raise ValueError(f"expected {SAMPLE_RATE} Hz audio, got {sample_rate}")
    samples = np.asarray(audio, dtype=np.float32).reshape(-1)
    duration = samples.shape[0] / sample_rate
    if samples.shape[0] < 512 or not np.any(samples):
        return SpeechMap(duration=duration, voiced=())
    options = VadOptions(
        threshold=bands.VAD_THRESHOLD,
        min_silence_duration_ms=bands.VAD_MIN_SILENCE_MS,
        speech_pad_ms=bands.VAD_SPEECH_PAD_MS,
    )
    stamps = get_speech_timestamps(samples, options, sampling_rate=sample_rate)
    voiced = tuple(
        Span(max(0.0, s["start"] / sample_rate), min(duration, s["end"] / sample_rate))
        for s in stamps
        if _confirmed(samples[s["start"] : s["end"]], sample_rate)
    )
    return SpeechMap(duration=duration, voiced=voiced)


def _confirmed(chunk: np.ndarray, sample_rate: int) -> bool:
    """Whether a short voiced stretch is still speech when the VAD hears it on its own.

    Silero's recurrent state lets loud noise (a fan, pink noise) cross the threshold for a few
    hundred milliseconds now and then; heard alone such a blip scores far below the threshold,
    while a real word, even a lone "um", stays above it. Long stretches are not rechecked.
    """
    if len(chunk) >= bands.VAD_CONFIRM_BELOW_S * sample_rate:
        return True
    padded = np.pad(chunk, (0, 512 - len(chunk) % 512))
    return float(np.max(get_vad_model()(padded))) >= bands.VAD_THRESHOLD


def speech_map_from_spans(duration: float, spans: Sequence[tuple[float, float]]) -> SpeechMap:
    """A :class:`SpeechMap` from known voiced stretches (for callers that ran the VAD already)."""
    return SpeechMap(duration=duration, voiced=tuple(Span(a, b) for a, b in sorted(spans)))
