"""Audio the speech model cannot understand, end to end with the real bundled base model: synthetic
Korean (espeak-ng's Korean voice, which Whisper does not understand) and noise get feedback that says
so, within a decode bounded by the audio's length; clear speech still gets its normal feedback.

Time itself is measured in bench/bench_unclear.py (docs/benchmarks-transcription.md): here the bound
is asserted on what decoding costs (decodes per window, tokens per decode), which load cannot change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from interview.practice.feedback import analyze
from interview.transcribe.audio import decode_audio
from interview.transcribe.confidence import TEMPERATURES, max_new_tokens
from interview.transcribe.engine import Engine
from interview.transcribe.loops import MIN_LETTER_REPEATS, MIN_REPEATS
from interview.transcribe.types import Transcript
from tests.interview.practice.conftest import _run, say, silence

pytestmark = pytest.mark.slow

KOREAN = [
    "저는 이십 년 동안 품질 관리 업무를 맡았습니다.",
    "당시 불량률이 높아서 검사 공정을 새로 만들었습니다.",
    "그 결과 불량이 절반으로 줄었습니다.",
    "어려운 점도 많았지만 팀원들과 함께 해결했습니다.",
]
LETTER_LOOP = re.compile(r"([^\W\d_]{1,4}?)\1{%d,}" % (MIN_LETTER_REPEATS - 1))  # noqa: UP031


@pytest.fixture(scope="module")
def korean_voice(audio_dir: Path) -> Path:
    """About 20 s of espeak-ng Korean, four sentences with short pauses."""
    parts: list[Path] = []
    for i, text in enumerate(KOREAN):
        parts += [say(audio_dir, f"unclear_ko_{i}", text, voice="ko"), silence(audio_dir, 0.6)]
    out = audio_dir / "unclear_ko.wav"
    _run("sox", *parts, "-r", "16000", "-c", "1", "-b", "16", out)
    return out


def _assert_bounded(tr: Transcript) -> None:
    stats = tr.decoding
    assert stats is not None
    # each window is decoded at most once per temperature, each decode writes at most the bound,
    # and the bound follows the audio's length (8 tokens a second, a 30 s window at most)
    assert stats.decodes <= stats.windows * len(TEMPERATURES), stats
    assert 0 < stats.bound <= max_new_tokens(tr.duration), stats
    assert stats.longest <= stats.bound, stats
    assert stats.tokens <= stats.decodes * stats.bound, stats


def _assert_no_loop(tr: Transcript) -> None:
    for seg in tr.segments:
        words = [w.word.strip(".,!?").lower() for w in seg.words]
        runs = [words[i : i + MIN_REPEATS] for i in range(len(words) - MIN_REPEATS + 1)]
        assert not any(len(set(r)) == 1 for r in runs), seg.text
        assert not LETTER_LOOP.search(seg.text), seg.text


@pytest.mark.parametrize("language", ["ko", None])
def test_synthetic_korean_is_unclear_after_a_bounded_decode(
    engine: Engine, korean_voice: Path, language: str | None
) -> None:
    audio = decode_audio(korean_voice)
    tr = engine.transcribe(audio, language=language)
    _assert_bounded(tr)
    _assert_no_loop(tr)  # detected as Thai, the base model looped "บ บ บ …" eighty times
    fb = analyze(audio, tr, language="ko")
    assert fb.unclear and not fb.no_speech, tr.to_dict()
    assert fb.pace.units == 0 and fb.fillers == () and fb.repetitions == ()
    assert [t.code for t in fb.tips][:2] == ["unclear", "unclear_microphone"]
    assert fb.answer_time > 15  # the audio's own measures stay
    assert all(w.uncertain for w in fb.words)
    assert "알아듣지 못했습니다" in fb.tips[0].text("ko") and "마이크" in fb.tips[1].text("ko")


@pytest.mark.parametrize("kind", ["whitenoise", "pinknoise"])
def test_noise_is_never_measured(engine: Engine, audio_dir: Path, kind: str) -> None:
    path = audio_dir / f"unclear_{kind}.wav"
    _run("sox", "-R", "-n", "-r", "16000", "-c", "1", "-b", "16", path, "synth", "8", kind, "vol", "0.5")
    audio = decode_audio(path)
    tr = engine.transcribe(audio, language="ko")
    assert tr.decoding is None or tr.decoding.decodes <= len(TEMPERATURES) * 2
    _assert_no_loop(tr)
    fb = analyze(audio, tr, language="ko")
    assert fb.no_speech or fb.unclear  # either way: check the microphone, and no pace, no fillers
    assert fb.pace.units == 0 and fb.fillers == () and fb.repetitions == ()
    assert any("마이크" in t.text("ko") for t in fb.tips)


def test_clear_speech_still_gets_normal_feedback(engine: Engine, shared_dir: Path) -> None:
    audio = decode_audio(shared_dir / "audio" / "jfk.flac")
    tr = engine.transcribe(audio, language="en")
    _assert_bounded(tr)
    assert tr.decoding is not None and tr.decoding.fallbacks == 0
    assert not any(s.uncertain for s in tr.segments)
    assert all(s.avg_logprob is not None and s.avg_logprob > -1.0 for s in tr.segments)
    fb = analyze(audio, tr)
    assert not fb.unclear and not fb.no_speech and fb.unclear_share < 0.2
    assert fb.pace.unit == "wpm" and fb.pace.units >= 20
    assert "unclear" not in [t.code for t in fb.tips]
