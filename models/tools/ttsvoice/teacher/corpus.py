"""Builds the sentence corpus from Debian's `fortunes` package (offline): single sentences of 25-160
characters of plain English (ASCII letters, digits, space and , . ; : ' ! ? - only, so no URLs, tabs
or markup; at most 4 digits; attribution lines starting with `--` dropped; not all capitals),
deduplicated case-insensitively, sorted and shuffled with a fixed seed (random.Random(0)); the first
150 are held out for evaluation and never trained on. Only the files directly in
/usr/share/games/fortunes are read (not the offensive set, which Debian ships separately).

usage: python3 -m ttsvoice.teacher.corpus OUT_DIR [--total 2400] [--heldout 150]
writes OUT_DIR/train.tsv (s00000...) and OUT_DIR/heldout.tsv (h0000...), lines ID<TAB>text
"""
import argparse
import glob
import os
import random
import re

FORTUNES = "/usr/share/games/fortunes"
ALLOWED = re.compile(r"^[A-Za-z0-9 ,.;:'!?\-]+$")
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def files():
    for path in sorted(glob.glob(os.path.join(FORTUNES, "*"))):
        if os.path.isdir(path) or path.endswith((".dat", ".u8")) or os.path.islink(path):
            continue
        yield path


def entries(with_source=False):
    for path in files():
        with open(path, encoding="latin-1") as f:
            text = f.read()
        for entry in text.split("\n%\n"):
            lines = [l.strip() for l in entry.splitlines()]
            if any(l.startswith("--") or "\t" in l or l.startswith(("Q:", "A:")) for l in lines):
                lines = [l for l in lines if not l.startswith("--")]
            joined = " ".join(l for l in lines if l)
            yield (joined, os.path.basename(path)) if with_source else joined


def sentences(with_source=False):
    """Candidate sentences in file order, first occurrence wins; (sentence, fortune file) pairs if
    with_source."""
    seen = set()
    for entry, source in entries(with_source=True):
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
            yield (s, source) if with_source else s


def write_atomic(path, lines):
    with open(path + ".tmp", "w") as f:
        f.writelines(lines)
    os.replace(path + ".tmp", path)


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
    if len(chosen) < args.total:
        raise SystemExit(f"only {len(chosen)} candidate sentences, {args.total} wanted")
    write_atomic(os.path.join(args.out, "heldout.tsv"),
                 [f"h{i:04d}\t{s}\n" for i, s in enumerate(chosen[: args.heldout])])
    write_atomic(os.path.join(args.out, "train.tsv"),
                 [f"s{i:05d}\t{s}\n" for i, s in enumerate(chosen[args.heldout:])])
    print(f"{len(pool)} candidate sentences; {args.heldout} held out, {len(chosen) - args.heldout} for training")


if __name__ == "__main__":
    main()
