"""A quick look at a training run, in Python (the real evaluation is tools/eval, through the workers' Java path):
synthesizes the first N held-out sentences of one voice from festival's own phones (the .lab files) with an
acoustic checkpoint and a vocoder checkpoint (or Griffin-Lim), writes OUT/ID.wav, then prints pocketsphinx word
error (asr.py) and mel-cepstral distortion against the teacher (mcd.py).

usage: /usr/bin/python3 quick_eval.py --acoustic CKPT --data DATA --speaker K --out DIR [--vocoder CKPT] [--n 30]
"""
import argparse
import os
import subprocess
import wave

import torch

from model import HOP, PHONES, Acoustic, GriffinLim, NeuralVocoder, Voice
from train import read_lab


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--acoustic", required=True)
    ap.add_argument("--vocoder")
    ap.add_argument("--data", required=True)
    ap.add_argument("--speaker", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    state = torch.load(args.acoustic)["model"]
    acoustic = Acoustic(len(PHONES), state["speaker.weight"].size(0))
    acoustic.load_state_dict(state)
    neural = None
    if args.vocoder:
        neural = NeuralVocoder()
        neural.load_state_dict(torch.load(args.vocoder)["model"])
    voice = Voice(acoustic, GriffinLim(8), neural).eval()
    ids = {p: i for i, p in enumerate(PHONES)}
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.data, "heldout.tsv")) as f:
        items = [line.rstrip("\n").split("\t", 1) for line in f if "\t" in line][: args.n]
    with open(os.path.join(args.out, "ref.tsv"), "w") as ref:
        for item_id, text in items:
            ref.write(f"{item_id}\t{text}\n")
            phones = [ids[p] for p, _ in read_lab(os.path.join(args.data, "lab", item_id + ".lab"))]
            with torch.no_grad():
                w, wl, _ = voice(torch.tensor([phones]), torch.tensor([len(phones)]), torch.tensor([args.speaker]),
                                 torch.tensor([1.0]))
            pcm = (w[0, : int(wl[0])].clamp(-1, 1) * 32767).round().short().numpy().tobytes()
            with wave.open(os.path.join(args.out, item_id + ".wav"), "wb") as o:
                o.setnchannels(1)
                o.setsampwidth(2)
                o.setframerate(16000)
                o.writeframes(pcm)
    here = os.path.dirname(os.path.abspath(__file__))
    ref = os.path.join(args.out, "ref.tsv")
    subprocess.run(["/usr/bin/python3", os.path.join(here, "asr.py"), ref, args.out, "--jobs", "1"], check=True)
    subprocess.run(["/usr/bin/python3", os.path.join(here, "mcd.py"), ref, os.path.join(args.data, "wav"), args.out],
                   check=True, cwd=here)


if __name__ == "__main__":
    main()
