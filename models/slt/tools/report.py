"""Collects the evaluation's figures (tools/eval) into BUNDLE/eval.json, the model card's table (between the
`<!-- eval:begin -->` and `<!-- eval:end -->` lines of BUNDLE/MODEL_CARD.md) and listening samples
(BUNDLE/samples: the first SAMPLES held-out sentences per voice, teacher and every variant, as FLAC, with an
index.html to play them side by side).

usage: /usr/bin/python3 report.py BUNDLE EVAL_DIR [--samples 3]
"""
import argparse
import datetime
import html
import json
import os
import re
import subprocess

BEGIN, END = "<!-- eval:begin -->", "<!-- eval:end -->"


def figures(path):
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("eval_dir")
    ap.add_argument("--samples", type=int, default=3)
    args = ap.parse_args()
    with open(os.path.join(args.bundle, "manifest.json")) as f:
        manifest = json.load(f)
    variants = ["default"] + [k for k in manifest.get("variants", {}) if k != "fp32"]
    with open(os.path.join(args.eval_dir, "ref.tsv")) as f:
        refs = [line.rstrip("\n").split("\t", 1) for line in f if "\t" in line]
    result = {"model": manifest["name"], "version": manifest["version"], "sentences": len(refs),
              "date": datetime.date.today().isoformat(), "voices": {}}
    rows = []
    for voice in manifest["speakers"]:
        vdir = os.path.join(args.eval_dir, voice)
        teacher_wer = first_number(os.path.join(vdir, "teacher", "wer.txt"), r"WER ([0-9.]+)%")
        entry = {"teacher_wer": teacher_wer, "variants": {}}
        for variant in variants:
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
                "file_mb": round(os.path.getsize(os.path.join(args.bundle, manifest["variants"][variant]["file"]
                                 if variant != "default" else manifest["file"])) / 1e6, 1),
            }
            entry["variants"][variant] = v
            rows.append((voice, variant, v, teacher_wer))
        result["voices"][voice] = entry
    with open(os.path.join(args.bundle, "eval.json"), "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")

    table = [BEGIN, "",
             f"Measured by `models/slt/tools/eval` on {result['date']}, {len(refs)} held-out sentences per voice, "
             f"bundle version {manifest['version']}; 1 intra-op thread, CPU (this project's 2-core machine).",
             "",
             "| voice | variant | vocoder | WER (teacher) | MCD vs teacher | RTF batch 1 | RTF batch 8 | JVM RSS, model loaded | file |",
             "|---|---|---|---|---|---|---|---|---|"]
    for voice, variant, v, tw in rows:
        table.append(f"| {voice} | {variant} | {v['vocoder']} | {v['wer']:.1f}% ({tw:.1f}%) | {v['mcd_db']:.2f} dB | "
                     f"{v['rtf_batch1']:.4f} | {v['rtf_batch8']:.4f} | {v['rss_loaded_mib']} MiB | {v['file_mb']} MB |")
    table += ["", END]
    card = os.path.join(args.bundle, "MODEL_CARD.md")
    with open(card) as f:
        text = f.read()
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + "\n".join(table) + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Figures\n\n" + "\n".join(table) + "\n"
    with open(card, "w") as f:
        f.write(text)

    samples = os.path.join(args.bundle, "samples")
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
        for item_id, text in refs[: args.samples]:
            cells = []
            for source in ["teacher"] + variants:
                name = f"{voice}-{source}-{item_id}.flac"
                subprocess.run(["flac", "-s", "--best", "-f", "-o", os.path.join(samples, name),
                                os.path.join(args.eval_dir, voice, source, item_id + ".wav")], check=True)
                cells.append(f"<td><audio controls preload=none src='{name}'></audio></td>")
            page.append(f"<tr><td>{html.escape(text)}</td>{''.join(cells)}</tr>")
        page.append("</table>")
    with open(os.path.join(samples, "index.html"), "w") as f:
        f.write("\n".join(page) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    main()
