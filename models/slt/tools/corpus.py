"""Builds the sentence corpus from Debian's `fortunes` package (offline): single sentences of 25-160
characters of plain English, deduplicated, shuffled with a fixed seed; the first 150 are held out for
evaluation and never trained on.

usage: /usr/bin/python3 corpus.py OUT_DIR [--total 2400] [--heldout 150]
writes OUT_DIR/train.tsv and OUT_DIR/heldout.tsv (ID<TAB>text)
"""
import argparse
import glob
import os
import random
import re

FORTUNES = "/usr/share/games/fortunes"
ALLOWED = re.compile(r"^[A-Za-z0-9 ,.;:'!?\-]+$")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def entries():
    for path in sorted(glob.glob(os.path.join(FORTUNES, "*"))):
        if os.path.isdir(path) or path.endswith((".dat", ".u8")) or os.path.islink(path):
            continue
        with open(path, encoding="latin-1") as f:
            text = f.read()
        for entry in text.split("\n%\n"):
            lines = [l.strip() for l in entry.splitlines()]
            if any(l.startswith("--") or "\t" in l or l.startswith(("Q:", "A:")) for l in lines):
                lines = [l for l in lines if not l.startswith("--")]
            yield " ".join(l for l in lines if l)


def sentences():
    seen = set()
    for entry in entries():
        for s in SENTENCE.split(entry):
            s = re.sub(r"\s+", " ", s).strip()
            if not (25 <= len(s) <= 160) or not ALLOWED.match(s) or not s[0].isupper():
                continue
            if s[-1] not in ".!?" or sum(c.isdigit() for c in s) > 4 or s.isupper():
                continue
            key = s.lower()
            if key in seen:
                continue
            seen.add(key)
            yield s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--total", type=int, default=2400)
    ap.add_argument("--heldout", type=int, default=150)
    args = ap.parse_args()
    pool = sorted(sentences())
    random.Random(0).shuffle(pool)
    chosen = pool[: args.total]
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "heldout.tsv"), "w") as f:
        for i, s in enumerate(chosen[: args.heldout]):
            f.write(f"h{i:04d}\t{s}\n")
    with open(os.path.join(args.out, "train.tsv"), "w") as f:
        for i, s in enumerate(chosen[args.heldout:]):
            f.write(f"s{i:05d}\t{s}\n")
    print(f"{len(pool)} candidate sentences; {args.heldout} held out, {len(chosen) - args.heldout} for training")


if __name__ == "__main__":
    main()
