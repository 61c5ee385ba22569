"""16-bit mono PCM helpers: resampling (soxr), levels, WAV files, fixed-size frames, and decoding
any audio PyAV reads (WeChat's AMR and speex voice messages) to PCM."""
from __future__ import annotations

import io
import math
import wave
from pathlib import Path
from typing import Iterator, Tuple, Union

import numpy as np
import soxr


def to_float(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0


def to_pcm(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def resample(pcm: bytes, rate_in: int, rate_out: int) -> bytes:
    """Whole-buffer resampling (prompts, recordings)."""
    if rate_in == rate_out or not pcm:
        return pcm
    return to_pcm(soxr.resample(to_float(pcm), rate_in, rate_out, quality="HQ"))


class StreamResampler:
    """Chunk-by-chunk resampling of one call's audio, with no clicks between chunks."""

    def __init__(self, rate_in: int, rate_out: int):
        self.rate_in, self.rate_out = rate_in, rate_out
        self._stream = None if rate_in == rate_out else soxr.ResampleStream(rate_in, rate_out, 1, dtype="int16")
        self._odd = b""

    def feed(self, pcm: bytes, last: bool = False) -> bytes:
        pcm = self._odd + pcm
        if len(pcm) % 2:
            pcm, self._odd = pcm[:-1], pcm[-1:]
        else:
            self._odd = b""
        if self._stream is None:
            return pcm
        samples = np.frombuffer(pcm, dtype="<i2")
        return self._stream.resample_chunk(samples, last=last).astype("<i2").tobytes()


def level_db(pcm: bytes) -> float:
    """RMS level in dBFS (-100 for digital silence)."""
    if len(pcm) < 2:
        return -100.0
    samples = np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float64)
    rms = math.sqrt(float(np.mean(samples * samples))) / 32768.0
    return 20.0 * math.log10(rms) if rms > 1e-5 else -100.0


def duration_s(pcm: bytes, rate: int) -> float:
    return len(pcm) / 2.0 / rate


def frames(pcm: bytes, size: int, pad: bool = True) -> Iterator[bytes]:
    """Fixed-size frames; the last one padded with silence (AudioSocket wants whole 320-byte frames)."""
    for start in range(0, len(pcm), size):
        chunk = pcm[start:start + size]
        if len(chunk) < size:
            if not pad:
                return
            chunk = chunk + b"\x00" * (size - len(chunk))
        yield chunk


def silence(seconds: float, rate: int) -> bytes:
    return b"\x00\x00" * int(round(seconds * rate))


def read_wav(source: Union[str, Path, bytes]) -> Tuple[bytes, int]:
    """PCM (mono, 16-bit) and sample rate of a WAV file; stereo is mixed down."""
    handle = wave.open(io.BytesIO(source) if isinstance(source, bytes) else str(source), "rb")
    with handle:
        rate, channels, width = handle.getframerate(), handle.getnchannels(), handle.getsampwidth()
        data = handle.readframes(handle.getnframes())
    if width != 2:
        raise ValueError(f"only 16-bit WAV is supported, got {8 * width}-bit")
    if channels > 1:
        samples = np.frombuffer(data, dtype="<i2").reshape(-1, channels).mean(axis=1)
        data = samples.astype("<i2").tobytes()
    return data, rate


def wav_bytes(pcm: bytes, rate: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm)
    return buffer.getvalue()


class WavWriter:
    """A WAV file that grows while the call goes on and is valid after close()."""

    def __init__(self, path: Path, rate: int):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._wave = wave.open(str(path), "wb")
        self._wave.setnchannels(1)
        self._wave.setsampwidth(2)
        self._wave.setframerate(rate)
        self.bytes_written = 0

    def write(self, pcm: bytes) -> None:
        if self._wave is not None and pcm:
            self._wave.writeframes(pcm)
            self.bytes_written += len(pcm)

    def close(self) -> None:
        if self._wave is not None:
            self._wave.close()
            self._wave = None


class UnreadableAudio(ValueError):
    """The downloaded media is not audio PyAV can decode."""


def decode_to_pcm(audio: bytes, rate: int = 16000) -> bytes:
    """Any container/codec PyAV reads (WeChat: AMR-NB, speex) → mono 16-bit PCM at `rate`."""
    import av   # only the processes that decode voice messages load PyAV
    try:
        with av.open(io.BytesIO(audio)) as container:
            resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
            pcm = bytearray()
            for frame in container.decode(audio=0):
                for converted in resampler.resample(frame):
                    pcm += bytes(converted.planes[0])[: converted.samples * 2]
            for converted in resampler.resample(None):
                pcm += bytes(converted.planes[0])[: converted.samples * 2]
    except (av.FFmpegError, ValueError, IndexError) as exc:
        raise UnreadableAudio(str(exc)) from exc
    return bytes(pcm)
