"""The teacher data as training items: DATA/train.tsv (ID<TAB>text), DATA/wav/ID.wav (16 kHz mono) and
DATA/lab/ID.lab (phone<TAB>end_seconds) become (phone ids, frames per phone, log-mel [N_MELS, frames]) items,
cached in one torch file per data directory (the first run computes them, later runs and the vocoder's read them).
"""
import os

import torch

from ttsvoice.audio import read_wav
from ttsvoice.model import HOP, PHONES, SAMPLE_RATE, log_mel, mel_basis
from ttsvoice.tsv import read_ids


def read_lab(path):
    """-> [(phone, end_seconds)] of a lab file."""
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
    """-> [(phone ids, durations, log-mel)] of DATA/train.tsv in its order, cached in CACHE."""
    if os.path.exists(cache):
        return torch.load(cache)
    basis = mel_basis()
    phone_ids = {p: i for i, p in enumerate(PHONES)}
    items = []
    ids = read_ids(os.path.join(data, "train.tsv"))
    for n, item_id in enumerate(ids):
        items.append(load_item(data, item_id, basis, phone_ids))
        if n % 500 == 0:
            print(f"features {n}/{len(ids)}", flush=True)
    torch.save(items, cache)
    return items


def batches(items, max_frames, rng):
    """Index lists of items of similar length, each at most MAX_FRAMES frames padded, in RNG's order."""
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


def collate(items, idx):
    """-> padded phones [B, T], lengths [B], durations [B, T], mels [B, N_MELS, F], frame lengths [B], speakers [B]
    of the (phones, durations, mel, speaker) items at IDX."""
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
