"""openai-whisper (the reference PyTorch implementation) behind the same :class:`Engine` interface.

Optional: ``pip install 'allwork-interview[openai-whisper]'`` and ``ALLWORK_WHISPER_BACKEND=openai-whisper``.
Models are ``.pt`` checkpoints: a path to one, or a name (``base``, ``turbo`` ...) found in
``<data_dir>/models/openai`` or downloaded there where the network allows it. Silence is cut
with the same Silero VAD as the default backend before Whisper sees the audio.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from faster_whisper.vad import SpeechTimestampsMap

from interview.transcribe.audio import SAMPLE_RATE, decode_audio, to_float32
from interview.transcribe.confidence import with_confidence
from interview.transcribe.engine import FILLER_PROMPTS, AudioInput, DecodeOptions, Progress, speech_of
from interview.transcribe.errors import LanguageNotSupported, ModelUnavailable
from interview.transcribe.loops import collapse_loop
from interview.transcribe.types import Segment, Transcript, Word

if TYPE_CHECKING:
    from core.config import Settings

EXTRA = "pip install 'allwork-interview[openai-whisper]' (openai-whisper and torch)"


class OpenAIWhisperEngine:
    def __init__(self, model: Any, *, model_name: str, max_audio_seconds: float | None = None) -> None:
        self._model = model
        self.model_name = model_name
        self.max_audio_seconds = max_audio_seconds
        self.multilingual = bool(model.is_multilingual)
        #: temperature fallback steps of openai-whisper's decoder
        self.temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
        self._lock = threading.Lock()  # a torch module is not safe to share between threads
        self.load_seconds = 0.0

    @classmethod
    def load(cls, name: str, settings: Settings) -> OpenAIWhisperEngine:
        try:
            import whisper
        except ImportError:
            raise ModelUnavailable(
                f"ALLWORK_WHISPER_BACKEND=openai-whisper needs the extra: {EXTRA}"
            ) from None
        started = time.perf_counter()
        root = Path(settings.data_dir) / "models" / "openai"
        path = Path(name).expanduser()
        device = "cuda" if settings.whisper_device in ("auto", "cuda") and _cuda() else "cpu"
        if path.is_file():
            model = whisper.load_model(str(path), device=device)
            label = path.stem
        elif name in whisper.available_models():
            cached = root / f"{name}.pt"
            if not cached.is_file() and os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
                raise ModelUnavailable(
                    f"openai-whisper model {name!r} is not in {root} and downloads are off: "
                    "put the .pt file there or set ALLWORK_WHISPER_MODEL to its path"
                )
            try:
                model = whisper.load_model(name, device=device, download_root=str(root))
            except Exception as exc:  # noqa: BLE001 - network errors of urllib
                raise ModelUnavailable(
                    f"openai-whisper model {name!r} could not be downloaded into {root} "
                    f"({type(exc).__name__}): "
                    "set ALLWORK_WHISPER_MODEL to a .pt checkpoint path"
                ) from exc
            label = name
        else:
            raise ModelUnavailable(
                f"openai-whisper model {name!r} is neither a .pt file nor one of {whisper.available_models()}"
            )
        engine = cls(model, model_name=label, max_audio_seconds=settings.max_audio_seconds)
        engine.load_seconds = time.perf_counter() - started
        return engine

    def transcribe(
        self,
        audio: AudioInput,
        *,
        language: str | None = None,
        initial_prompt: str | None = None,
        progress: Progress | None = None,
    ) -> Transcript:
        samples = (
            to_float32(audio)
            if isinstance(audio, np.ndarray)
            else decode_audio(audio, max_seconds=self.max_audio_seconds)
        )
        duration = len(samples) / SAMPLE_RATE
        lang = None if language in (None, "", "auto") else language
        if lang is not None and not self.multilingual and lang != "en":
            raise LanguageNotSupported(lang, self.model_name)
        chunks, speech = speech_of(samples, DecodeOptions().vad())
        if speech is None:
            return Transcript(lang or "en", duration, self.model_name, ())
        times = SpeechTimestampsMap(chunks, SAMPLE_RATE)
        prompt = initial_prompt if initial_prompt is not None else FILLER_PROMPTS.get(lang or "")
        with self._lock:
            result = self._model.transcribe(
                speech,
                language=lang,
                initial_prompt=prompt,
                word_timestamps=True,
                condition_on_previous_text=True,
                fp16=False,
                temperature=self.temperatures,
                verbose=None,
            )

        def at(t: float, *, is_end: bool = False) -> float:
            # Whisper's 30 s windows can time the last tokens past the audio's end: keep times inside it
            return min(duration, max(0.0, times.get_original_time(t, is_end=is_end)))

        segments = []
        for seg in result["segments"]:
            words = tuple(
                Word(
                    str(w["word"]).strip(),
                    at(float(w["start"])),
                    at(float(w["end"]), is_end=True),
                    float(w["probability"]),
                )
                for w in seg.get("words", ())
                if str(w["word"]).strip()
            )
            start = at(float(seg["start"]))
            end = at(float(seg["end"]), is_end=True)
            plain = collapse_loop(Segment(start, end, str(seg["text"]).strip(), words))
            scores = (seg.get("avg_logprob"), seg.get("no_speech_prob"), seg.get("compression_ratio"))
            segments.append(with_confidence(plain, *(None if v is None else float(v) for v in scores)))
            if progress is not None and duration:
                progress(min(1.0, end / duration))
        return Transcript(
            str(result.get("language") or lang or "en"), duration, self.model_name, tuple(segments)
        )


def _cuda() -> bool:
    try:
        import torch

        return bool(torch.cuda.is_available())
    except ImportError:
        return False
