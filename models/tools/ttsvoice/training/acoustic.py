"""Train the bundle's acoustic model on festival teacher data, one speaker per data directory. Resumable: a
checkpoint is written after every epoch and picked up again by the next run.

usage: python3 -m ttsvoice.training.acoustic --data DATA[,DATA2...] --out CKPT_DIR [--epochs 8] [--threads 2]
                                             [--init CKPT | BUNDLE/model.pt]
Each DATA holds train.tsv (ID<TAB>text), wav/ID.wav (16 kHz mono) and lab/ID.lab (phone<TAB>end_seconds); the
n-th directory is speaker n. --init starts a fresh run from another run's or an exported bundle's acoustic weights (a model of
fewer speakers: each new speaker's embedding starts as speaker 0's), so a second voice is learnt in a few
epochs instead of from nothing.
"""
import argparse
import os
import random
import time

import torch

from ttsvoice import checkpoint
from ttsvoice.model import PHONES, Acoustic
from ttsvoice.training.dataset import batches, collate, load_dataset


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-frames", type=int, default=6000)
    ap.add_argument("--minutes", type=float, default=0, help="stop after this many minutes (0: no limit)")
    ap.add_argument("--init", help="a checkpoint or a bundle's model.pt to start a fresh run from")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    os.makedirs(args.out, exist_ok=True)
    dirs = args.data.split(",")
    items = []
    for spk, data in enumerate(dirs):
        part = load_dataset(data, os.path.join(args.out, f"features-{spk}.pt"))
        items += [(ph, d, m, spk) for ph, d, m in part]
    model = Acoustic(len(PHONES), len(dirs))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    ckpt = os.path.join(args.out, "last.pt")
    epoch = checkpoint.resume(ckpt, model, opt, "epoch")
    if epoch is not None:
        print(f"resumed after epoch {epoch}", flush=True)
    else:
        epoch = 0
        if args.init:
            checkpoint.init_acoustic(model, args.init)
            print(f"started from {args.init}", flush=True)
    start = time.time()
    params = sum(p.numel() for p in model.parameters())
    print(f"{len(items)} items, {params} parameters", flush=True)
    while epoch < args.epochs:
        model.train()
        rng = random.Random(epoch)
        t0, total, n = time.time(), 0.0, 0
        for idx in batches(items, args.max_frames, rng):
            phones, lengths, durs, mels, flen, speaker = collate(items, idx)
            enc, mask, log_dur = model.encode(phones, lengths, speaker)
            pred = model.decode(enc, durs, flen)
            fmask = (torch.arange(mels.size(2))[None, :] < flen[:, None]).unsqueeze(1).float()
            mel_loss = (torch.abs(pred - mels) * fmask).sum() / (fmask.sum() * mels.size(1))
            pmask = mask.squeeze(1)
            dur_loss = (((log_dur - torch.log1p(durs.float())) ** 2) * pmask).sum() / pmask.sum()
            loss = mel_loss + dur_loss
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            total += loss.item()
            n += 1
        epoch += 1
        checkpoint.save(ckpt, model, opt, "epoch", epoch)
        print(f"epoch {epoch}: loss {total / max(n, 1):.4f} ({time.time() - t0:.0f} s)", flush=True)
        if args.minutes and time.time() - start > args.minutes * 60:
            print("time budget reached; run again to continue", flush=True)
            break


if __name__ == "__main__":
    main()
