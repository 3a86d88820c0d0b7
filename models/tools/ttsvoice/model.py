"""The slt voice: a small non-autoregressive acoustic model plus a Griffin-Lim vocoder, all TorchScript-able.

Written for torch 1.13 (Debian python3-torch); the exported file runs in libtorch 2.7 through DJL.
Every row of a batch is independent of its neighbours: padded positions are masked after each block,
and the vocoder runs row by row, so batched and single-row synthesis agree.
"""
import math
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

SAMPLE_RATE = 16000
N_FFT = 1024
HOP = 200
WIN = 800
N_MELS = 80
MEL_FMIN = 0.0
MEL_FMAX = 8000.0

# Festival's "radio" phone set as the slt voice uses it; index = id, 0 is padding.
PHONES = ["<pad>", "pau", "aa", "ae", "ah", "ao", "aw", "ax", "ay", "b", "ch", "d", "dh", "eh", "er", "ey",
          "f", "g", "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh", "t",
          "th", "uh", "uw", "v", "w", "y", "z", "zh"]


def hz_to_mel(f):
    return 2595.0 * math.log10(1.0 + f / 700.0)


def mel_to_hz(m):
    return 700.0 * (10.0 ** (m / 2595.0) - 1.0)


def mel_basis() -> torch.Tensor:
    """[N_MELS, N_FFT//2+1] triangular filters (HTK mel scale), area-normalised."""
    n_bins = N_FFT // 2 + 1
    freqs = torch.linspace(0, SAMPLE_RATE / 2, n_bins, dtype=torch.float64)
    mels = torch.linspace(hz_to_mel(MEL_FMIN), hz_to_mel(MEL_FMAX), N_MELS + 2, dtype=torch.float64)
    hz = torch.tensor([mel_to_hz(float(m)) for m in mels], dtype=torch.float64)
    fb = torch.zeros(N_MELS, n_bins, dtype=torch.float64)
    for i in range(N_MELS):
        lo, mid, hi = hz[i], hz[i + 1], hz[i + 2]
        up = (freqs - lo) / (mid - lo)
        down = (hi - freqs) / (hi - mid)
        fb[i] = torch.clamp(torch.minimum(up, down), min=0.0)
        fb[i] *= 2.0 / (hi - lo)
    return fb.float()


def log_mel(wave: torch.Tensor, basis: torch.Tensor) -> torch.Tensor:
    """wave [N] float -> log-mel [N_MELS, frames] with frames = ceil(N / HOP) (centred STFT)."""
    spec = torch.stft(wave, N_FFT, HOP, WIN, torch.hann_window(WIN), center=True, pad_mode="constant",
                      return_complex=True).abs()
    mel = basis @ spec
    return torch.log(torch.clamp(mel, min=1e-5))


class ConvBlock(nn.Module):
    """Residual conv block: conv -> ReLU -> LayerNorm -> dropout, masked."""

    def __init__(self, channels: int, kernel: int, dropout: float):
        super().__init__()
        self.conv = nn.Conv1d(channels, channels, kernel, padding=kernel // 2)
        self.norm = nn.LayerNorm(channels)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        # x [B, C, T], mask [B, 1, T]
        y = F.relu(self.conv(x * mask))
        y = self.norm(y.transpose(1, 2)).transpose(1, 2)
        return (x + self.drop(y)) * mask


class Acoustic(nn.Module):
    def __init__(self, n_phones: int, n_speakers: int, dim: int = 192, dec_dim: int = 192):
        super().__init__()
        self.embed = nn.Embedding(n_phones, dim, padding_idx=0)
        self.speaker = nn.Embedding(max(1, n_speakers), dim)
        self.encoder = nn.ModuleList([ConvBlock(dim, 5, 0.1) for _ in range(4)])
        self.dur_blocks = nn.ModuleList([ConvBlock(dim, 3, 0.1) for _ in range(2)])
        self.dur_out = nn.Conv1d(dim, 1, 1)
        self.frame_in = nn.Conv1d(dim + 3, dec_dim, 1)
        self.decoder = nn.ModuleList([ConvBlock(dec_dim, 5, 0.1) for _ in range(5)])
        self.mel_out = nn.Conv1d(dec_dim, N_MELS, 1)

    def encode(self, phones: torch.Tensor, lengths: torch.Tensor, speaker: torch.Tensor):
        t = phones.size(1)
        mask = (torch.arange(t, device=phones.device)[None, :] < lengths[:, None]).unsqueeze(1).float()
        x = (self.embed(phones) + self.speaker(speaker)[:, None, :]).transpose(1, 2) * mask
        for b in self.encoder:
            x = b(x, mask)
        d = x.detach()
        for b in self.dur_blocks:
            d = b(d, mask)
        log_dur = self.dur_out(d).squeeze(1) * mask.squeeze(1)
        return x, mask, log_dur

    def decode(self, enc: torch.Tensor, durations: torch.Tensor, frame_lengths: torch.Tensor) -> torch.Tensor:
        """enc [B, C, T], durations [B, T] long -> mel [B, N_MELS, F] (zero beyond each row's frames)."""
        b = enc.size(0)
        f_max = int(frame_lengths.max().item()) if b > 0 else 0
        f_max = max(f_max, 1)
        out = torch.zeros(b, enc.size(1) + 3, f_max, device=enc.device)
        for i in range(b):
            d = durations[i]
            n = int(frame_lengths[i].item())
            if n == 0:
                continue
            idx = torch.repeat_interleave(torch.arange(d.size(0), device=enc.device), d)
            frames = enc[i][:, idx]  # [C, n]
            dur_f = d[idx].float()
            starts = torch.cumsum(d, 0) - d
            pos = (torch.arange(n, device=enc.device) - starts[idx]).float()
            rel = (pos + 0.5) / dur_f
            feats = torch.stack([rel, torch.log1p(dur_f), torch.log1p(dur_f - pos - 1.0)], 0)
            out[i, :, :n] = torch.cat([frames, feats], 0)
        mask = (torch.arange(f_max, device=enc.device)[None, :] < frame_lengths[:, None]).unsqueeze(1).float()
        x = self.frame_in(out) * mask
        for blk in self.decoder:
            x = blk(x, mask)
        return self.mel_out(x) * mask


class GriffinLim(nn.Module):
    """log-mel -> waveform: pseudo-inverse of the mel basis, magnitude^power, a few Griffin-Lim iterations
    from a deterministic initial phase. Runs row by row so a row never depends on its batch neighbours."""

    def __init__(self, iterations: int = 8, power: float = 1.2):
        super().__init__()
        basis = mel_basis()
        self.register_buffer("inv_basis", torch.linalg.pinv(basis))
        self.register_buffer("window", torch.hann_window(WIN))
        self.iterations = iterations
        self.power = power
        self.n_fft = N_FFT
        self.hop = HOP
        self.win = WIN

    def one(self, log_mel: torch.Tensor) -> torch.Tensor:
        """log_mel [N_MELS, F] -> wave [F * HOP]."""
        frames = log_mel.size(1)
        n = frames * self.hop
        mag = torch.clamp(self.inv_basis @ torch.exp(log_mel), min=0.0) ** self.power
        bins = torch.arange(mag.size(0), device=mag.device).float()[:, None]
        idx = torch.arange(frames, device=mag.device).float()[None, :]
        phase = torch.frac(torch.sin(bins * 12.9898 + idx * 78.233) * 43758.5453) * 2.0 * math.pi
        spec = torch.polar(mag, phase)
        wave = torch.istft(spec, self.n_fft, self.hop, self.win, self.window, center=True, length=n)
        for _ in range(self.iterations):
            rebuilt = torch.stft(wave, self.n_fft, self.hop, self.win, self.window, center=True,
                                 pad_mode="constant", return_complex=True)
            rebuilt = rebuilt[:, :frames]
            spec = torch.polar(mag, torch.angle(rebuilt))
            wave = torch.istft(spec, self.n_fft, self.hop, self.win, self.window, center=True, length=n)
        peak = torch.clamp(wave.abs().max(), min=1e-4)
        return wave * torch.clamp(0.9 / peak, max=1.0)


VOC_FFT = 800   # the neural vocoder's inverse STFT: 4 hops, 401 bins
VOC_WIN = 800


class ConvNeXt(nn.Module):
    """Depthwise conv (kernel 7) -> LayerNorm -> Linear x3 -> GELU -> Linear, scaled residual; masked."""

    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.dw = nn.Conv1d(dim, dim, 7, padding=3, groups=dim)
        self.norm = nn.LayerNorm(dim)
        self.pw1 = nn.Linear(dim, hidden)
        self.pw2 = nn.Linear(hidden, dim)
        self.scale = nn.Parameter(torch.full((dim,), 0.1))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        # x [B, C, F], mask [B, 1, F]
        y = self.dw(x).transpose(1, 2)
        y = self.pw2(F.gelu(self.pw1(self.norm(y))))
        return (x + (self.scale * y).transpose(1, 2)) * mask


class NeuralVocoder(nn.Module):
    """log-mel -> waveform at the mel's own frame rate (Vocos-style): ConvNeXt blocks predict each frame's
    log-magnitude and phase of a 401-bin spectrum, and an inverse STFT (hop 200) makes the samples. Padded
    frames are masked after every block, so a row in a batch equals the row alone."""

    def __init__(self, dim: int = 160, blocks: int = 5, hidden: int = 480):
        super().__init__()
        self.inp = nn.Conv1d(N_MELS, dim, 7, padding=3)
        self.norm_in = nn.LayerNorm(dim)
        self.blocks = nn.ModuleList([ConvNeXt(dim, hidden) for _ in range(blocks)])
        self.norm_out = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, VOC_FFT + 2)
        self.register_buffer("window", torch.hann_window(VOC_WIN))
        self.n_fft = VOC_FFT
        self.hop = HOP
        self.win = VOC_WIN

    def spectrum(self, log_mel: torch.Tensor, frame_lengths: torch.Tensor) -> torch.Tensor:
        """log_mel [B, N_MELS, F] -> complex spectrum [B, 401, F] (zero beyond each row's frames)."""
        f = log_mel.size(2)
        mask = (torch.arange(f, device=log_mel.device)[None, :] < frame_lengths[:, None]).unsqueeze(1).float()
        x = self.inp(log_mel * mask)
        x = self.norm_in(x.transpose(1, 2)).transpose(1, 2) * mask
        for b in self.blocks:
            x = b(x, mask)
        h = self.head(self.norm_out(x.transpose(1, 2))).transpose(1, 2)  # [B, 2 * 401, F]
        bins = self.n_fft // 2 + 1
        mag = torch.exp(torch.clamp(h[:, :bins], max=6.0)) * mask
        return torch.polar(mag, h[:, bins:])

    def waves(self, spec: torch.Tensor, n: int) -> torch.Tensor:
        """complex spectrum [B, 401, F] -> wave [B, n]."""
        return torch.istft(spec, self.n_fft, self.hop, self.win, self.window, center=True, length=n)

    def one(self, log_mel: torch.Tensor) -> torch.Tensor:
        """log_mel [N_MELS, F] -> wave [F * HOP]."""
        frames = log_mel.size(1)
        spec = self.spectrum(log_mel[None], torch.tensor([frames], device=log_mel.device))
        return torch.clamp(self.waves(spec, frames * self.hop)[0], -1.0, 1.0)


class Voice(nn.Module):
    """The exported bundle: forward(phones, lengths, speaker, speed) -> (wave, wave_lengths, durations).
    {@code neural}: the trained vocoder renders the waves; else Griffin-Lim (the fallback variant)."""

    def __init__(self, acoustic: Acoustic, vocoder: GriffinLim, neural: Optional[NeuralVocoder] = None):
        super().__init__()
        self.acoustic_model = acoustic
        self.gl = vocoder
        self.neural = neural
        self.use_neural = neural is not None
        self.rowwise = False  # the vocoder network row by row (dynamically quantized layers scale by their input)
        self.hop = HOP

    @torch.jit.export
    def acoustic(self, phones: torch.Tensor, lengths: torch.Tensor, speaker: torch.Tensor,
                 speed: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """-> log-mel [B, N_MELS, F], frame lengths [B], durations [B, T] (frames per phone)."""
        speed = torch.clamp(speed, 0.25, 4.0)
        phones = torch.clamp(phones, 0, self.acoustic_model.embed.num_embeddings - 1)
        speaker = torch.clamp(speaker, 0, self.acoustic_model.speaker.num_embeddings - 1)
        enc, mask, log_dur = self.acoustic_model.encode(phones, lengths, speaker)
        frames = (torch.exp(log_dur) - 1.0) / speed[:, None]
        durations = torch.clamp(torch.round(frames), min=1.0).long() * mask.squeeze(1).long()
        frame_lengths = durations.sum(1)
        mel = self.acoustic_model.decode(enc, durations, frame_lengths)
        return mel, frame_lengths, durations

    @torch.jit.export
    def vocoder(self, mel: torch.Tensor, frame_lengths: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """log-mel [B, N_MELS, F] -> wave [B, N], wave lengths [B]."""
        b = mel.size(0)
        lengths = frame_lengths * self.hop
        n_max = int(lengths.max().item()) if b > 0 else 0
        out = torch.zeros(b, n_max, device=mel.device)
        neural = self.neural
        if neural is not None and self.use_neural:
            # the network runs batched (masked) unless rowwise; the inverse STFT row by row, over each row's frames
            spec = neural.spectrum(mel, frame_lengths) if not self.rowwise else mel.new_zeros(0)
            for i in range(b):
                f = int(frame_lengths[i].item())
                if f > 0:
                    if self.rowwise:
                        row = neural.spectrum(mel[i:i + 1, :, :f], frame_lengths[i:i + 1])
                    else:
                        row = spec[i:i + 1, :, :f]
                    out[i, :f * self.hop] = torch.clamp(neural.waves(row, f * self.hop)[0], -1.0, 1.0)
            return out, lengths
        for i in range(b):
            f = int(frame_lengths[i].item())
            if f > 0:
                out[i, :f * self.hop] = self.gl.one(mel[i, :, :f])
        return out, lengths

    def forward(self, phones: torch.Tensor, lengths: torch.Tensor, speaker: torch.Tensor,
                speed: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        mel, frame_lengths, durations = self.acoustic(phones, lengths, speaker, speed)
        wave, wave_lengths = self.vocoder(mel, frame_lengths)
        return wave, wave_lengths, durations
