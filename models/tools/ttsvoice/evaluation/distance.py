"""The math of the mel-cepstral distortion (ttsvoice.evaluation.mcd), numpy only: the cosine transform of a log-mel
spectrum into cepstra, the DTW alignment cost of two cepstral sequences and the dB scale of the distortion."""
import math

import numpy as np

ORDER = 24  # cepstra c1..c24 (c0, the loudness, is left out)
DB = 10.0 / math.log(10.0) * math.sqrt(2.0)  # mean aligned frame distance -> MCD in dB


def dct_matrix(n, k):
    """[k, n] cosine-transform rows 1..k at the real cepstrum's scale (1/n)."""
    i = np.arange(n)
    rows = [np.cos(math.pi * q * (2 * i + 1) / (2 * n)) / n for q in range(1, k + 1)]
    return np.stack(rows)


def voiced_cepstra(log_mel, dct):
    """log-mel [N_MELS, F] (natural log) -> cepstra [F', k] of the frames no quieter than 40 dB below the loudest."""
    energy = log_mel.max(axis=0)
    keep = energy > energy.max() - math.log(10 ** 4)  # 40 dB below the loudest frame
    return (dct @ log_mel[:, keep]).T


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


def mcd_db(a, b):
    """Mel-cepstral distortion in dB of two cepstral sequences [F, k], DTW-aligned."""
    return DB * dtw_cost(a, b)
