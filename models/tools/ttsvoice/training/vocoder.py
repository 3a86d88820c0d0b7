"""Train the bundle's neural vocoder (model.NeuralVocoder) on the teacher's audio, fed the acoustic model's
own predicted log-mels: the acoustic model runs with the teacher's durations, so its mels line up frame by
frame with the teacher's waves, and the vocoder learns to render what it will really be given (and to undo
some of the acoustic model's smoothing). No adversarial loss: multi-resolution STFT (spectral convergence
+ log magnitude) and log-mel L1. Resumable: a checkpoint every --every steps and at the end, picked up by
the next run; --minutes bounds one run.

usage: python3 -m ttsvoice.training.vocoder --data DATA[,DATA2...] --acoustic CKPT_DIR/last.pt|BUNDLE/model.pt --out VOC_DIR
           [--steps 12000] [--minutes 0] [--threads 2] [--batch 16] [--clip 48] [--mel-weight 0.5]
The n-th DATA is speaker n, as in ttsvoice.training.acoustic, whose CKPT_DIR/features-N.pt caches it uses when present. The
acoustic model may be a training checkpoint or an exported bundle's model.pt (to continue the shipped vocoder's
training on a fresh machine from models/slt/checkpoints/vocoder.pt, the committed checkpoint).
"""
import argparse
import math
import os
import random
import time

import torch
import torch.nn.functional as F

from ttsvoice import checkpoint
from ttsvoice.audio import read_wav
from ttsvoice.model import HOP, PHONES, Acoustic, NeuralVocoder, log_mel, mel_basis
from ttsvoice.training.dataset import load_dataset
from ttsvoice.tsv import read_ids

RESOLUTIONS = [(512, 128, 512), (1024, 256, 1024), (256, 64, 256), (2048, 512, 2048)]


def stft_mag(x, n_fft, hop, win):
    return torch.stft(x, n_fft, hop, win, torch.hann_window(win), center=True, pad_mode="constant",
                      return_complex=True).abs().clamp(min=1e-7)


def stft_loss(pred, target):
    """Multi-resolution STFT loss of two [B, N] waves: spectral convergence + log-magnitude L1."""
    total = 0.0
    for n_fft, hop, win in RESOLUTIONS:
        p, t = stft_mag(pred, n_fft, hop, win), stft_mag(target, n_fft, hop, win)
        sc = torch.norm(t - p, p="fro") / torch.norm(t, p="fro").clamp(min=1e-7)
        total = total + sc + F.l1_loss(torch.log(p), torch.log(t))
    return total / len(RESOLUTIONS)


def mel_loss(pred, target, basis):
    p = torch.stack([log_mel(w, basis) for w in pred])
    t = torch.stack([log_mel(w, basis) for w in target])
    return F.l1_loss(p, t)


def predicted_mels(acoustic, items):
    """The acoustic model's log-mel of each item with the teacher's durations (eval mode, no dropout)."""
    acoustic.eval()
    out = []
    with torch.no_grad():
        for n, (ph, d, mel, spk) in enumerate(items):
            enc, _, _ = acoustic.encode(ph[None], torch.tensor([ph.numel()]), torch.tensor([spk]))
            pred = acoustic.decode(enc, d[None], torch.tensor([int(d.sum())]))[0]
            out.append(pred.half())
            if n % 1000 == 0:
                print(f"predicted mels {n}/{len(items)}", flush=True)
    return out


def load(args):
    """-> [(predicted mel [80, F] half, teacher mel [80, F] half, wave int16 [F * HOP])], cached."""
    cache = os.path.join(args.out, "voc-features.pt")
    if os.path.exists(cache):
        return torch.load(cache)
    ckpt_dir = os.path.dirname(os.path.abspath(args.acoustic))
    dirs = args.data.split(",")
    acoustic = Acoustic(len(PHONES), len(dirs))
    checkpoint.init_acoustic(acoustic, args.acoustic)  # a training checkpoint, or the bundle's model.pt
    items = []
    for spk, data in enumerate(dirs):
        cached = os.path.join(ckpt_dir, f"features-{spk}.pt")  # the acoustic run's, when there is one
        part = load_dataset(data, cached if os.path.exists(cached) else os.path.join(args.out, f"features-{spk}.pt"))
        ids = read_ids(os.path.join(data, "train.tsv"))
        preds = predicted_mels(acoustic, [(ph, d, m, spk) for ph, d, m in part])
        for item_id, (ph, d, m), pred in zip(ids, part, preds):
            wav = read_wav(os.path.join(data, "wav", item_id + ".wav"))[: m.size(1) * HOP]
            items.append((pred, m.half(), (wav * 32768.0).round().clamp(-32768, 32767).short()))
    torch.save(items, cache)
    return items


def batch(items, rng, size, clip, teacher_share):
    mels, waves = [], []
    for _ in range(size):
        pred, gt, wav = items[rng.randrange(len(items))]
        frames = pred.size(1)
        start = rng.randrange(max(1, frames - clip + 1))
        src = gt if rng.random() < teacher_share else pred
        m = torch.full((pred.size(0), clip), math.log(1e-5))
        w = torch.zeros(clip * HOP)
        n = min(clip, frames - start)
        m[:, :n] = src[:, start:start + n].float()
        w[: n * HOP] = wav[start * HOP:(start + n) * HOP].float() / 32768.0
        mels.append(m)
        waves.append(w)
    return torch.stack(mels), torch.stack(waves)


def lr_at(step, total, peak):
    if step < 300:
        return peak * (step + 1) / 300
    return 0.1 * peak + 0.9 * peak * 0.5 * (1 + math.cos(math.pi * min(1.0, step / total)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--acoustic", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=12000)
    ap.add_argument("--minutes", type=float, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--clip", type=int, default=48, help="frames per training clip")
    ap.add_argument("--every", type=int, default=200)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--mel-weight", type=float, default=0.5, help="weight of the log-mel L1 beside the STFT loss")
    ap.add_argument("--teacher-share", type=float, default=0.2, help="share of clips fed the teacher's own mel")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    os.makedirs(args.out, exist_ok=True)
    items = load(args)
    voc = NeuralVocoder()
    opt = torch.optim.AdamW(voc.parameters(), lr=args.lr, betas=(0.8, 0.99), weight_decay=0.01)
    ckpt = os.path.join(args.out, "last.pt")
    step = checkpoint.resume(ckpt, voc, opt, "step")
    if step is not None:
        print(f"resumed after step {step}", flush=True)
    else:
        step = 0
    print(f"{len(items)} items, {sum(p.numel() for p in voc.parameters())} parameters", flush=True)
    basis = mel_basis()
    start, t0, run_loss, n = time.time(), time.time(), 0.0, 0

    while step < args.steps:
        voc.train()
        rng = random.Random(step)
        mels, target = batch(items, rng, args.batch, args.clip, args.teacher_share)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, args.lr)
        spec = voc.spectrum(mels, torch.full((mels.size(0),), mels.size(2), dtype=torch.long))
        pred = voc.waves(spec, target.size(1))
        loss = stft_loss(pred, target) + args.mel_weight * mel_loss(pred, target, basis)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(voc.parameters(), 1.0)
        opt.step()
        step += 1
        run_loss += loss.item()
        n += 1
        if step % 50 == 0:
            print(f"step {step}: loss {run_loss / n:.4f} ({(time.time() - t0) / n:.2f} s/step)", flush=True)
            run_loss, n, t0 = 0.0, 0, time.time()
        if step % args.every == 0:
            checkpoint.save(ckpt, voc, opt, "step", step)
        if args.minutes and time.time() - start > args.minutes * 60:
            print("time budget reached; run again to continue", flush=True)
            break
    checkpoint.save(ckpt, voc, opt, "step", step)
    print(f"saved at step {step}", flush=True)


if __name__ == "__main__":
    main()
