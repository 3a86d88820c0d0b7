"""Transcribe WAV files with pocketsphinx (Debian pocketsphinx + pocketsphinx-en-us) and score word error.

usage: python3 -m ttsvoice.evaluation.asr REF_TSV WAV_DIR [--jobs 2]
REF_TSV has ID<TAB>text lines; WAV_DIR/ID.wav is transcribed (resampled to 16 kHz mono with sox when needed).
Prints the corpus word error rate (edit distance over reference words, normalised text) and writes
WAV_DIR/asr.tsv with ID, reference, hypothesis.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import wave
from concurrent.futures import ThreadPoolExecutor

from ttsvoice.tsv import read_items

MODEL = "/usr/share/pocketsphinx/model/en-us"
ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n):
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else " " + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + number_words(n % 100))
    if n < 1_000_000:
        return number_words(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + number_words(n % 1000))
    return " ".join(ONES[int(d)] for d in str(n))


def normalise(text):
    text = text.lower().replace("-", " ")
    text = re.sub(r"\d+", lambda m: " " + number_words(int(m.group())) + " ", text)
    text = re.sub(r"[^a-z' ]", " ", text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def edit_distance(ref, hyp):
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1]


def transcribe(path):
    with wave.open(path, "rb") as w:
        ok = w.getframerate() == 16000 and w.getnchannels() == 1 and w.getsampwidth() == 2
    src = path
    tmp = None
    if not ok:
        tmp = tempfile.NamedTemporaryFile(suffix=".wav", delete=False)
        tmp.close()
        subprocess.run(["sox", path, "-r", "16000", "-c", "1", "-b", "16", tmp.name], check=True)
        src = tmp.name
    try:
        out = subprocess.run(["pocketsphinx_continuous", "-infile", src, "-hmm", MODEL + "/en-us",
                              "-lm", MODEL + "/en-us.lm.bin", "-dict", MODEL + "/cmudict-en-us.dict",
                              "-logfn", "/dev/null"], capture_output=True, text=True, check=True).stdout
    finally:
        if tmp:
            os.unlink(tmp.name)
    return " ".join(line.strip() for line in out.splitlines() if line.strip())


def score(ref_tsv, wav_dir, jobs=2):
    """Transcribes WAV_DIR/ID.wav for every item of REF_TSV, writes WAV_DIR/asr.tsv, prints the word error;
    -> the word error rate in percent."""
    refs = read_items(ref_tsv)
    with ThreadPoolExecutor(jobs) as pool:
        hyps = list(pool.map(lambda r: transcribe(os.path.join(wav_dir, r[0] + ".wav")), refs))
    errors = words = 0
    with open(os.path.join(wav_dir, "asr.tsv"), "w") as out:
        for (i, t), h in zip(refs, hyps):
            r = normalise(t)
            errors += edit_distance(r, normalise(h))
            words += len(r)
            out.write(f"{i}\t{t}\t{h}\n")
    wer = 100.0 * errors / max(words, 1)
    print(f"WER {wer:.1f}% ({errors} errors / {words} words, {len(refs)} sentences)")
    return wer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ref")
    ap.add_argument("wavs")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    return score(args.ref, args.wavs, args.jobs)


if __name__ == "__main__":
    sys.exit(0 if main() is not None else 1)
