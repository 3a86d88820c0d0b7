"""The teacher data's and the evaluation's audio files: 16 kHz mono 16-bit PCM WAV."""
import wave

import torch

SAMPLE_RATE = 16000


def read_wav(path):
    """-> float tensor [N] in [-1, 1).

    Raises ValueError when the file is not 16 kHz mono 16-bit."""
    with wave.open(path, "rb") as w:
        if w.getframerate() != SAMPLE_RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path}: expected 16 kHz mono 16-bit")
        data = w.readframes(w.getnframes())
    return torch.frombuffer(bytearray(data), dtype=torch.int16).float() / 32768.0


def write_wav(path, samples):
    """Writes float samples [N] (clamped to [-1, 1]) as 16 kHz mono 16-bit."""
    pcm = (samples.clamp(-1, 1) * 32767).round().short().numpy().tobytes()
    with wave.open(path, "wb") as o:
        o.setnchannels(1)
        o.setsampwidth(2)
        o.setframerate(SAMPLE_RATE)
        o.writeframes(pcm)
