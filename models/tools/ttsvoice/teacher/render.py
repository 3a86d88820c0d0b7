"""Renders ID<TAB>text lines with a festival voice (--voice, default slt: voice_cmu_us_slt_arctic_hts, 32 kHz;
kal: voice_kal_diphone, 16 kHz): DIR/wav/ID.wav
(resampled by sox to 16 kHz mono 16-bit PCM, without dither so a re-render is bit-identical) and
DIR/lab/ID.lab (one `phone<TAB>end_seconds` line per phone, festival's own segment end times from
utt.save.segs, which match the wave). Items whose .lab exists are skipped, so a re-run resumes; the .lab
is written last (atomically), so an interrupted item is simply rendered again.

Festival is single-threaded: PROCS festival processes run at once (never more), each one rendering a
chunk of CHUNK sentences from one generated .scm script.

usage: python3 -m ttsvoice.teacher.render DIR TSV [TSV...] [--voice slt|kal] [--procs 2] [--chunk 100]
"""
import argparse
import os
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from ttsvoice.teacher.festival import VOICES, scheme_string
from ttsvoice.tsv import read_items


def segs_to_lab(segs_path, lab_path):
    """utt.save.segs writes a header ending in a '#' line, then `end_time 100 phone` lines."""
    rows = []
    with open(segs_path) as f:
        body = False
        for line in f:
            if line.startswith("#"):
                body = True
                continue
            parts = line.split()
            if body and len(parts) == 3:
                rows.append(f"{parts[2]}\t{parts[0]}\n")
    if not rows:
        raise RuntimeError(f"no segments in {segs_path}")
    with open(lab_path + ".tmp", "w") as o:
        o.writelines(rows)
    os.replace(lab_path + ".tmp", lab_path)


def render_chunk(out, chunk, voice="slt"):
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        script = [f"({VOICES[voice]})"]
        for n, (_, text) in enumerate(chunk):
            script.append(f"(set! u (Utterance Text {scheme_string(text)}))")
            script.append("(utt.synth u)")
            script.append(f'(utt.save.wave u "{tmp}/{n}.wav" \'riff)')
            script.append(f'(utt.save.segs u "{tmp}/{n}.segs")')
        path = os.path.join(tmp, "run.scm")
        with open(path, "w") as f:
            f.write("\n".join(script) + "\n")
        proc = subprocess.run(["festival", "-b", path], capture_output=True, text=True, errors="replace")
        for n, (item_id, text) in enumerate(chunk):
            if not (os.path.exists(f"{tmp}/{n}.wav") and os.path.exists(f"{tmp}/{n}.segs")):
                raise RuntimeError(f"festival did not render {item_id} ({text!r}); exit {proc.returncode}; "
                                   f"stderr tail: {proc.stderr[-2000:]}")
            wav = os.path.join(out, "wav", item_id + ".wav")
            subprocess.run(["sox", "-D", f"{tmp}/{n}.wav", "-r", "16000", "-c", "1", "-b", "16",
                            "-e", "signed-integer", "-t", "wav", wav + ".tmp"], check=True)
            os.replace(wav + ".tmp", wav)
            segs_to_lab(f"{tmp}/{n}.segs", os.path.join(out, "lab", item_id + ".lab"))
    return len(chunk)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("tsv", nargs="+")
    ap.add_argument("--voice", choices=sorted(VOICES), default="slt")
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=100)
    args = ap.parse_args()
    os.makedirs(os.path.join(args.dir, "wav"), exist_ok=True)
    os.makedirs(os.path.join(args.dir, "lab"), exist_ok=True)
    todo, total = [], 0
    for tsv in args.tsv:
        for item_id, text in read_items(tsv):
            total += 1
            if not os.path.exists(os.path.join(args.dir, "lab", item_id + ".lab")):
                todo.append((item_id, text))
    print(f"render: {total - len(todo)}/{total} already rendered, {len(todo)} to go "
          f"({args.procs} festival processes, {args.chunk} sentences each)", flush=True)
    if not todo:
        return
    chunks = [todo[i:i + args.chunk] for i in range(0, len(todo), args.chunk)]
    done, start = 0, time.time()
    with ThreadPoolExecutor(max(1, args.procs)) as pool:
        for n in pool.map(lambda c: render_chunk(args.dir, c, args.voice), chunks):
            done += n
            print(f"rendered {done}/{len(todo)} ({time.time() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
