"""Renders ID<TAB>text lines with festival's slt voice: DIR/wav/ID.wav (16 kHz mono 16-bit) and
DIR/lab/ID.lab (phone<TAB>end_seconds, festival's own segment times). Skips items already done, so a
re-run resumes. Runs PROCS festival processes in parallel, each over chunks of sentences.

usage: /usr/bin/python3 render.py DIR TSV [TSV...] [--procs 2]
"""
import argparse
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

CHUNK = 50


def scheme_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_chunk(out, chunk):
    with tempfile.TemporaryDirectory() as tmp:
        script = ["(voice_cmu_us_slt_arctic_hts)"]
        for item_id, text in chunk:
            script.append(f"(set! u (Utterance Text {scheme_string(text)}))")
            script.append("(utt.synth u)")
            script.append(f'(utt.save.wave u "{tmp}/{item_id}.wav" \'riff)')
            script.append(f'(utt.save.segs u "{tmp}/{item_id}.segs")')
        path = os.path.join(tmp, "run.scm")
        with open(path, "w") as f:
            f.write("\n".join(script) + "\n")
        subprocess.run(["festival", "-b", path], check=True, capture_output=True)
        for item_id, _ in chunk:
            subprocess.run(["sox", f"{tmp}/{item_id}.wav", "-r", "16000", "-c", "1", "-b", "16",
                            os.path.join(out, "wav", item_id + ".wav")], check=True)
            with open(f"{tmp}/{item_id}.segs") as f, open(os.path.join(out, "lab", item_id + ".lab.tmp"), "w") as o:
                body = False
                for line in f:
                    if line.startswith("#"):
                        body = True
                        continue
                    parts = line.split()
                    if body and len(parts) == 3:
                        o.write(f"{parts[2]}\t{parts[0]}\n")
            os.replace(os.path.join(out, "lab", item_id + ".lab.tmp"), os.path.join(out, "lab", item_id + ".lab"))
    return len(chunk)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("tsv", nargs="+")
    ap.add_argument("--procs", type=int, default=2)
    args = ap.parse_args()
    os.makedirs(os.path.join(args.dir, "wav"), exist_ok=True)
    os.makedirs(os.path.join(args.dir, "lab"), exist_ok=True)
    todo = []
    for tsv in args.tsv:
        with open(tsv) as f:
            for line in f:
                if "\t" in line:
                    item_id, text = line.rstrip("\n").split("\t", 1)
                    if not os.path.exists(os.path.join(args.dir, "lab", item_id + ".lab")):
                        todo.append((item_id, text))
    chunks = [todo[i:i + CHUNK] for i in range(0, len(todo), CHUNK)]
    done = 0
    with ThreadPoolExecutor(args.procs) as pool:
        for n in pool.map(lambda c: render_chunk(args.dir, c), chunks):
            done += n
            print(f"rendered {done}/{len(todo)}", flush=True)


if __name__ == "__main__":
    main()
