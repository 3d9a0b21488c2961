"""Session-wide transcription fixtures: the real bundled models, loaded once, and audio made once.

Speech is made with espeak-ng and sox (known text); bad files with ffmpeg and plain bytes.
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pytest

from core.config import Settings, load_settings
from interview.transcribe.engine import Engine, load_engine

JFK_WORDS = {"fellow", "americans", "ask", "not", "what", "your", "country", "can", "do", "for", "you"}

SENTENCES = [
    "Good morning. Um, thank you for inviting me today.",
    "I worked for a steel company for many years, mostly in quality control.",
    "Later I led a team of twelve people, and we built a new inspection process.",
    "We measured every coil before it left the factory.",
    "I also trained the young engineers who joined the team.",
]


def words_of(text: str) -> set[str]:
    return {w.strip(".,!?;:'\"").lower() for w in text.split() if w.strip(".,!?;:'\"")}


def _run(*cmd: str) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


def espeak(text: str, path: Path, rate: int = 150) -> Path:
    _run("espeak-ng", "-v", "en", "-s", str(rate), "-w", str(path), text)
    return path


def answer_wav(
    path: Path, sentences: list[str], pause_s: float = 1.0, *, rate: int = 150, dither: bool = True
) -> Path:
    """Sentences with pauses between them, 16 kHz mono. sox dithers with random noise, so each file
    differs a little from the last; ``dither=False`` makes the same file every time."""
    tmp = path.parent
    silence = tmp / f"{path.stem}_silence.wav"
    _run("sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(silence), "trim", "0", str(pause_s))
    parts: list[str] = []
    for i, s in enumerate(sentences):
        parts += [str(espeak(s, tmp / f"{path.stem}_{i}.wav", rate)), str(silence)]
    _run("sox", *([] if dither else ["-D"]), *parts, "-r", "16000", "-c", "1", "-b", "16", str(path))
    return path


@pytest.fixture(scope="session")
def model_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One data folder for the whole session, so the bundled base model is joined once."""
    return load_settings(data_dir=tmp_path_factory.mktemp("transcribe_data"), whisper_threads=2)


@pytest.fixture(scope="session")
def base_engine(model_settings: Settings) -> Engine:
    return load_engine(model_settings, "base")


@pytest.fixture(scope="session")
def tiny_engine(model_settings: Settings) -> Engine:
    return load_engine(model_settings, "tiny.en")


@pytest.fixture(scope="session")
def jfk(shared_dir: Path) -> Path:
    return shared_dir / "audio" / "jfk.flac"


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("transcribe_audio")


@pytest.fixture(scope="session")
def answer(audio_dir: Path) -> Path:
    """About 25 s of speech in five sentences with 1 s pauses."""
    return answer_wav(audio_dir / "answer.wav", SENTENCES)


@pytest.fixture(scope="session")
def bad_files(audio_dir: Path) -> dict[str, Path]:
    """One file for each kind of bad input, keyed by the error class name expected."""
    d = audio_dir / "bad"
    d.mkdir()
    good = espeak("Good morning. I worked twenty years in quality control.", d / "good.wav")
    flac = d / "good.flac"
    _run("ffmpeg", "-loglevel", "error", "-y", "-i", str(good), "-c:a", "flac", str(flac))
    files: dict[str, Path] = {}
    files["NotAudio"] = d / "notes.wav"
    files["NotAudio"].write_text("this is a text file, not a recording\n" * 20)
    files["EmptyAudio"] = d / "empty.mp3"
    files["EmptyAudio"].write_bytes(b"")
    data = good.read_bytes()
    files["TruncatedAudio"] = d / "truncated.wav"
    files["TruncatedAudio"].write_bytes(data[: len(data) // 2])
    damaged = bytearray(flac.read_bytes())
    rng = random.Random(7)
    for i in range(len(damaged) // 4, 3 * len(damaged) // 4):
        damaged[i] = rng.randrange(256)
    files["CorruptAudio"] = d / "damaged.flac"
    files["CorruptAudio"].write_bytes(bytes(damaged))
    files["NoAudioStream"] = d / "video_only.mp4"
    _run(
        "ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=duration=2:size=64x64:rate=10",
        "-pix_fmt", "yuv420p", str(files["NoAudioStream"]),
    )  # fmt: skip
    files["NoAudioStream_image"] = d / "photo.png"
    _run(
        "ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=64x64", "-frames:v", "1",
        str(files["NoAudioStream_image"]),
    )  # fmt: skip
    files["AudioTooLong"] = d / "long.wav"
    _run(
        "sox",
        "-n",
        "-r",
        "16000",
        "-c",
        "1",
        "-b",
        "16",
        str(files["AudioTooLong"]),
        "synth",
        "12",
        "sine",
        "440",
    )
    files["good"] = good
    files["good_flac"] = flac
    return files
