"""Silero VAD (the ONNX model faster-whisper bundles), fed incrementally while audio arrives.

faster-whisper runs the model over a whole file at once; the model is recurrent (state
``h``/``c``) and each 512-sample window also sees the 64 samples before it, so carrying the
state and that context across calls gives the same speech probabilities window by window.
"""

from __future__ import annotations

import numpy as np

WINDOW = 512  # samples per decision at 16 kHz (32 ms)
CONTEXT = 64
WINDOW_SECONDS = WINDOW / 16000


class StreamingVad:
    """Speech probability per 32 ms window, for audio given in pieces of any length."""

    def __init__(self) -> None:
        from faster_whisper.vad import get_vad_model

        self._session = get_vad_model().session
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT, dtype=np.float32)
        self._rest = np.zeros(0, dtype=np.float32)
        #: windows decided so far
        self.windows = 0

    def process(self, samples: np.ndarray) -> np.ndarray:
        """Probabilities for every complete window the new samples finish (possibly none)."""
        data = np.concatenate([self._rest, samples.astype(np.float32, copy=False)])
        n = len(data) // WINDOW
        self._rest = data[n * WINDOW :]
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        windows = data[: n * WINDOW].reshape(n, WINDOW)
        contexts = np.empty((n, CONTEXT), dtype=np.float32)
        contexts[0] = self._context
        contexts[1:] = windows[:-1, -CONTEXT:]
        self._context = windows[-1, -CONTEXT:].copy()
        batch = np.concatenate([contexts, windows], axis=1)
        out, self._h, self._c = self._session.run(None, {"input": batch, "h": self._h, "c": self._c})
        self.windows += n
        return np.asarray(out, dtype=np.float32).reshape(-1)
