"""``analyze`` end to end: real audio for the VAD, real or hand-built transcripts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from interview.practice.feedback import analyze
from interview.practice.questions import get_question
from interview.transcribe.audio import decode_audio
from interview.transcribe.engine import Engine
from interview.transcribe.types import Segment, Transcript, Word
from tests.interview.practice.conftest import PauseClip, _run, _seconds, say, silence
from tests.interview.practice.feedback.timeline import timeline, transcript

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="session")
def korean_answer(audio_dir: Path) -> tuple[Path, Transcript, float]:
    """Korean speech (espeak-ng) with a known 2.5 s pause, and a transcript on the same timeline."""
    parts = [
        ("음", 0.8),
        ("그 회사에서 이십 년 동안 품질 관리를 했습니다.", 2.5),
        ("그래서 불량이 절반으로 줄었습니다.", 0.0),
    ]
    files: list[Path] = []
    words: list[Word] = []
    t = 0.0
    pause_start = 0.0
    for i, (text, gap) in enumerate(parts):
        clip = say(audio_dir, f"ko_{i}", text, voice="ko")
        length = _seconds(clip)
        tokens = text.split()
        step = length / len(tokens)
        words += [Word(w, t + k * step, t + (k + 1) * step, 0.9) for k, w in enumerate(tokens)]
        files.append(clip)
        t += length
        if gap:
            if i == 1:
                pause_start = t
            files.append(silence(audio_dir, gap))
            t += gap
    out = audio_dir / "ko_answer.wav"
    _run("sox", *files, out)
    return out, transcript(words, "ko", duration=t), pause_start


def test_korean_answer_end_to_end(korean_answer: tuple[Path, Transcript, float]) -> None:
    path, tr, pause_start = korean_answer
    fb = analyze(decode_audio(path), tr, question=get_question("qc-recurring-defects"))
    assert fb.language == "ko" and not fb.no_speech
    assert [f.text for f in fb.fillers if not f.probable] == ["음"]  # 그 회사에서: a determiner
    (pause,) = fb.pauses
    assert pause.start == pytest.approx(pause_start, abs=0.3) and pause.duration == pytest.approx(
        2.5, abs=0.3
    )
    assert fb.pace.unit == "spm" and fb.pace.units == 1 + 4 + 2 + 1 + 2 + 2 + 3 + 4 + 3 + 3 + 4 + 5
    assert fb.keywords.found == ("불량",) and set(fb.keywords.missing) == {"원인", "분석", "개선"}
    assert fb.structure.parts.keys() >= {"action", "result"}
    data: dict[str, Any] = fb.to_dict()  # JSON-shaped
    assert len(data["tips"]) == 3
    assert all(HANGUL.search(t["text"]) for t in data["tips"])
    assert data["question"]["id"] == "qc-recurring-defects"
    assert [w["filler"] for w in data["words"]][:2] == [True, False]


def test_words_over_silence_are_dropped(pause_clip: PauseClip) -> None:
    audio = decode_audio(pause_clip.path)
    mid = pause_clip.pause_start + 1.0
    invented = Segment(
        mid, mid + 1.0, "Thank you for watching.", (Word("Thank you for watching.", mid, mid + 1.0, 0.3),)
    )
    real = Segment(0.2, 1.0, "Good morning.", (Word("Good", 0.2, 0.5, 0.9), Word("morning.", 0.5, 1.0, 0.9)))
    fb = analyze(audio, Transcript("en", pause_clip.duration, "hand-built", (real, invented)))
    assert fb.text == "Good morning."


def test_silence_with_a_hallucinated_transcript_is_no_speech(silent_file: Path) -> None:
    audio = decode_audio(silent_file)
    hallucinated = Transcript(
        "ko",
        6.0,
        "base",
        (Segment(0.0, 3.0, "시청해주셔서 감사합니다.", (Word("시청해주셔서", 0.0, 1.5, 0.2),)),),
    )
    fb = analyze(audio, hallucinated)
    assert fb.no_speech and fb.text == "" and fb.words == () and fb.fillers == ()
    assert fb.pauses == () and fb.time_to_first_word is None
    assert [t.code for t in fb.tips][0] == "no_speech"


def test_speech_with_an_empty_transcript_is_unclear(pause_clip: PauseClip) -> None:
    # a voice the VAD hears but the speech model wrote nothing for was not understood: not "no speech"
    fb = analyze(decode_audio(pause_clip.path), Transcript("en", pause_clip.duration, "base"))
    assert fb.unclear and not fb.no_speech and fb.text == ""
    assert fb.pace.units == 0 and [t.code for t in fb.tips][:2] == ["unclear", "unclear_microphone"]


def test_segments_without_word_timings_are_spread_evenly() -> None:
    audio = np.zeros(16000 * 4, dtype=np.float32)
    tr = Transcript("en", 4.0, "x", (Segment(0.0, 2.0, "one two three four"),))
    fb = analyze(audio, tr)
    assert fb.no_speech  # the audio is silent, so even a transcript without timings gives no text


@pytest.mark.slow
def test_real_transcript_of_the_pause_answer(pause_clip: PauseClip, engine: Engine) -> None:
    audio = decode_audio(pause_clip.path)
    fb = analyze(
        audio, engine.transcribe(audio, language="en"), question=get_question("proudest-achievement")
    )
    words = fb.text.lower()
    assert "quality control" in words and "defects" in words
    (pause,) = fb.pauses
    assert pause.start == pytest.approx(pause_clip.pause_start, abs=0.3)
    assert pause.duration == pytest.approx(3.0, abs=0.3)
    assert fb.pace.unit == "wpm" and 100 < fb.pace.value < 200
    tip = next(t for t in fb.tips if t.code == "long_pause")
    assert tip.at == pytest.approx(pause.start)
    assert fb.length.band == "too_short"  # 13 s against a suggested 90 s


@pytest.mark.slow
def test_real_human_speech(shared_dir: Path, engine: Engine) -> None:
    """The JFK recording: fluent, no long pause, no filler, a normal pace."""
    audio = decode_audio(shared_dir / "audio" / "jfk.flac")
    fb = analyze(audio, engine.transcribe(audio))
    assert fb.language == "en"
    assert "ask not what your country can do for you" in fb.text.lower()
    assert fb.pauses == () and fb.fillers == () and fb.repetitions == ()
    assert fb.time_to_first_word == pytest.approx(0.3, abs=0.2)
    assert fb.pace.band == "good" and 110 <= fb.pace.value <= 140
    assert "fillers" not in [t.code for t in fb.tips] and "good_pace" in [t.code for t in fb.tips]


def test_a_filler_whisper_left_out_is_a_probable_filler(audio_dir: Path) -> None:
    a = say(audio_dir, "pf_a", "I worked there for ten years.")
    um = say(audio_dir, "pf_um", "um")
    b = say(audio_dir, "pf_b", "I led a team of twelve.")
    out = audio_dir / "probable_filler.wav"
    _run("sox", a, silence(audio_dir, 0.8), um, silence(audio_dir, 0.8), b, out)
    la, lu = _seconds(a), _seconds(um)
    um_start = la + 0.8
    b_start = um_start + lu + 0.8
    # the transcript Whisper gives without a filler prompt: the "um" is missing
    first = timeline("I worked there for ten years.", word_s=la / 6, gap_s=0.0)
    second = timeline("I led a team of twelve.", start=b_start, word_s=0.3, gap_s=0.0)
    fb = analyze(decode_audio(out), transcript(first + second, "en"))
    (probable,) = [f for f in fb.fillers if f.probable]
    assert probable.start == pytest.approx(um_start, abs=0.15)
    assert fb.filler_summary.probable == 1 and fb.filler_summary.count == 0
