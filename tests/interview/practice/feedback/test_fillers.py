"""Fillers: Korean told apart from the same syllables in ordinary words; English from real speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview.practice.feedback import analyze
from interview.practice.feedback.fillers import (
    english_fillers,
    find_fillers,
    korean_fillers,
    probable_fillers,
    summarise,
)
from interview.practice.feedback.speech import speech_map_from_spans
from interview.transcribe.audio import decode_audio
from interview.transcribe.engine import Engine
from interview.transcribe.types import Word
from tests.interview.practice.feedback.timeline import timeline


def _texts(words: list[Word]) -> list[str]:
    return [f.text for f in korean_fillers(words)]


# --- Korean ---------------------------------------------------------------------------------------
def test_determiner_before_a_noun_is_not_a_filler() -> None:
    assert _texts(timeline("그 회사에서 이십 년 동안 품질 관리를 했습니다.")) == []
    assert _texts(timeline("저 회사는 규모가 작습니다.")) == []


def test_geu_before_a_pronoun_or_with_an_ellipsis_is_a_filler() -> None:
    assert _texts(timeline("그 제가 그 회사에서 일할 때")) == ["그"]  # second 그 is a determiner
    assert _texts(timeline("그... 제가 일할 때")) == ["그"]


def test_geu_followed_by_a_hesitation_is_a_filler() -> None:
    words = timeline("제가 그 회사에서 일했습니다", pauses={1: 0.8})
    assert [(f.text, f.start) for f in korean_fillers(words)] == [("그", words[1].start)]


def test_hesitation_heard_by_the_vad_counts_even_when_whisper_stretched_the_word() -> None:
    # Whisper's timings leave no gap after 그 (the word is stretched), but the audio has 0.7 s of silence
    words = [Word("제가", 0.0, 0.4, 0.9), Word("그", 0.45, 1.5, 0.9), Word("회사에서", 1.5, 2.1, 0.9)]
    speech = speech_map_from_spans(3.0, [(0.0, 0.75), (1.45, 2.1)])
    assert [f.text for f in korean_fillers(words, speech)] == ["그"]
    assert korean_fillers(words) == []  # without the audio the determiner reading wins


def test_interjections_are_fillers_and_words_that_contain_them_are_not() -> None:
    assert _texts(timeline("음 저는 어 공장에서 일했습니다")) == ["음", "어"]
    assert _texts(timeline("어제 아침에 음식을 준비했습니다")) == []  # 어제, 아침, 음식 contain 어/아/음
    assert _texts(timeline("어어 그게 말이죠")) == ["어"]


def test_jeo_as_interjection_vs_pronoun_and_determiner() -> None:
    assert _texts(timeline("저 그게 제가 맡은 일이었습니다")) == ["저"]
    assert _texts(timeline("저는 저희 팀을 이끌었습니다")) == []


def test_ije_narrating_the_past_is_a_filler_but_now_is_not() -> None:
    assert _texts(timeline("이제 제가 그 회사에 들어갔습니다.")) == ["이제"]
    assert _texts(timeline("이제 시작하겠습니다.")) == []


def test_adverbs_count_only_with_a_hesitation() -> None:
    assert _texts(timeline("약간 긴장했습니다")) == []
    assert _texts(timeline("약간 그 긴장을 했습니다", pauses={0: 0.6})) == ["약간", "그"]
    assert _texts(timeline("그러니까 저는 관리했습니다")) == []
    assert _texts(timeline("그러니까, 저는 관리했습니다")) == ["그러니까"]
    assert _texts(timeline("막 뛰어갔습니다")) == []


def test_phrase_fillers_and_polite_opening() -> None:
    assert _texts(timeline("그 뭐냐 그 장비를 고쳤습니다")) == ["그 뭐냐"]
    assert _texts(timeline("네 저는 품질 관리를 했습니다")) == []  # 네 opening the answer is polite
    assert "뭐" in _texts(timeline("저는 뭐 그런 일을 했습니다"))


def test_find_fillers_dispatches_on_language() -> None:
    assert [f.text for f in find_fillers(timeline("음 저는"), "ko")] == ["음"]
    assert [f.text for f in find_fillers(timeline("Um, I worked"), "en")] == ["um"]


# --- English rules ------------------------------------------------------------------------------
def test_english_fillers_in_context() -> None:
    got = [
        f.text
        for f in english_fillers(timeline("Um, I worked there, like, ten years, uh, you know, in sales."))
    ]
    assert got == ["um", "like", "uh", "you know"]
    assert english_fillers(timeline("I like my job and you know the answer. So I stayed.")) == []
    assert [f.text for f in english_fillers(timeline("Well, I mean, it was hard."))] == ["i mean"]
    assert [
        f.text for f in english_fillers(timeline("It was, well, hard, and we won as well, I think."))
    ] == ["well"]
    assert english_fillers(timeline("And so, my fellow Americans, ask not.")) == []


def test_probable_filler_is_voice_no_word_covers() -> None:
    words = [Word("I", 0.0, 0.3, 0.9), Word("worked", 0.3, 0.9, 0.9), Word("there.", 2.2, 2.8, 0.9)]
    speech = speech_map_from_spans(4.0, [(0.0, 0.9), (1.3, 1.7), (2.2, 2.8)])
    (probable,) = probable_fillers(words, speech, [])
    assert probable.probable and probable.start == pytest.approx(1.3)
    # a stretch that a transcribed word covers is not one
    assert probable_fillers([*words, Word("um", 1.3, 1.7, 0.5)], speech, []) == []


def test_rate_per_minute_and_band() -> None:
    fillers = english_fillers(timeline("um uh um uh um uh"))
    summary = summarise(fillers, minutes=0.5)
    assert summary.count == 6 and summary.per_minute == pytest.approx(12.0)
    assert summary.band == "noticeable"
    assert summarise(fillers, minutes=0.25).band == "too_many"
    assert summary.by_word == {"um": 3, "uh": 3}


# --- real speech ------------------------------------------------------------------------------------
@pytest.mark.slow
def test_spoken_fillers_are_counted(filler_clip: tuple[Path, int], engine: Engine) -> None:
    path, spoken = filler_clip
    audio = decode_audio(path)
    fb = analyze(audio, engine.transcribe(audio, language="en"), language="en")
    sure = [f for f in fb.fillers if not f.probable]
    # espeak says "um, uh, um, er, uh"; the filler prompt makes Whisper keep them (er may come out as uh)
    assert len(sure) >= spoken - 1, fb.text
    assert all(f.text in ("um", "uh", "er") for f in sure)
    starts = [f.start for f in sure]
    assert starts == sorted(starts) and 0.5 < starts[0] < 2.5  # "Um" follows "Good morning."
    assert fb.filler_summary.per_minute == pytest.approx(len(sure) / (fb.answer_time / 60), rel=0.01)
    assert fb.filler_summary.band == "too_many"
    assert any(t.code == "fillers" for t in fb.tips)
