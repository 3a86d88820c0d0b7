"""Checks the teacher data and writes its provenance: every ID in heldout.tsv and train.tsv has
wav/ID.wav (16 kHz mono 16-bit PCM) and lab/ID.lab (`phone<TAB>end_seconds`, non-decreasing times)
whose last end time matches the wave's duration within one 200-sample hop; no ID or text is in both
splits. Writes DIR/phones.tsv (the phone inventory: phone<TAB>count, sorted by phone) and DIR/SOURCES.md
(packages and versions, licence notes, counts, hours).

usage: /usr/bin/python3 check_teacher.py DIR [slt|kal]
exit status 1 when a file is missing or malformed, or a lab's end disagrees with its wave.
"""
import collections
import os
import subprocess
import sys
import wave

SR = 16000
HOP = 200
PACKAGES = ["fortunes", "fortune-mod", "festival", "festvox-us-slt-hts", "festvox-kallpc16k", "festlex-cmu",
            "festlex-poslex", "sox"]
# per teacher voice: festival voice, Debian package, native rate, licence note
TEACHERS = {
    "slt": ("cmu_us_slt_arctic_hts", "festvox-us-slt-hts", "32 kHz",
            "voice data Copyright 2003 Carnegie Mellon University, licence EST-2003 (permission to use, copy, "
            "modify and licence for any purpose without fee, keeping the notice); festival scheme files EST-2000 "
            "(CMU); HTS feature list BSD-3-clause (Nagoya and Tokyo Institutes of Technology)."),
    "kal": ("kal_diphone", "festvox-kallpc16k", "16 kHz, LPC diphones",
            "Copyright (c) 1998 Alan W Black and Kevin Lenzo: free use, copying, modification and distribution, "
            "keeping the notice, marking modifications, keeping the authors' names and not using them for "
            "endorsement."),
}


def read_tsv(path):
    with open(path) as f:
        return [tuple(l.rstrip("\n").split("\t", 1)) for l in f if "\t" in l]


def version(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else "not installed"


def main():
    data = sys.argv[1]
    teacher = sys.argv[2] if len(sys.argv) > 2 else "slt"
    voice_name, package, rate, licence = TEACHERS[teacher]
    # kal's diphone waves run up to about 480 samples past their last segment's end (training gives the last
    # phone the remainder); slt's match exactly
    tolerance = HOP if teacher == "slt" else 3 * HOP
    splits = {"heldout": read_tsv(os.path.join(data, "heldout.tsv")),
              "train": read_tsv(os.path.join(data, "train.tsv"))}
    errors, mismatches = [], []
    seconds = collections.Counter()
    phones = collections.Counter()
    worst = 0.0
    for split, items in splits.items():
        for item_id, _ in items:
            wav_path = os.path.join(data, "wav", item_id + ".wav")
            lab_path = os.path.join(data, "lab", item_id + ".lab")
            if not (os.path.exists(wav_path) and os.path.exists(lab_path)):
                errors.append(f"{item_id}: missing wav or lab")
                continue
            with wave.open(wav_path) as w:
                if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (SR, 1, 2):
                    errors.append(f"{item_id}: wav is {w.getframerate()} Hz, {w.getnchannels()} ch, "
                                  f"{8 * w.getsampwidth()} bit")
                frames = w.getnframes()
            seconds[split] += frames / SR
            prev, last = 0.0, None
            with open(lab_path) as f:
                for n, line in enumerate(f, 1):
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) != 2:
                        errors.append(f"{item_id}.lab line {n}: {line!r}")
                        break
                    t = float(parts[1])
                    if t < prev:
                        errors.append(f"{item_id}.lab line {n}: time goes back")
                    prev = last = t
                    phones[parts[0]] += 1
            if last is None:
                errors.append(f"{item_id}.lab: empty")
                continue
            diff = abs(last * SR - frames)
            worst = max(worst, diff)
            if diff > tolerance:
                mismatches.append(f"{item_id}: lab ends {last:.4f} s, wave {frames / SR:.4f} s")
    ids = [i for i, _ in splits["heldout"]]
    texts = {t.lower() for _, t in splits["heldout"]}
    if set(ids) & {i for i, _ in splits["train"]}:
        errors.append("an ID is in both splits")
    if any(t.lower() in texts for _, t in splits["train"]):
        errors.append("a held-out sentence is also in train.tsv")

    with open(os.path.join(data, "phones.tsv"), "w") as f:
        for p in sorted(phones):
            f.write(f"{p}\t{phones[p]}\n")

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import corpus
    source_of = dict(corpus.sentences(with_source=True))
    by_file = collections.Counter(source_of.get(t, "?") for items in splits.values() for _, t in items)
    n_all = sum(len(v) for v in splits.values())
    hours = sum(seconds.values()) / 3600
    lines = [
        f"# Teacher data for the {teacher} voice: sources",
        "",
        "Generated by `models/slt/tools/make-teacher-data` (this file by `check_teacher.py`); not committed.",
        "",
        "## Contents",
        "",
        f"- {n_all} sentences: {len(splits['train'])} for training (`train.tsv`, IDs s00000...), "
        f"{len(splits['heldout'])} held out for evaluation (`heldout.tsv`, IDs h0000..., never trained on).",
        f"- Audio: {hours:.3f} hours in all ({seconds['train'] / 3600:.3f} h train, "
        f"{seconds['heldout'] / 3600:.3f} h held out); `wav/ID.wav`, 16 kHz mono 16-bit PCM.",
        f"- Labels: `lab/ID.lab`, one `phone<TAB>end_seconds` line per phone (festival's radio phone set "
        f"with `pau`), {sum(phones.values())} phones of {len(phones)} kinds (`phones.tsv`); the last end time "
        f"matches the wave within {worst:.0f} samples at worst ({len(mismatches)} over {tolerance}).",
        "",
        "## Text",
        "",
        f"Debian package `fortunes` {version('fortunes')} (with `fortune-mod` {version('fortune-mod')}): the "
        "fortune files directly in /usr/share/games/fortunes (not the offensive set). Single sentences of "
        "25-160 characters of plain ASCII English, attribution lines (`--`) dropped, deduplicated, sorted and "
        "shuffled with a fixed seed (`corpus.py`). No Bible text is used.",
        "",
        "Licence as stated in /usr/share/doc/fortunes/copyright: the fortune program and the Debian "
        "packaging fall under the BSD licence (University of California, 1991); the cookie files themselves "
        "are quotations and jokes of mixed provenance with no licence of their own stated (the `cookie` file "
        "is from Karl Lehenbauer's postings to alt.sources). They are used only as input text to a speech "
        "synthesizer and are not redistributed.",
        "",
        "Sentences per fortune file:",
        "",
    ]
    lines += [f"- {name}: {count}" for name, count in sorted(by_file.items(), key=lambda kv: (-kv[1], kv[0]))]
    lines += [
        "",
        "## Audio and labels",
        "",
        f"Rendered by festival {version('festival')} with the voice `{voice_name}` from "
        f"`{package}` {version(package)} ({rate}; lexicon `festlex-cmu` "
        f"{version('festlex-cmu')}, `festlex-poslex` {version('festlex-poslex')}); resampled to 16 kHz by "
        f"sox {version('sox')} (no dither). Phone end times from festival's `utt.save.segs`.",
        "",
        "Licences as stated in /usr/share/doc/<pkg>/copyright:",
        "",
        f"- {package}: {licence}",
        "- festival: Copyright 1996-2017 Centre for Speech Technology Research, University of Edinburgh; "
        "free use and distribution with notice retained, modifications marked, authors' names kept and not "
        "used for endorsement.",
        "- festlex-cmu: CMU Pronouncing Dictionary, a similar free licence (see its copyright file).",
        "- sox: GPL-2+ or LGPL-2.1+ (a tool only; nothing of it is in the data).",
        "",
    ]
    if mismatches:
        lines += ["## Duration mismatches", ""] + [f"- {m}" for m in mismatches] + [""]
    with open(os.path.join(data, "SOURCES.md"), "w") as f:
        f.write("\n".join(lines))

    print(f"check: {n_all} items ({len(splits['train'])} train, {len(splits['heldout'])} held out), "
          f"{hours:.3f} h audio, {len(phones)} phone kinds, worst lab/wave end difference "
          f"{worst:.0f} samples, {len(mismatches)} over {tolerance}, {len(errors)} errors")
    for m in (errors + mismatches)[:20]:
        print("  " + m)
    sys.exit(1 if errors or mismatches else 0)


if __name__ == "__main__":
    main()
