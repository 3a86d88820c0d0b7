"""Train the bundle's acoustic model on festival teacher data, one speaker per data directory. Resumable: a
checkpoint is written after every epoch and picked up again by the next run.

usage: /usr/bin/python3 train.py --data DATA[,DATA2...] --out CKPT_DIR [--epochs 8] [--threads 2]
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
import wave

import torch
import torch.nn.functional as F

from model import HOP, PHONES, SAMPLE_RATE, Acoustic, log_mel, mel_basis


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getframerate() == SAMPLE_RATE and w.getnchannels() == 1 and w.getsampwidth() == 2, path
        data = w.readframes(w.getnframes())
    return torch.frombuffer(bytearray(data), dtype=torch.int16).float() / 32768.0


def read_lab(path):
    out = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                out.append((parts[0], float(parts[1])))
    return out


def load_item(data, item_id, basis, phone_ids):
    wav = read_wav(os.path.join(data, "wav", item_id + ".wav"))
    frames = wav.numel() // HOP
    mel = log_mel(wav[: frames * HOP], basis)[:, :frames]
    lab = read_lab(os.path.join(data, "lab", item_id + ".lab"))
    ids, ends = [], []
    for ph, end in lab:
        if ph not in phone_ids:
            raise ValueError(f"{item_id}: phone {ph!r} not in the phone set")
        ids.append(phone_ids[ph])
        ends.append(int(round(end * SAMPLE_RATE / HOP)))
    durs, prev = [], 0
    for e in ends:
        e = min(max(e, prev), frames)
        durs.append(e - prev)
        prev = e
    durs[-1] += frames - sum(durs)
    return torch.tensor(ids), torch.tensor(durs), mel


def load_dataset(data, cache):
    """-> [(phone ids, durations, log-mel)] of DATA/train.tsv, cached in CACHE."""
    if os.path.exists(cache):
        return torch.load(cache)
    basis = mel_basis()
    phone_ids = {p: i for i, p in enumerate(PHONES)}
    items = []
    with open(os.path.join(data, "train.tsv")) as f:
        ids = [line.split("\t")[0] for line in f if line.strip()]
    for n, item_id in enumerate(ids):
        items.append(load_item(data, item_id, basis, phone_ids))
        if n % 500 == 0:
            print(f"features {n}/{len(ids)}", flush=True)
    torch.save(items, cache)
    return items


def batches(items, max_frames, rng):
    order = sorted(range(len(items)), key=lambda i: (items[i][2].size(1), i))
    out, cur, longest = [], [], 0
    for i in order:
        f = items[i][2].size(1)
        if cur and max(longest, f) * (len(cur) + 1) > max_frames:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, f)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def init_from(model, path):
    """Copies the acoustic weights of a training checkpoint or an exported bundle's model.pt into MODEL; its
    extra speakers start as speaker 0."""
    try:
        state = {k[len("acoustic_model."):]: v for k, v in torch.jit.load(path).state_dict().items()
                 if k.startswith("acoustic_model.")}
    except RuntimeError:  # not TorchScript: a training checkpoint
        state = torch.load(path)["model"]
    old = state["speaker.weight"]
    new = model.speaker.weight.detach().clone()
    new[: old.size(0)] = old
    new[old.size(0):] = old[0]
    state["speaker.weight"] = new
    model.load_state_dict(state)


def collate(items, idx):
    b = len(idx)
    t = max(items[i][0].numel() for i in idx)
    fr = max(items[i][2].size(1) for i in idx)
    phones = torch.zeros(b, t, dtype=torch.long)
    durs = torch.zeros(b, t, dtype=torch.long)
    mels = torch.zeros(b, items[idx[0]][2].size(0), fr)
    lengths = torch.zeros(b, dtype=torch.long)
    flen = torch.zeros(b, dtype=torch.long)
    for k, i in enumerate(idx):
        ph, d, m = items[i][:3]
        phones[k, : ph.numel()] = ph
        durs[k, : d.numel()] = d
        mels[k, :, : m.size(1)] = m
        lengths[k] = ph.numel()
        flen[k] = m.size(1)
    speakers = torch.tensor([items[i][3] for i in idx], dtype=torch.long)
    return phones, lengths, durs, mels, flen, speakers


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
    epoch = 0
    if os.path.exists(ckpt):
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        epoch = state["epoch"]
        print(f"resumed after epoch {epoch}", flush=True)
    elif args.init:
        init_from(model, args.init)
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
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "epoch": epoch}, ckpt + ".tmp")
        os.replace(ckpt + ".tmp", ckpt)
        print(f"epoch {epoch}: loss {total / max(n, 1):.4f} ({time.time() - t0:.0f} s)", flush=True)
        if args.minutes and time.time() - start > args.minutes * 60:
            print("time budget reached; run again to continue", flush=True)
            break


if __name__ == "__main__":
    main()
