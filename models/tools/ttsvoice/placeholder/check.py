"""Sanity check for the exported placeholder model: its manifest against the schema, batch-independence and bounds.

usage: python3 -m ttsvoice.placeholder.check [--bundle DIR]   (prints OK or FAIL; exit status 1 on FAIL)
"""
import argparse
import json
import os
import sys

import torch

from ttsvoice import manifest as manifests
from ttsvoice.placeholder import BUNDLE_DIR


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundle", default=BUNDLE_DIR, help="the bundle directory (default models/placeholder)")
    bundle = ap.parse_args().bundle
    with open(os.path.join(bundle, "manifest.json")) as f:
        man = json.load(f)
    manifests.validate(man, os.path.join(bundle, "manifest.json"))
    sym = {s: i for i, s in enumerate(man["phone_set"])}
    hop = man["hop_length"]
    m = torch.jit.load(os.path.join(bundle, man["file"]))
    m.eval()

    texts = ["hello world.", "a, b?", "the 42 quick-brown foxes; don't stop!"]
    speeds = [1.0, 0.5, 1.7]
    ids = [[sym[c] for c in t] for t in texts]
    T = max(len(x) for x in ids)
    phones = torch.zeros(len(ids), T, dtype=torch.int64)
    for b, x in enumerate(ids):
        phones[b, : len(x)] = torch.tensor(x)
        phones[b, len(x):] = 7  # garbage in the padding must not matter
    lengths = torch.tensor([len(x) for x in ids], dtype=torch.int64)
    speaker = torch.zeros(len(ids), dtype=torch.int64)
    speed = torch.tensor(speeds, dtype=torch.float32)

    with torch.no_grad():
        wave, wl, dur = m(phones, lengths, speaker, speed)
        f, fl, d2 = m.acoustic(phones, lengths, speaker, speed)
        w2, wl2 = m.vocoder(f, fl)
    ok = True
    ok &= torch.equal(w2, wave) and torch.equal(wl2, wl) and torch.equal(d2, dur)
    ok &= wave.dtype == torch.float32 and wl.dtype == torch.int64 and dur.dtype == torch.int64
    ok &= wave.size(1) == int(wl.max()) and torch.equal(wl, dur.sum(1) * hop)
    ok &= float(wave.abs().max()) <= 1.0
    worst = 0.0
    for b, x in enumerate(ids):
        p1 = torch.tensor([x], dtype=torch.int64)
        with torch.no_grad():
            w1, l1, d1 = m(p1, torch.tensor([len(x)]), torch.zeros(1, dtype=torch.int64),
                           torch.tensor([speeds[b]], dtype=torch.float32))
        n = int(l1[0])
        ok &= int(wl[b]) == n and w1.size(1) == n
        ok &= torch.equal(d1[0], dur[b, : len(x)]) and int(dur[b, len(x):].sum()) == 0
        ok &= float(wave[b, n:].abs().max()) == 0.0 if wave.size(1) > n else True
        worst = max(worst, float((w1[0] - wave[b, :n]).abs().max()))
    ok &= worst <= 1e-5
    print(f"wave_lengths={wl.tolist()} max|batched-single|={worst:.3g} peak={float(wave.abs().max()):.3f}")
    print("OK" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
