"""Feedback on one recorded practice answer: pace, pauses, fillers, repetitions, length,
keywords, structure and three tips.

``analyze(audio, transcript, question=..., keywords=..., language=...)`` is pure, synchronous
CPU work (run it off the event loop); :class:`Feedback` and its ``to_dict()`` are what the
practice pages and ``allwork feedback --json`` show. Every limit lives in :mod:`.bands`.
"""

from interview.practice.feedback.analysis import analyze
from interview.practice.feedback.bands import pace_bands, pace_limits
from interview.practice.feedback.report import Feedback, Tip
from interview.practice.feedback.speech import SpeechMap, detect_speech

__all__ = ["Feedback", "SpeechMap", "Tip", "analyze", "detect_speech", "pace_bands", "pace_limits"]
