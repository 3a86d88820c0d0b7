"""Export the trained voices as TorchScript files plus manifest.json in the bundle directory.

usage: python3 -m ttsvoice.export --ckpt CKPT_DIR/last.pt|BUNDLE/model.pt --bundle models/slt [--vocoder VOC_DIR/last.pt]
                                   [--speakers slt,kal] [--gl-iterations 8]
Writes, each checked first (batched synthesis equals row-by-row synthesis):
- model.pt: the default. With --vocoder the trained neural vocoder (fp32), else Griffin-Lim.
- with --vocoder also model-griffin-lim.pt (the same acoustic model with Griffin-Lim: the fallback variant) and
  model-int8.pt (the neural vocoder's linear layers dynamically quantized to INT8, run row by row).
The manifest lists the extra files as variants a worker can pick (TTS_WORKER_MODEL_VARIANT); it is checked against
models/manifest.schema.json (ttsvoice.manifest) before it is written.
"""
import argparse
import copy
import hashlib
import os

import torch
import torch.nn as nn

from ttsvoice import checkpoint, manifest as manifests
from ttsvoice.model import HOP, PHONES, SAMPLE_RATE, Acoustic, GriffinLim, NeuralVocoder, Voice


def check(scripted, speakers, tolerance=1e-3):
    rows = [[1, 18, 13, 23, 27, 1], [1, 38, 14, 23, 11, 1, 33, 19, 31, 1], [1, 24, 2, 1]]
    t = max(len(r) for r in rows)
    ids = torch.zeros(len(rows), t, dtype=torch.long)
    for i, r in enumerate(rows):
        ids[i, : len(r)] = torch.tensor(r)
    lengths = torch.tensor([len(r) for r in rows])
    spk = torch.tensor([i % speakers for i in range(len(rows))], dtype=torch.long)
    speed = torch.tensor([1.0, 1.3, 0.8])
    worst = 0.0
    with torch.no_grad():
        wave, wl, dur = scripted(ids, lengths, spk, speed)
        for i, r in enumerate(rows):
            w1, l1, d1 = scripted(torch.tensor([r]), torch.tensor([len(r)]), spk[i : i + 1], speed[i : i + 1])
            assert int(l1[0]) == int(wl[i]), "length differs between batch and single row"
            assert torch.equal(d1[0], dur[i, : len(r)]), "durations differ between batch and single row"
            diff = (w1[0, : int(l1[0])] - wave[i, : int(l1[0])]).abs().max().item()
            assert diff < tolerance, f"row {i} differs by {diff}"
            assert int(l1[0]) == int(d1.sum()) * HOP
            worst = max(worst, diff)
    return worst


def save(voice, path, speakers, tolerance=1e-3):
    for p in voice.parameters():
        p.requires_grad_(False)
    scripted = torch.jit.script(voice)
    worst = check(scripted, speakers, tolerance)
    scripted.save(path)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:16]
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB), version {digest}, batch vs row {worst:.2e}")
    return digest


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--vocoder", help="the neural vocoder's checkpoint (ttsvoice.training.vocoder)")
    ap.add_argument("--speakers", default="slt,kal", help="voice names by speaker id")
    ap.add_argument("--gl-iterations", type=int, default=8)
    args = ap.parse_args()
    torch.manual_seed(0)
    speakers = args.speakers.split(",")
    acoustic = Acoustic(len(PHONES), len(speakers))
    checkpoint.init_acoustic(acoustic, args.ckpt)  # a training checkpoint, or a bundle's model.pt (its acoustic weights)
    acoustic.eval()
    os.makedirs(args.bundle, exist_ok=True)
    gl = f"griffin-lim-{args.gl_iterations}"
    variants = {}
    if args.vocoder:
        neural = NeuralVocoder()
        neural.load_state_dict(checkpoint.weights(args.vocoder))
        neural.eval()
        default = save(Voice(copy.deepcopy(acoustic), GriffinLim(args.gl_iterations), copy.deepcopy(neural)).eval(),
                       os.path.join(args.bundle, "model.pt"), len(speakers))
        vocoder = "neural"
        variants["fp32"] = {"file": "model.pt", "version": default, "vocoder": vocoder, "precision": "fp32",
                            "device": "any"}
        v = save(Voice(copy.deepcopy(acoustic), GriffinLim(args.gl_iterations)).eval(),
                 os.path.join(args.bundle, "model-griffin-lim.pt"), len(speakers))
        variants["griffin-lim"] = {"file": "model-griffin-lim.pt", "version": v, "vocoder": gl, "precision": "fp32",
                                   "device": "any"}
        q = torch.quantization.quantize_dynamic(copy.deepcopy(neural), {nn.Linear}, dtype=torch.qint8)
        int8 = Voice(copy.deepcopy(acoustic), GriffinLim(args.gl_iterations), q).eval()
        int8.rowwise = True
        # an INT8 row alone and in a batch run the same ops on the same values, but the acoustic model's fp32 batch
        # kernels round differently by a few ulps, which a quantization step can turn into a rounding flip
        v = save(int8, os.path.join(args.bundle, "model-int8.pt"), len(speakers), tolerance=5e-3)
        variants["int8"] = {"file": "model-int8.pt", "version": v, "vocoder": "neural, linear layers INT8 (dynamic)",
                            "precision": "int8", "device": "cpu"}
    else:
        default = save(Voice(acoustic, GriffinLim(args.gl_iterations)).eval(), os.path.join(args.bundle, "model.pt"),
                       len(speakers))
        vocoder = gl
    manifest = {
        "name": "slt",
        "version": default,
        "file": "model.pt",
        "sample_rate": SAMPLE_RATE,
        "hop_length": HOP,
        "frontend": "cmu-arpabet",
        "phone_set": PHONES,
        "speakers": speakers,
        "produces_speech": True,
        "max_phones": 400,
        "vocoder": vocoder,
        "variants": variants,
        **manifests.io_spec(),
    }
    manifests.write(args.bundle, manifest)


if __name__ == "__main__":
    main()
