"""Three tips, most useful first, each pointing to a moment of the answer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from interview.practice.feedback import analyze
from interview.practice.feedback.speech import speech_map_from_spans
from interview.practice.feedback.tips import MAX_TIPS
from interview.practice.questions import get_question
from tests.interview.practice.feedback.timeline import timeline, transcript

SILENT = np.zeros(16000, dtype=np.float32)  # the VAD result is given; the samples are not read


def _feedback(
    text: str, spans: list[tuple[float, float]], duration: float, language: str = "en", **kw: object
):  # noqa: ANN202
    words = timeline(text, start=spans[0][0], **kw)  # type: ignore[arg-type]
    speech = speech_map_from_spans(duration, spans)
    return analyze(SILENT, transcript(words, language, duration), language=language, speech=speech)


def test_a_very_long_pause_and_many_fillers_come_first() -> None:
    text = "Um, I worked uh twenty years um in sales uh and um I led a team uh of ten."
    words = timeline(text)  # 18 words, 0 .. 7.2 s
    mid = words[8].end
    late = timeline(" ".join(w.word for w in words[9:]), start=mid + 4.0)
    speech = speech_map_from_spans(20.0, [(0.0, mid), (mid + 4.0, late[-1].end)])
    fb = analyze(SILENT, transcript(words[:9] + late, "en", 20.0), speech=speech)
    codes = [t.code for t in fb.tips]
    assert codes[:2] == ["long_pause", "fillers"]
    assert fb.tips[0].at == pytest.approx(mid)
    assert fb.tips[1].at == pytest.approx(words[0].start)
    assert len(fb.tips) == MAX_TIPS and len(set(codes)) == MAX_TIPS


def test_every_tip_points_inside_the_answer() -> None:
    fb = _feedback(
        "I checked every part before shipping and we had no returns that year.", [(2.0, 8.0)], 10.0
    )
    assert 1 <= len(fb.tips) <= MAX_TIPS
    assert all(0.0 <= t.at <= fb.duration for t in fb.tips)


def test_a_clean_answer_gets_encouragement() -> None:
    fb = _feedback(
        "At my last company there was a problem with returns. I was responsible for quality. "
        "So I introduced a checklist. As a result, returns fell by half.",
        [(0.5, 11.0)],
        12.0,
        word_s=0.3,
        gap_s=0.1,
    )
    codes = {t.code for t in fb.tips}
    assert codes <= {"good_pace", "few_fillers", "good_structure", "keep_practicing", "all_keywords"}
    assert "good_pace" in codes


def test_short_answer_missing_keywords_in_korean() -> None:
    words = timeline("저는 성실하게 일했습니다.", start=0.5, word_s=0.85)
    speech = speech_map_from_spans(10.0, [(0.5, words[-1].end)])
    fb = analyze(SILENT, transcript(words, "ko", 10.0), question=get_question("strengths"), speech=speech)
    codes = [t.code for t in fb.tips]
    assert codes[0] == "too_short" and "keywords" in codes
    data: dict[str, Any] = fb.to_dict()  # JSON-shaped
    tip = data["tips"][0]
    assert "초" in tip["text"] and tip["params"]["suggested"] == 60


def test_no_speech_says_so() -> None:
    fb = analyze(SILENT, transcript([], "en", 1.0), language="en", speech=speech_map_from_spans(1.0, []))
    assert [t.code for t in fb.tips] == ["no_speech", "no_speech_retry"]
    assert "did not hear any speech" in fb.tips[0].text("en")
    assert "말소리가 들리지 않았습니다" in fb.tips[0].text("ko")


def test_slow_start_is_noticed() -> None:
    fb = _feedback("I am ready.", [(7.0, 8.2)], 9.0)
    assert "slow_start" in [t.code for t in fb.tips]
