"""Pace numbers on known timelines: words or Hangul syllables per minute, bands, the chart series."""

from __future__ import annotations

import pytest

from interview.practice.feedback import bands
from interview.practice.feedback.fillers import english_fillers
from interview.practice.feedback.pace import measure_pace, units_of
from interview.practice.feedback.speech import speech_map_from_spans
from tests.interview.practice.feedback.timeline import timeline


def test_english_words_per_minute_over_speaking_time_and_whole_answer() -> None:
    # 30 words in 12 s of speech, then a 3 s pause, then 10 words in 4 s
    first = timeline(" ".join(["word"] * 30), word_s=0.35, gap_s=0.05)  # 0 .. 11.95
    second = timeline(" ".join(["more"] * 10), start=15.0, word_s=0.35, gap_s=0.05)  # 15 .. 18.95
    speech = speech_map_from_spans(20.0, [(0.0, 12.0), (15.0, 19.0)])
    pace = measure_pace(first + second, speech, "en")
    assert pace.unit == "wpm" and pace.units == 40
    assert pace.value == pytest.approx(40 / 16 * 60)  # speaking time: 19 s less the 3 s pause
    assert pace.overall == pytest.approx(40 / 19 * 60)
    assert pace.band == "good"  # 150 wpm


def test_fillers_are_not_counted_as_words() -> None:
    words = timeline("Um, I worked, uh, in sales.")
    speech = speech_map_from_spans(3.0, [(0.0, words[-1].end)])
    pace = measure_pace(words, speech, "en", english_fillers(words))
    assert pace.units == 4


def test_korean_syllables_per_minute() -> None:
    # 저는 이십 년 동안 품질 관리를 했습니다 = 2+2+1+2+2+3+4 = 16 syllables in 4 s of speech
    words = timeline("저는 이십 년 동안 품질 관리를 했습니다", word_s=0.5, gap_s=0.0)
    assert sum(units_of(w.word, "ko") for w in words) == 16
    speech = speech_map_from_spans(5.0, [(0.0, 3.5)])
    pace = measure_pace(words, speech, "ko")
    assert pace.unit == "spm" and pace.units == 16
    assert pace.value == pytest.approx(16 / 3.5 * 60)  # 274 syllables per minute
    assert pace.band == "good"


def test_numbers_count_as_the_syllables_they_are_read_with() -> None:
    assert units_of("2015년에", "ko") == 4 + 2  # 이천십오 + 년에
    assert units_of("30%", "ko") == 2 + 3  # 삼십 퍼센트
    assert units_of("12", "en") == 1 and units_of("...", "en") == 0


def test_bands_at_their_limits() -> None:
    en, ko = bands.pace_limits("en"), bands.pace_limits("ko")
    assert en.band(en.slow_below - 1) == "too_slow" and en.band(en.slow_below) == "good"
    assert en.band(en.fast_above) == "good" and en.band(en.fast_above + 1) == "too_fast"
    assert ko.band(ko.slow_below - 1) == "too_slow" and ko.band(ko.fast_above + 1) == "too_fast"
    assert bands.pace_bands("ko") == {"unit": "spm", "slow_below": 190.0, "fast_above": 320.0}


def test_fast_and_slow_answers_get_their_band() -> None:
    speech = speech_map_from_spans(10.0, [(0.0, 6.0)])
    fast = measure_pace(timeline(" ".join(["go"] * 20), word_s=0.25, gap_s=0.05), speech, "en")
    assert fast.value == pytest.approx(200) and fast.band == "too_fast"
    slow = measure_pace(timeline(" ".join(["go"] * 9), word_s=0.6, gap_s=0.066), speech, "en")
    assert slow.value == pytest.approx(90) and slow.band == "too_slow"


def test_series_follows_the_pace_over_time() -> None:
    # fast for the first 10 s, slow for the next 10 s
    fast = timeline(" ".join(["a"] * 30), word_s=0.3, gap_s=0.033)
    slow = timeline(" ".join(["b"] * 10), start=10.0, word_s=0.6, gap_s=0.4)
    speech = speech_map_from_spans(21.0, [(0.0, 20.0)])
    series = measure_pace(fast + slow, speech, "en").series
    assert series[0].start == 0.0 and series[0].value == pytest.approx(180)
    assert series[-1].value == pytest.approx(60)
    assert all(
        b.start - a.start == pytest.approx(bands.PACE_WINDOW_S / 2)
        for a, b in zip(series, series[1:], strict=False)
    )


def test_no_words_no_band() -> None:
    pace = measure_pace([], speech_map_from_spans(3.0, []), "ko")
    assert pace.value == 0 and pace.band == "none" and pace.series == ()
