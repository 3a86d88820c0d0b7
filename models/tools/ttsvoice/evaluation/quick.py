"""A quick look at a training run, in Python (the real evaluation is models/slt/tools/eval, through the workers'
Java path): synthesizes the first N held-out sentences of one voice from festival's own phones (the .lab files) with
an acoustic checkpoint and a vocoder checkpoint (or Griffin-Lim), writes OUT/ID.wav, then prints pocketsphinx word
error (asr) and mel-cepstral distortion against the teacher (mcd).

usage: python3 -m ttsvoice.evaluation.quick --acoustic CKPT --data DATA --speaker K --out DIR [--vocoder CKPT] [--n 30]
"""
import argparse
import os

import torch

from ttsvoice import checkpoint
from ttsvoice.audio import write_wav
from ttsvoice.evaluation import asr, mcd
from ttsvoice.model import PHONES, Acoustic, GriffinLim, NeuralVocoder, Voice
from ttsvoice.training.dataset import read_lab
from ttsvoice.tsv import read_items


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
    state = checkpoint.weights(args.acoustic)
    acoustic = Acoustic(len(PHONES), state["speaker.weight"].size(0))
    acoustic.load_state_dict(state)
    neural = None
    if args.vocoder:
        neural = NeuralVocoder()
        neural.load_state_dict(checkpoint.weights(args.vocoder))
    voice = Voice(acoustic, GriffinLim(8), neural).eval()
    ids = {p: i for i, p in enumerate(PHONES)}
    os.makedirs(args.out, exist_ok=True)
    items = read_items(os.path.join(args.data, "heldout.tsv"))[: args.n]
    ref = os.path.join(args.out, "ref.tsv")
    with open(ref, "w") as out:
        for item_id, text in items:
            out.write(f"{item_id}\t{text}\n")
            phones = [ids[p] for p, _ in read_lab(os.path.join(args.data, "lab", item_id + ".lab"))]
            with torch.no_grad():
                w, wl, _ = voice(torch.tensor([phones]), torch.tensor([len(phones)]), torch.tensor([args.speaker]),
                                 torch.tensor([1.0]))
            write_wav(os.path.join(args.out, item_id + ".wav"), w[0, : int(wl[0])])
    asr.score(ref, args.out, jobs=1)
    mcd.measure(ref, os.path.join(args.data, "wav"), args.out)


if __name__ == "__main__":
    main()
