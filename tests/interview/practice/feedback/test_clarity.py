"""An answer the speech model did not understand is *unclear*: it says so, suggests checking the
microphone, and measures no pace, fillers, repetitions or content from the nonsense transcript."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import numpy as np

from interview.practice.feedback import analyze
from interview.practice.feedback.clarity import unclear_share
from interview.practice.feedback.render import render_text
from interview.practice.feedback.speech import SpeechMap, speech_map_from_spans
from interview.transcribe.types import Segment, Transcript
from tests.interview.practice.feedback.timeline import timeline

HANGUL = re.compile(r"[\uac00-\ud7a3]")
SILENT = np.zeros(16000, dtype=np.float32)  # the speech map below stands for the VAD


def _segments(text: str, *, start: float, uncertain: bool, logprob: float) -> Segment:
    words = timeline(text, start=start)
    return Segment(
        words[0].start,
        words[-1].end,
        text,
        tuple(words),
        avg_logprob=logprob,
        no_speech_prob=0.1,
        compression_ratio=1.3,
        uncertain=uncertain,
    )


def _answer(*, unsure: tuple[bool, bool]) -> tuple[Transcript, SpeechMap]:
    # a nonsense transcript of the kind the base model wrote for synthetic Korean: repeated words,
    # a confident-looking syllable count, fillers
    first = _segments(
        "음 그 그 저는 저는 저는 의 의 회사 회사 회사에", start=0.5, uncertain=unsure[0], logprob=-1.4
    )
    second = _segments(
        "어 그러니까 뭐 이제 일 일 했습니다", start=first.end + 0.6, uncertain=unsure[1], logprob=-1.2
    )
    speech = speech_map_from_spans(12.0, [(0.5, first.end), (second.start, second.end)])
    return Transcript("ko", 12.0, "base", (first, second)), speech


def test_mostly_uncertain_speech_is_unclear_and_nothing_is_measured_from_it() -> None:
    tr, speech = _answer(unsure=(True, True))
    fb = analyze(SILENT, tr, keywords=["품질"], speech=speech)
    assert fb.unclear and not fb.no_speech and fb.unclear_share == 1.0
    assert fb.pace.units == 0 and fb.pace.band == "none"
    assert fb.fillers == () and fb.repetitions == ()
    assert fb.keywords.found == () and fb.keywords.missing == () and fb.structure.parts == {}
    # the transcript is still shown, every word marked uncertain
    assert fb.text.startswith("음 그 그 저는") and all(w.uncertain for w in fb.words)
    assert [t.code for t in fb.tips][:2] == ["unclear", "unclear_microphone"]
    data: dict[str, Any] = json.loads(json.dumps(fb.to_dict("ko")))
    assert data["unclear"] is True and data["words"][0]["uncertain"] is True
    assert "알아듣지 못했습니다" in data["tips"][0]["text"] and "마이크" in data["tips"][1]["text"]
    english: Any = fb.to_dict("en")["tips"]
    assert "could not understand" in english[0]["text"] and "microphone" in english[1]["text"]
    text = render_text(fb, "ko")
    assert "재지 않았습니다" in text and "확실하지 않음" in text and "음절" not in text


def test_voice_with_no_text_at_all_is_unclear_not_silent() -> None:
    # espeak-ng's Korean: Silero hears a voice, Whisper skips every window as "no speech"
    speech = speech_map_from_spans(20.0, [(0.2, 9.0), (9.5, 19.0)])
    fb = analyze(SILENT, Transcript("ko", 20.0, "base"), speech=speech)
    assert fb.unclear and not fb.no_speech and fb.words == ()
    assert fb.answer_time > 18 and fb.tips[0].code == "unclear"
    # a lone cough with no text is still "no speech"
    cough = analyze(SILENT, Transcript("ko", 5.0, "base"), speech=speech_map_from_spans(5.0, [(1.0, 1.5)]))
    assert cough.no_speech and not cough.unclear


def test_an_answer_mostly_understood_is_measured_with_its_unsure_part_marked() -> None:
    tr, speech = _answer(unsure=(False, True))
    sure_first = replace(
        tr.segments[0], text="저는 이십 년 동안 품질 관리를 맡았습니다 그래서 불량을 줄였습니다"
    )
    sure_first = replace(sure_first, words=tuple(timeline(sure_first.text, start=0.5)))
    tr = replace(tr, segments=(sure_first, tr.segments[1]))
    assert unclear_share(speech, tr) < 0.5
    fb = analyze(SILENT, tr, speech=speech)
    assert not fb.unclear and fb.pace.units > 0 and fb.pace.unit == "spm"
    unsure = [w.text for w in fb.words if w.uncertain]
    assert unsure == ["어", "그러니까", "뭐", "이제", "일", "일", "했습니다"]
    # repetitions and fillers come from the certain words only ("일 일" is not reported)
    assert all(r.start < sure_first.end for r in fb.repetitions)
    assert all(f.start < sure_first.end for f in fb.fillers if not f.probable)


def test_a_clear_answer_is_not_unclear() -> None:
    words = timeline("Good morning. I worked twenty years in quality control.", start=0.3)
    seg = Segment(words[0].start, words[-1].end, "x", tuple(words), -0.25, 0.01, 1.3, False)
    speech = speech_map_from_spans(6.0, [(0.3, words[-1].end)])
    fb = analyze(SILENT, Transcript("en", 6.0, "base", (seg,)), speech=speech)
    assert not fb.unclear and fb.unclear_share == 0.0 and fb.pace.units > 0
    assert not any(w.uncertain for w in fb.words)
    assert HANGUL.search(fb.to_dict("ko")["tips"][0]["text"])  # type: ignore[index]
