"""Mel-cepstral distortion of synthesized audio against the teacher's audio of the same sentences.

usage: python3 -m ttsvoice.evaluation.mcd REF_TSV TEACHER_DIR MODEL_DIR
For every ID in REF_TSV, TEACHER_DIR/ID.wav and MODEL_DIR/ID.wav (16 kHz mono) become mel-cepstra: the cosine
transform of the 80-band natural-log mel amplitude spectrum (n_fft 1024, hop 200, as the model's features),
c_n = 1/80 * sum_k ln S_k * cos(pi * n * (k + 1/2) / 80), the real cepstrum's scale, keeping c1..c24 (c0, the
loudness, is left out). Frames quieter than 40 dB below the utterance's loudest are dropped
from both sides first (leading and trailing silence are not speech), then the two sequences are aligned by
dynamic time warping on the Euclidean cepstral distance, and the distortion is
10 / ln 10 * sqrt(2 * sum((c_model - c_teacher)^2)) averaged over the aligned path, in dB. Prints the mean over
sentences and writes MODEL_DIR/mcd.tsv (ID, dB). A filterbank cepstrum rather than SPTK's mcep: its absolute
level is not comparable with published figures, but differences between variants of this model are.
The math is in ttsvoice.evaluation.distance.
"""
import os
import sys

from ttsvoice.audio import read_wav
from ttsvoice.evaluation.distance import ORDER, dct_matrix, mcd_db, voiced_cepstra
from ttsvoice.model import N_MELS, log_mel, mel_basis
from ttsvoice.tsv import read_ids


def cepstra(path, basis, dct):
    return voiced_cepstra(log_mel(read_wav(path), basis).numpy(), dct)  # [F', 24]


def measure(ref_tsv, teacher_dir, model_dir):
    """Writes MODEL_DIR/mcd.tsv and prints the mean MCD; -> [(id, dB)]."""
    ids = read_ids(ref_tsv)
    basis, dct = mel_basis(), dct_matrix(N_MELS, ORDER)
    rows = []
    for item_id in ids:
        a = cepstra(os.path.join(model_dir, item_id + ".wav"), basis, dct)
        b = cepstra(os.path.join(teacher_dir, item_id + ".wav"), basis, dct)
        rows.append((item_id, mcd_db(a, b)))
    with open(os.path.join(model_dir, "mcd.tsv"), "w") as f:
        for item_id, v in rows:
            f.write(f"{item_id}\t{v:.3f}\n")
    print(f"MCD {sum(v for _, v in rows) / len(rows):.2f} dB over {len(rows)} sentences")
    return rows


if __name__ == "__main__":
    measure(*sys.argv[1:4])
