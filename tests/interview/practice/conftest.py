"""Session-wide real audio (made once with espeak-ng and sox) and one real Whisper engine.

Speech is espeak-ng's English voice; silences of a known length are inserted with sox
after trimming espeak's own lead-in and tail, so every silence's true start and length
are known to the sample.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.config import Settings, load_settings
from interview.transcribe.engine import Engine, load_engine

RATE = 22050  # espeak-ng's rate; the analysis decodes everything to 16 kHz


@dataclass(frozen=True)
class PauseClip:
    path: Path
    pause_start: float
    pause_length: float
    duration: float


def _run(*cmd: str | os.PathLike[str]) -> None:
    subprocess.run([str(c) for c in cmd], check=True, capture_output=True, timeout=60)


def _seconds(path: Path) -> float:
    out = subprocess.run(["soxi", "-D", str(path)], check=True, capture_output=True, text=True, timeout=30)
    return float(out.stdout.strip())


def say(folder: Path, name: str, text: str, *, speed: int = 140, voice: str = "en") -> Path:
    """``text`` spoken by espeak-ng, with its leading and trailing silence trimmed off."""
    raw, out = folder / f"{name}.raw.wav", folder / f"{name}.wav"
    _run("espeak-ng", "-v", voice, "-s", str(speed), "-w", raw, text)
    _run(
        "sox", raw, out, "silence", "1", "0.02", "0.5%", "reverse", "silence", "1", "0.02", "0.5%", "reverse"
    )
    return out


def silence(folder: Path, seconds: float) -> Path:
    path = folder / f"silence_{seconds:g}.wav"
    if not path.exists():
        _run("sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", path, "trim", "0", str(seconds))
    return path


@pytest.fixture(scope="session")
def audio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("practice_audio")


@pytest.fixture(scope="session")
def pause_clip(audio_dir: Path) -> PauseClip:
    """An answer with exactly 3.0 s of silence between two sentences."""
    a = say(
        audio_dir, "pause_a", "Good morning. I worked twenty years in quality control at a car parts factory."
    )
    b = say(audio_dir, "pause_b", "I led a team of twelve inspectors, and we cut defects by half.")
    out = audio_dir / "pause_answer.wav"
    _run("sox", a, silence(audio_dir, 3.0), b, out)
    return PauseClip(out, pause_start=_seconds(a), pause_length=3.0, duration=_seconds(out))


@pytest.fixture(scope="session")
def late_start_clip(audio_dir: Path) -> tuple[Path, float]:
    """Speech that begins after 1.5 s of silence."""
    a = say(audio_dir, "late", "I am ready to start whenever you need me.")
    out = audio_dir / "late_start.wav"
    _run("sox", silence(audio_dir, 1.5), a, out)
    return out, 1.5


@pytest.fixture(scope="session")
def filler_clip(audio_dir: Path) -> tuple[Path, int]:
    """Five spoken fillers (um, uh, um, er, uh) in a short answer."""
    text = (
        "Good morning. Um, I worked twenty years in quality control. Uh, I led a team of twelve people, "
        "and, um, we cut defects by half. Er, I think I can, uh, help your company."
    )
    return say(audio_dir, "fillers", text), 5


@pytest.fixture(scope="session")
def silent_file(audio_dir: Path) -> Path:
    """A microphone left on in a quiet room: a faint noise floor and nothing said."""
    path = audio_dir / "quiet_room.wav"
    _run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", path, "synth", "6", "whitenoise", "vol", "0.003")
    return path


@pytest.fixture(scope="session")
def digital_silence(audio_dir: Path) -> Path:
    """A muted microphone: every sample zero."""
    path = audio_dir / "muted.wav"
    _run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", path, "trim", "0", "5")
    return path


@pytest.fixture(scope="session")
def noise_file(audio_dir: Path) -> Path:
    """Loud noise and no speech (a fan, a hiss)."""
    path = audio_dir / "noise.wav"
    _run("sox", "-n", "-r", "16000", "-c", "1", "-b", "16", path, "synth", "6", "pinknoise", "vol", "0.5")
    return path


@pytest.fixture(scope="session")
def practice_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the whole session (the Whisper engine is cached per data folder)."""
    data = tmp_path_factory.mktemp("practice_data")
    with pytest.MonkeyPatch.context() as mp:
        for name in list(os.environ):
            if name.startswith("ALLWORK_") and not name.startswith("ALLWORK_TEST_"):
                mp.delenv(name)
        return load_settings(data_dir=data)


@pytest.fixture(scope="session")
def engine(practice_settings: Settings) -> Engine:
    """The real bundled multilingual base model, loaded once."""
    return load_engine(practice_settings)
