"""Export the trained slt voice as a TorchScript bundle: model.pt + manifest.json in the bundle directory.

usage: /usr/bin/python3 export.py --ckpt CKPT_DIR/last.pt --bundle models/slt [--gl-iterations 8]
Checks before writing that batched synthesis equals row-by-row synthesis.
"""
import argparse
import hashlib
import json
import os

import torch

from model import HOP, PHONES, SAMPLE_RATE, Acoustic, GriffinLim, Voice


def check(scripted):
    rows = [[1, 18, 13, 23, 27, 1], [1, 38, 14, 23, 11, 1, 33, 19, 31, 1], [1, 24, 2, 1]]
    t = max(len(r) for r in rows)
    ids = torch.zeros(len(rows), t, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
    lengths = torch.tensor([len(r) for r in rows])
    spk = torch.zeros(len(rows), dtype=torch.long)
    speed = torch.tensor([1.0, 1.3, 0.8])
    with torch.no_grad():
        wave, wl, dur = scripted(ids, lengths, spk, speed)
        for i, r in enumerate(rows):
            w1, l1, d1 = scripted(torch.tensor([r]), torch.tensor([len(r)]), spk[:1], speed[i : i + 1])
            assert int(l1[0]) == int(wl[i]), "length differs between batch and single row"
            assert torch.equal(d1[0], dur[i, : len(r)]), "durations differ between batch and single row"
            diff = (w1[0, : int(l1[0])] - wave[i, : int(l1[0])]).abs().max().item()
            assert diff < 1e-3, f"row {i} differs by {diff}"
            assert int(l1[0]) == int(d1.sum()) * HOP


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--gl-iterations", type=int, default=8)
    args = ap.parse_args()
    torch.manual_seed(0)
    acoustic = Acoustic(len(PHONES), 1)
    acoustic.load_state_dict(torch.load(args.ckpt)["model"])
    voice = Voice(acoustic, GriffinLim(args.gl_iterations)).eval()
    for p in voice.parameters():
        p.requires_grad_(False)
    scripted = torch.jit.script(voice)
    check(scripted)
    os.makedirs(args.bundle, exist_ok=True)
    path = os.path.join(args.bundle, "model.pt")
    scripted.save(path)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    manifest = {
        "name": "slt",
        "version": digest[:16],
        "file": "model.pt",
        "sample_rate": SAMPLE_RATE,
        "hop_length": HOP,
        "frontend": "cmu-arpabet",
        "phone_set": PHONES,
        "speakers": ["slt"],
        "produces_speech": True,
        "max_phones": 400,
        "vocoder": f"griffin-lim-{args.gl_iterations}",
        "inputs": [
            {"name": "phones", "dtype": "int64", "shape": ["B", "T"]},
            {"name": "lengths", "dtype": "int64", "shape": ["B"]},
            {"name": "speaker", "dtype": "int64", "shape": ["B"]},
            {"name": "speed", "dtype": "float32", "shape": ["B"]},
        ],
        "outputs": [
            {"name": "wave", "dtype": "float32", "shape": ["B", "N"]},
            {"name": "wave_lengths", "dtype": "int64", "shape": ["B"]},
            {"name": "durations", "dtype": "int64", "shape": ["B", "T"]},
        ],
    }
    with open(os.path.join(args.bundle, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB), version {digest[:16]}")


if __name__ == "__main__":
    main()
