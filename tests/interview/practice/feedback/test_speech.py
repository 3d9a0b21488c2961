"""Pauses and voiced time measured on real audio with Silero VAD."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interview.practice.feedback import bands
from interview.practice.feedback.speech import SpeechMap, detect_speech, speech_map_from_spans
from interview.transcribe.audio import decode_audio
from tests.interview.practice.conftest import PauseClip


def test_known_three_second_pause_is_found_within_0_3_s(pause_clip: PauseClip) -> None:
    speech = detect_speech(decode_audio(pause_clip.path))
    pauses = speech.pauses()
    assert len(pauses) == 1, pauses
    (pause,) = pauses
    assert pause.start == pytest.approx(pause_clip.pause_start, abs=0.3)
    assert pause.duration == pytest.approx(pause_clip.pause_length, abs=0.3)
    # short breaths between words are not pauses, and the answer's length is the whole clip
    assert all(s.duration < bands.LONG_PAUSE_S for s in speech.silences() if s != pause)
    assert speech.answer_time == pytest.approx(pause_clip.duration, abs=0.3)
    assert speech.speaking_time == pytest.approx(pause_clip.duration - pause_clip.pause_length, abs=0.4)


def test_time_to_first_word_is_the_leading_silence(late_start_clip: tuple[Path, float]) -> None:
    path, lead = late_start_clip
    speech = detect_speech(decode_audio(path))
    assert speech.first_word == pytest.approx(lead, abs=0.15)
    assert speech.pauses() == []  # a late start is not a pause inside the answer


def test_quiet_room_and_noise_have_no_speech(silent_file: Path, noise_file: Path) -> None:
    for path in (silent_file, noise_file):
        speech = detect_speech(decode_audio(path))
        assert not speech.has_speech, path.name
        assert speech.first_word is None and speech.answer_time == 0.0


def test_all_zero_samples_have_no_speech() -> None:
    speech = detect_speech(np.zeros(16000 * 3, dtype=np.float32))
    assert speech.duration == pytest.approx(3.0)
    assert not speech.has_speech and speech.voiced == ()


def test_silence_after_a_word_covers_stretched_word_timings() -> None:
    speech = speech_map_from_spans(10.0, [(0.0, 2.0), (2.6, 5.0), (8.0, 9.0)])
    # Whisper stretched the word over the silence that follows it (1.5 .. 2.5)
    assert speech.silence_after(1.5, 2.5) == pytest.approx(0.6)
    assert speech.silence_after(4.0, 4.9) == pytest.approx(3.0)
    assert speech.silence_after(0.5, 1.0) == 0.0
    assert [p.start for p in speech.pauses()] == [5.0]


def test_rejects_other_sample_rates() -> None:
    with pytest.raises(ValueError):
        detect_speech(np.zeros(8000, dtype=np.float32), sample_rate=8000)


def test_speech_map_measures() -> None:
    speech = SpeechMap(duration=20.0, voiced=())
    assert speech.speaking_time == 0.0 and speech.silences() == []


def test_loud_noise_blips_are_not_speech(audio_dir: Path) -> None:
    """Pink noise near full scale makes Silero fire for a few hundred ms in about 1 in 10 files."""
    import subprocess

    for i in range(8):
        path = audio_dir / f"loud_noise_{i}.wav"
        subprocess.run(
            [
                "sox",
                "-n",
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "16",
                str(path),
                "synth",
                "6",
                "pinknoise",
                "vol",
                "0.9",
            ],
            check=True,
            capture_output=True,
            timeout=30,
        )
        speech = detect_speech(decode_audio(path))
        assert speech.voiced == (), (i, speech.voiced)


def test_a_lone_filler_between_silences_is_kept(audio_dir: Path) -> None:
    from tests.interview.practice.conftest import _run, say, silence

    um = say(audio_dir, "lone_um", "um")
    out = audio_dir / "lone_um_answer.wav"
    _run("sox", silence(audio_dir, 1.0), um, silence(audio_dir, 1.0), out)
    speech = detect_speech(decode_audio(out))
    (span,) = speech.voiced
    assert span.start == pytest.approx(1.0, abs=0.15) and span.duration < 1.0
