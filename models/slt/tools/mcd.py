"""Mel-cepstral distortion of synthesized audio against the teacher's audio of the same sentences.

usage: /usr/bin/python3 mcd.py REF_TSV TEACHER_DIR MODEL_DIR
For every ID in REF_TSV, TEACHER_DIR/ID.wav and MODEL_DIR/ID.wav (16 kHz mono) become mel-cepstra: the cosine
transform of the 80-band natural-log mel amplitude spectrum (n_fft 1024, hop 200, as the model's features),
c_n = 1/80 * sum_k ln S_k * cos(pi * n * (k + 1/2) / 80), the real cepstrum's scale, keeping c1..c24 (c0, the
loudness, is left out). Frames quieter than 40 dB below the utterance's loudest are dropped
from both sides first (leading and trailing silence are not speech), then the two sequences are aligned by
dynamic time warping on the Euclidean cepstral distance, and the distortion is
10 / ln 10 * sqrt(2 * sum((c_model - c_teacher)^2)) averaged over the aligned path, in dB. Prints the mean over
sentences and writes MODEL_DIR/mcd.tsv (ID, dB). A filterbank cepstrum rather than SPTK's mcep: its absolute
level is not comparable with published figures, but differences between variants of this model are.
"""
import math
import os
import sys
import wave

import numpy as np
import torch

from model import log_mel, mel_basis

ORDER = 24


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getframerate() != 16000 or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: expected 16 kHz mono 16-bit")
        data = w.readframes(w.getnframes())
    return torch.frombuffer(bytearray(data), dtype=torch.int16).float() / 32768.0


def dct_matrix(n, k):
    """[k, n] cosine-transform rows 1..k at the real cepstrum's scale (1/n)."""
    i = np.arange(n)
    rows = [np.cos(math.pi * q * (2 * i + 1) / (2 * n)) / n for q in range(1, k + 1)]
    return np.stack(rows)


def cepstra(path, basis, dct):
    lm = log_mel(read_wav(path), basis).numpy()  # [80, F], natural log
    energy = lm.max(axis=0)
    keep = energy > energy.max() - math.log(10 ** 4)  # 40 dB below the loudest frame
    return (dct @ lm[:, keep]).T  # [F', 24]


def dtw_cost(a, b):
    """Mean frame distance along the best DTW path (steps: diagonal, vertical, horizontal)."""
    c = np.sqrt(((a[:, None, :] - b[None, :, :]) ** 2).sum(-1))
    n, m = c.shape
    d = np.full((n + 1, m + 1), np.inf)
    steps = np.zeros((n + 1, m + 1))
    d[0, 0] = 0.0
    for i in range(1, n + 1):
        diag, up = d[i - 1, :-1], d[i - 1, 1:]
        sdiag, sup = steps[i - 1, :-1], steps[i - 1, 1:]
        best = np.where(diag <= up, diag, up)
        bsteps = np.where(diag <= up, sdiag, sup)
        row, srow = d[i], steps[i]
        for j in range(1, m + 1):
            left = row[j - 1]
            if left < best[j - 1]:
                row[j] = c[i - 1, j - 1] + left
                srow[j] = srow[j - 1] + 1
            else:
                row[j] = c[i - 1, j - 1] + best[j - 1]
                srow[j] = bsteps[j - 1] + 1
    return d[n, m] / steps[n, m]


def main():
    ref_tsv, teacher_dir, model_dir = sys.argv[1:4]
    with open(ref_tsv) as f:
        ids = [line.split("\t")[0] for line in f if "\t" in line]
    basis, dct = mel_basis(), dct_matrix(80, ORDER)
    k = 10.0 / math.log(10.0) * math.sqrt(2.0)
    rows = []
    for item_id in ids:
        a = cepstra(os.path.join(model_dir, item_id + ".wav"), basis, dct)
        b = cepstra(os.path.join(teacher_dir, item_id + ".wav"), basis, dct)
        rows.append((item_id, k * dtw_cost(a, b)))
    with open(os.path.join(model_dir, "mcd.tsv"), "w") as f:
        for item_id, v in rows:
            f.write(f"{item_id}\t{v:.3f}\n")
    print(f"MCD {sum(v for _, v in rows) / len(rows):.2f} dB over {len(rows)} sentences")


if __name__ == "__main__":
    main()
