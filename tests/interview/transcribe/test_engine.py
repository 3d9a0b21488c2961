from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.config import Settings, load_settings
from interview.transcribe.engine import Engine, load_engine, thread_split
from interview.transcribe.errors import LanguageNotSupported, NoAudioStream
from interview.transcribe.types import Transcript

from .conftest import JFK_WORDS, SENTENCES, answer_wav, words_of

pytestmark = pytest.mark.slow


def _check_timings(tr: Transcript) -> None:
    words = tr.words
    assert words
    for w in words:
        assert 0 <= w.start <= w.end <= tr.duration + 0.05
        assert 0 <= w.probability <= 1
    starts = [w.start for w in words]
    assert starts == sorted(starts)


def test_jfk_with_bundled_base(base_engine: Engine, jfk: Path) -> None:
    tr = base_engine.transcribe(jfk)
    assert tr.language == "en" and tr.model == "base"
    assert abs(tr.duration - 11.0) < 0.05
    assert words_of(tr.text) >= JFK_WORDS
    _check_timings(tr)
    # "country" is said twice, the second time near the end
    country = [w for w in tr.words if w.word.strip(".,").lower() == "country"]
    assert len(country) == 2 and country[1].start > 8.0


def test_jfk_with_bundled_tiny_en(tiny_engine: Engine, jfk: Path) -> None:
    tr = tiny_engine.transcribe(jfk, language="en")
    assert tr.model == "tiny.en" and tr.language == "en"
    assert len(JFK_WORDS & words_of(tr.text)) >= len(JFK_WORDS) - 1
    _check_timings(tr)


def test_forced_languages(base_engine: Engine, jfk: Path) -> None:
    assert base_engine.transcribe(jfk, language="en").language == "en"
    ko = base_engine.transcribe(jfk, language="ko")
    assert ko.language == "ko" and ko.words  # forced: Whisper writes what it hears under the ko token


def test_english_only_model_refuses_korean(tiny_engine: Engine, jfk: Path) -> None:
    with pytest.raises(LanguageNotSupported):
        tiny_engine.transcribe(jfk, language="ko")


def test_auto_detects_english(base_engine: Engine, answer: Path) -> None:
    tr = base_engine.transcribe(answer, language=None)
    assert tr.language == "en"
    assert {"steel", "quality", "control", "engineers", "factory"} <= words_of(tr.text)


@pytest.mark.parametrize(("pause_s", "rate"), [(1.2, 140), (1.5, 140), (1.2, 160)])
def test_nothing_is_invented_after_the_last_word(
    base_engine: Engine, audio_dir: Path, pause_s: float, rate: int
) -> None:
    # Whisper ends its last segment a little before the padded end of the speech; decoding the bit
    # it left over turned the end of these answers into "Um, so, so, so, so, so, so." or "having a
    # work that would be really important." (made without dither, so the same file every time)
    path = answer_wav(
        audio_dir / f"leftover_{pause_s}_{rate}.wav", SENTENCES, pause_s, rate=rate, dither=False
    )
    tr = base_engine.transcribe(path, language="en")
    assert tr.words[-1].word.strip(".,").lower() == "team"
    # a word may be misheard ("today" as "to play"), but none is added
    assert len(tr.words) <= len(" ".join(SENTENCES).split()) + 2, tr.text


def test_silence_and_noise_give_no_words(base_engine: Engine) -> None:
    rng = np.random.default_rng(3)
    silence = np.zeros(10 * 16000, dtype=np.float32)
    noise = (rng.standard_normal(10 * 16000) * 0.02).astype(np.float32)
    hum = (0.05 * np.sin(2 * np.pi * 60 * np.arange(10 * 16000) / 16000)).astype(np.float32)
    for audio in (silence, noise, hum):
        tr = base_engine.transcribe(audio)
        assert tr.words == [] and tr.text == ""
        assert tr.duration == 10.0


def test_progress_reaches_one(base_engine: Engine, jfk: Path) -> None:
    seen: list[float] = []
    base_engine.transcribe(jfk, language="en", progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_bad_file_raises_audio_error(base_engine: Engine, bad_files: dict[str, Path]) -> None:
    with pytest.raises(NoAudioStream):
        base_engine.transcribe(bad_files["NoAudioStream"])


def test_engine_is_loaded_once(model_settings: Settings, base_engine: Engine) -> None:
    assert load_engine(model_settings, "base") is base_engine


def test_int16_input(tiny_engine: Engine, jfk: Path) -> None:
    from interview.transcribe.audio import decode_audio

    pcm = (decode_audio(jfk) * 32767).astype(np.int16)
    tr = tiny_engine.transcribe(pcm, language="en")
    assert {"country", "americans"} <= words_of(tr.text)


@pytest.mark.parametrize(
    ("threads", "workers", "cores", "expected"),
    [
        (0, 0, 2, (1, 2)),  # the measured best on 2 cores: a decode per core
        (0, 0, 1, (1, 1)),
        (0, 0, 16, (4, 4)),  # at most 4 decodes, the cores shared among them
        (2, 0, 2, (2, 1)),  # threads given: the decodes the cores leave room for
        (1, 0, 2, (1, 2)),
        (0, 1, 2, (2, 1)),  # one decode: all cores on it, as before
        (3, 3, 2, (3, 3)),  # both given: as given
    ],
)
def test_thread_split(
    tmp_path: Path, threads: int, workers: int, cores: int, expected: tuple[int, int]
) -> None:
    settings = load_settings(data_dir=tmp_path, whisper_threads=threads, whisper_workers=workers)
    assert thread_split(settings, cores) == expected
