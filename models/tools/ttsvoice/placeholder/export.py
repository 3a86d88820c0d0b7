"""Build the UNTRAINED placeholder TTS model and write model.pt + manifest.json into the bundle (default
models/placeholder).

The model produces no speech: deterministic tones shaped by the input symbols.
It exists only to exercise the batched inference path of the workers.

usage: python3 -m ttsvoice.placeholder.export [--bundle DIR]
Run via models/placeholder/tools/make-bundle (uses /usr/bin/python3, torch >= 1.13). Run it as a module (-m): the
model class then lives in __main__, which TorchScript names `__torch__.PlaceholderTTS` in the file.
"""
import argparse
import hashlib
import os
import sys
from typing import List, Tuple

# TorchScript serializes module __constants__ in set-iteration order, which depends on
# Python's string hash seed. Pin it so model.pt (and hence the version) is byte-reproducible.
if __name__ == "__main__" and os.environ.get("PYTHONHASHSEED") != "0":
    os.environ["PYTHONHASHSEED"] = "0"
    os.execv(sys.executable, [sys.executable, "-m", "ttsvoice.placeholder.export"] + sys.argv[1:])

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ttsvoice import manifest as manifests
from ttsvoice.placeholder import BUNDLE_DIR

SAMPLE_RATE = 16000
HOP_LENGTH = 200
MAX_PHONES = 400
EMB_DIM = 32
KERNEL = 5
FADE = 16  # samples of linear fade-in/out at each frame edge

LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
DIGITS = [str(d) for d in range(10)]
PUNCT = [".", ",", "?", "!", "'", "-", ":", ";"]
PHONE_SET: List[str] = ["<pad>", " "] + LETTERS + DIGITS + PUNCT
SPEAKERS: List[str] = ["default"]


def base_duration(sym: str) -> int:
    """Base number of frames (at speed 1.0) per symbol."""
    if sym == "<pad>":
        return 0
    if sym == " ":
        return 3
    if sym in (".", "?", "!", ":", ";"):
        return 14
    if sym in (",", "-", "'"):
        return 8
    return 6  # letters and digits


class PlaceholderTTS(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.sample_rate = SAMPLE_RATE
        self.hop_length = HOP_LENGTH
        self.num_symbols = len(PHONE_SET)
        self.num_speakers = len(SPEAKERS)
        self.emb_dim = EMB_DIM
        self.fade = FADE
        self.embedding = nn.Embedding(self.num_symbols, EMB_DIM)
        self.speaker_embedding = nn.Embedding(self.num_speakers, EMB_DIM)
        self.conv1 = nn.Conv1d(EMB_DIM, EMB_DIM, KERNEL, padding=KERNEL // 2)
        self.conv2 = nn.Conv1d(EMB_DIM, EMB_DIM, KERNEL, padding=KERNEL // 2)
        # per-frame projection to (pitch logit, amplitude logit)
        self.proj = nn.Linear(EMB_DIM, 2)
        self.register_buffer(
            "base_durations",
            torch.tensor([base_duration(s) for s in PHONE_SET], dtype=torch.int64),
        )

    @torch.jit.export
    def acoustic(
        self, phones: Tensor, lengths: Tensor, speaker: Tensor, speed: Tensor
    ) -> Tuple[Tensor, Tensor, Tensor]:
        """phones [B,T] int64, lengths [B] int64, speaker [B] int64, speed [B] float32
        -> (features [B,F,C] float32, frame_lengths [B] int64, durations [B,T] int64)"""
        B = phones.size(0)
        T = phones.size(1)
        lengths = lengths.clamp(0, T)
        pos = torch.arange(T, dtype=torch.int64, device=phones.device).unsqueeze(0)
        mask = pos < lengths.unsqueeze(1)  # [B,T]
        ids = phones.clamp(0, self.num_symbols - 1)
        ids = torch.where(mask, ids, torch.zeros_like(ids))
        spk = speaker.clamp(0, self.num_speakers - 1)
        speed = speed.to(torch.float32).clamp(0.25, 4.0)

        # durations
        base = self.base_durations[ids].to(torch.float32)  # [B,T]
        dur = torch.round(base / speed.unsqueeze(1)).to(torch.int64)
        real = mask & (ids != 0)
        dur = torch.where(real, dur.clamp(min=1), torch.zeros_like(dur))

        # encoder (pads zeroed before every conv so neighbours cannot leak in)
        m = mask.to(torch.float32).unsqueeze(1)  # [B,1,T]
        x = self.embedding(ids) + self.speaker_embedding(spk).unsqueeze(1)  # [B,T,C]
        x = x.transpose(1, 2) * m  # [B,C,T]
        x = torch.tanh(self.conv1(x)) * m
        x = (x + torch.tanh(self.conv2(x))) * m
        h = x.transpose(1, 2)  # [B,T,C]

        # length regulation, per item
        frame_lengths = dur.sum(dim=1)
        max_frames = int(frame_lengths.max().item()) if B > 0 else 0
        out: List[Tensor] = []
        for b in range(B):
            fb = torch.repeat_interleave(h[b], dur[b], dim=0)  # [F_b,C]
            out.append(F.pad(fb, [0, 0, 0, max_frames - fb.size(0)]))
        if B > 0:
            feats = torch.stack(out, dim=0)
        else:
            feats = torch.zeros(0, 0, self.emb_dim, dtype=torch.float32, device=phones.device)
        return feats, frame_lengths, dur

    @torch.jit.export
    def vocoder(self, features: Tensor, frame_lengths: Tensor) -> Tuple[Tensor, Tensor]:
        """features [B,F,C] float32, frame_lengths [B] int64
        -> (wave [B,N] float32 in [-0.3,0.3], wave_lengths [B] int64), N = F * hop"""
        B = features.size(0)
        Fr = features.size(1)
        hop = self.hop_length
        frame_lengths = frame_lengths.clamp(0, Fr)
        p = self.proj(features)  # [B,F,2]
        freq = 120.0 + 280.0 * torch.sigmoid(p[:, :, 0])  # Hz, [B,F]
        amp = 0.15 + 0.15 * torch.sigmoid(p[:, :, 1])  # [B,F]
        fmask = torch.arange(Fr, device=features.device).unsqueeze(0) < frame_lengths.unsqueeze(1)
        freq = torch.where(fmask, freq, torch.zeros_like(freq))
        amp = torch.where(fmask, amp, torch.zeros_like(amp))

        # Frame-local synthesis: each frame is a tone that starts at phase 0 and is faded
        # in/out linearly over FADE samples. Nothing accumulates across frames, so tiny
        # numeric differences in the features (e.g. batched vs. single conv kernels) stay tiny
        # in the wave instead of drifting into the phase of later samples.
        two_pi = 6.283185307179586
        k = torch.arange(hop, dtype=torch.float32, device=features.device)  # [hop]
        phase = (freq * (two_pi / float(self.sample_rate))).unsqueeze(2) * k.view(1, 1, hop)
        fade = torch.clamp(torch.minimum(k + 1.0, float(hop) - k) / float(self.fade), max=1.0)
        wave = torch.sin(phase) * amp.unsqueeze(2) * fade.view(1, 1, hop)  # [B,F,hop]
        wave = wave.reshape(B, Fr * hop)
        return wave, frame_lengths * hop

    def forward(
        self, phones: Tensor, lengths: Tensor, speaker: Tensor, speed: Tensor
    ) -> Tuple[Tensor, Tensor, Tensor]:
        feats, frame_lengths, dur = self.acoustic(phones, lengths, speaker, speed)
        wave, wave_lengths = self.vocoder(feats, frame_lengths)
        return wave, wave_lengths, dur


def build() -> nn.Module:
    torch.manual_seed(0)
    model = PlaceholderTTS()
    model.eval()
    for p in model.parameters():  # inference-only: outputs carry no autograd graph
        p.requires_grad_(False)
    return model


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", default=BUNDLE_DIR, help="the bundle directory (default models/placeholder)")
    bundle = ap.parse_args().bundle
    model = build()
    n_params = sum(p.numel() for p in model.parameters())
    scripted = torch.jit.script(model)
    model_path = os.path.join(bundle, "model.pt")
    scripted.save(model_path)
    with open(model_path, "rb") as f:
        data = f.read()
    version = hashlib.sha256(data).hexdigest()[:16]

    manifest = {
        "name": "placeholder",
        "version": version,
        "file": "model.pt",
        "sample_rate": SAMPLE_RATE,
        "hop_length": HOP_LENGTH,
        "frontend": "graphemes",
        "phone_set": PHONE_SET,
        "speakers": SPEAKERS,
        "produces_speech": False,
        "max_phones": MAX_PHONES,
        **manifests.io_spec(),
    }
    manifests.write(bundle, manifest)
    print(f"model.pt: {len(data)} bytes, {n_params} parameters, version {version}")

if __name__ == "__main__":
    main()
