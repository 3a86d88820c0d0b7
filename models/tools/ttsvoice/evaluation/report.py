"""Collects the evaluation's figures (models/slt/tools/eval) into BUNDLE/eval.json, the model card's table (between
the `<!-- eval:begin -->` and `<!-- eval:end -->` lines of BUNDLE/MODEL_CARD.md) and listening samples
(BUNDLE/samples: the first SAMPLES held-out sentences per voice, teacher and every variant, as FLAC, with an
index.html to play them side by side).

usage: python3 -m ttsvoice.evaluation.report BUNDLE EVAL_DIR [--samples 3]
EVAL_DIR holds ref.tsv and, per voice, teacher/wer.txt and per variant figures.txt (VoiceEval), wer.txt (asr) and
mcd.txt (mcd).
"""
import argparse
import datetime
import html
import json
import os
import re
import subprocess

from ttsvoice.tsv import read_items

BEGIN, END = "<!-- eval:begin -->", "<!-- eval:end -->"


def figures(path):
    """-> {key: value} of a file's `key: value` lines ({} when it is not there)."""
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if ": " in line:
                    k, v = line.rstrip("\n").split(": ", 1)
                    out[k.strip()] = v.strip()
    return out


def first_number(path, pattern):
    with open(path) as f:
        m = re.search(pattern, f.read())
    return float(m.group(1)) if m else None


def variants_of(manifest):
    """The variants the evaluation measures: default (the bundle's file) and every other variant but fp32 (which
    names the same file)."""
    return ["default"] + [k for k in manifest.get("variants", {}) if k != "fp32"]


def collect(bundle, eval_dir, manifest, refs, date):
    """-> (eval.json's content, [(voice, variant, figures, teacher word error)] in table order)."""
    result = {"model": manifest["name"], "version": manifest["version"], "sentences": len(refs),
              "date": date, "voices": {}}
    rows = []
    for voice in manifest["speakers"]:
        vdir = os.path.join(eval_dir, voice)
        teacher_wer = first_number(os.path.join(vdir, "teacher", "wer.txt"), r"WER ([0-9.]+)%")
        entry = {"teacher_wer": teacher_wer, "variants": {}}
        for variant in variants_of(manifest):
            d = os.path.join(vdir, variant)
            fig = figures(os.path.join(d, "figures.txt"))
            v = {
                "vocoder": fig.get("vocoder"),
                "wer": first_number(os.path.join(d, "wer.txt"), r"WER ([0-9.]+)%"),
                "mcd_db": first_number(os.path.join(d, "mcd.txt"), r"MCD ([0-9.]+) dB"),
                "rtf_batch1": float(fig["RTF batch 1"]),
                "rtf_batch8": float(fig["RTF batch 8"]),
                "rss_loaded_mib": int(fig["RSS loaded MiB"]),
                "rss_after_mib": int(fig["RSS after runs MiB"]),
                "file_mb": round(os.path.getsize(os.path.join(bundle, manifest["variants"][variant]["file"]
                                 if variant != "default" else manifest["file"])) / 1e6, 1),
            }
            entry["variants"][variant] = v
            rows.append((voice, variant, v, teacher_wer))
        result["voices"][voice] = entry
    return result, rows


def table(result, rows):
    """-> the model card's figures section, its marker lines included."""
    out = [BEGIN, "",
           f"Measured by `models/slt/tools/eval` on {result['date']}, {result['sentences']} held-out sentences per "
           f"voice, bundle version {result['version']}; 1 intra-op thread, CPU (this project's 2-core machine).",
           "",
           "| voice | variant | vocoder | WER (teacher) | MCD vs teacher | RTF batch 1 | RTF batch 8 | JVM RSS, model loaded | file |",
           "|---|---|---|---|---|---|---|---|---|"]
    for voice, variant, v, tw in rows:
        out.append(f"| {voice} | {variant} | {v['vocoder']} | {v['wer']:.1f}% ({tw:.1f}%) | {v['mcd_db']:.2f} dB | "
                   f"{v['rtf_batch1']:.4f} | {v['rtf_batch8']:.4f} | {v['rss_loaded_mib']} MiB | {v['file_mb']} MB |")
    out += ["", END]
    return out


def splice(card, lines):
    """The model card's text with LINES in place of what stood between its markers (appended under a Figures
    heading when it has none)."""
    if BEGIN in card and END in card:
        return card[: card.index(BEGIN)] + "\n".join(lines) + card[card.index(END) + len(END):]
    return card.rstrip("\n") + "\n\n## Figures\n\n" + "\n".join(lines) + "\n"


def write_samples(bundle, eval_dir, manifest, refs, count):
    """Replaces BUNDLE/samples with the first COUNT sentences per voice and source as FLAC (flac) and index.html."""
    variants = variants_of(manifest)
    samples = os.path.join(bundle, "samples")
    os.makedirs(samples, exist_ok=True)
    for name in os.listdir(samples):
        os.unlink(os.path.join(samples, name))
    page = ["<!doctype html>", "<meta charset=utf-8>", f"<title>{manifest['name']} listening samples</title>",
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 8px;text-align:left}</style>",
            f"<h1>Listening samples, bundle {manifest['version']}</h1>",
            "<p>Held-out sentences (never trained on): the festival teacher and every variant. Made by "
            "<code>models/slt/tools/eval</code>.</p>"]
    for voice in manifest["speakers"]:
        page.append(f"<h2>{voice}</h2><table><tr><th>sentence</th><th>teacher</th>"
                    + "".join(f"<th>{html.escape(v)}</th>" for v in variants) + "</tr>")
        for item_id, text in refs[:count]:
            cells = []
            for source in ["teacher"] + variants:
                name = f"{voice}-{source}-{item_id}.flac"
                subprocess.run(["flac", "-s", "--best", "-f", "-o", os.path.join(samples, name),
                                os.path.join(eval_dir, voice, source, item_id + ".wav")], check=True)
                cells.append(f"<td><audio controls preload=none src='{name}'></audio></td>")
            page.append(f"<tr><td>{html.escape(text)}</td>{''.join(cells)}</tr>")
        page.append("</table>")
    with open(os.path.join(samples, "index.html"), "w") as f:
        f.write("\n".join(page) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("eval_dir")
    ap.add_argument("--samples", type=int, default=3)
    args = ap.parse_args()
    with open(os.path.join(args.bundle, "manifest.json")) as f:
        manifest = json.load(f)
    refs = read_items(os.path.join(args.eval_dir, "ref.tsv"))
    result, rows = collect(args.bundle, args.eval_dir, manifest, refs, datetime.date.today().isoformat())
    with open(os.path.join(args.bundle, "eval.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    lines = table(result, rows)
    card = os.path.join(args.bundle, "MODEL_CARD.md")
    with open(card) as f:
        text = f.read()
    with open(card, "w") as f:
        f.write(splice(text, lines))
    write_samples(args.bundle, args.eval_dir, manifest, refs, args.samples)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
