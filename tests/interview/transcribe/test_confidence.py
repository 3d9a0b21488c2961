"""Whisper's own numbers mark a segment uncertain; a decode's tokens are bounded by the audio's length."""

from __future__ import annotations

import pytest

from interview.transcribe import confidence
from interview.transcribe.confidence import is_uncertain, max_new_tokens, with_confidence
from interview.transcribe.types import DecodeStats, Segment, Transcript, Word


def test_the_token_bound_follows_the_audio_length() -> None:
    assert max_new_tokens(0.0) == confidence.MIN_NEW_TOKENS
    assert max_new_tokens(2.0) == confidence.MIN_NEW_TOKENS + 16
    assert max_new_tokens(12.0) == confidence.MIN_NEW_TOKENS + 96
    # a window is at most 30 s, and faster-whisper's prompt leaves 448 - 228 tokens
    assert max_new_tokens(30.0) == max_new_tokens(600.0) == confidence.MAX_NEW_TOKENS == 220
    # fast Korean (5.6 syllables a second, 0.8 tokens a syllable) fits with room to spare
    assert max_new_tokens(12.0) / 2 > 5.6 * 0.8 * 12
    assert len(confidence.TEMPERATURES) == 3 and confidence.TEMPERATURES[0] == 0.0


def test_whispers_thresholds_mark_a_segment_uncertain() -> None:
    assert not is_uncertain(-0.3, 0.02, 1.4)
    assert not is_uncertain(None, None, None)
    assert is_uncertain(-1.2, 0.02, 1.4)  # improbable tokens
    assert is_uncertain(-0.5, 0.8, 1.4)  # the window probably held no speech
    assert is_uncertain(-0.3, 0.02, 3.1)  # repetitive text
    # espeak-ng Korean read back as Hangul nonsense: the window looked fine, its words did not
    nonsense = [0.03, 0.54, 0.51, 0.23, 0.45, 0.18, 0.45, 0.07, 0.06, 0.28, 0.7, 0.53]
    assert is_uncertain(-0.81, 0.13, 1.63, nonsense)
    jfk = [0.54, 0.99, 0.85, 0.99, 0.9, 0.29, 0.65, 0.96, 0.97, 1.0, 1.0]
    assert not is_uncertain(-0.28, 0.01, 1.34, jfk)
    assert not is_uncertain(-0.4, 0.1, 1.0, [0.1, 0.2])  # "Yeah. Yeah.": too few words to judge
    seg = Segment(0.0, 2.0, "Good morning.", (Word("Good", 0.0, 0.5, 0.9), Word("morning.", 0.5, 1.0, 0.9)))
    sure = with_confidence(seg, -0.2, 0.01, 1.1)
    assert not sure.uncertain and sure.avg_logprob == -0.2
    assert with_confidence(seg, -1.5, 0.01, 1.1).uncertain


def test_confidence_survives_json_and_old_rows_still_load() -> None:
    seg = with_confidence(Segment(0.0, 2.0, "네.", (Word("네.", 0.0, 0.5, 0.4),)), -1.3, 0.2, 0.9)
    sure = with_confidence(
        Segment(2.0, 6.0, "좋습니다.", (Word("좋습니다.", 2.0, 3.0, 0.9),)), -0.2, 0.0, 1.0
    )
    tr = Transcript("ko", 6.0, "base", (seg, sure), decoding=DecodeStats(1, 2, 30, 20, 64))
    data = tr.to_dict()
    assert data["segments"][0]["uncertain"] is True and data["segments"][0]["avg_logprob"] == -1.3
    assert "decoding" not in data
    again = Transcript.from_dict(data)
    assert again.segments == tr.segments and again.uncertain_share == pytest.approx(1 / 3)  # 2 s of 6
    # a transcript stored before segments had confidence: no numbers, nothing uncertain
    for s in data["segments"]:
        for key in ("avg_logprob", "no_speech_prob", "compression_ratio", "uncertain"):
            del s[key]
    old = Transcript.from_dict(data)
    assert old.segments[0].avg_logprob is None and not any(s.uncertain for s in old.segments)
    assert DecodeStats(1, 3, 40, 30, 64).fallbacks == 2
