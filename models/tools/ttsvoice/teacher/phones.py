"""Festival's own phones for text, as the slt teacher voice says them: reads `ID<TAB>text` lines on
stdin, prints `ID<TAB>space-separated phones` (festival's radio phone set with `pau`, exactly the
sequence that make-teacher-data's lab files hold for the same text).

Runs voice_cmu_us_slt_arctic_hts's front end only (the modules utt.synth runs before the waveform:
Initialize, Text, Token_POS, Token, POS, Phrasify, Word, Pauses, Intonation, PostLex), in one festival
process for all lines, so it is quick (about 7 ms a sentence; 2,400 in 16 s). Needs festival and festvox-us-slt-hts.

usage: models/slt/tools/festival-phones < items.tsv > phones.tsv  (python3 -m ttsvoice.teacher.phones)
"""
import os
import subprocess
import sys
import tempfile

from ttsvoice.teacher.festival import scheme_string

FRONT_END = """(voice_cmu_us_slt_arctic_hts)
(define (slt_phones text)
  (let ((u (eval (list 'Utterance 'Text text))))
    (Initialize u) (Text u) (Token_POS u) (Token u) (POS u) (Phrasify u)
    (Word u) (Pauses u) (Intonation u) (PostLex u)
    (mapcar item.name (utt.relation.items u 'Segment))))
(define (slt_write fd n text)
  (format fd "%d" n)
  (mapcar (lambda (p) (format fd " %s" p)) (slt_phones text))
  (format fd "\\n"))
"""


def main():
    items = []
    for line in sys.stdin:
        line = line.rstrip("\r\n")
        if "\t" in line:
            item_id, text = line.split("\t", 1)
            items.append((item_id, " ".join(text.split())))
    if not items:
        return
    with tempfile.TemporaryDirectory(prefix="festival-phones-") as tmp:
        out = os.path.join(tmp, "phones.txt")
        script = [FRONT_END, f"(set! slt_fd (fopen {scheme_string(out)} \"w\"))"]
        script += [f"(slt_write slt_fd {n} {scheme_string(text)})" for n, (_, text) in enumerate(items)]
        script.append("(fclose slt_fd)")
        path = os.path.join(tmp, "run.scm")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(script) + "\n")
        proc = subprocess.run(["festival", "-b", path], capture_output=True, text=True, errors="replace")
        phones = {}
        if os.path.exists(out):
            with open(out, encoding="utf-8", errors="replace") as f:
                for line in f:
                    parts = line.split()
                    if parts:
                        phones[int(parts[0])] = parts[1:]
        if len(phones) != len(items):
            missing = [items[n][0] for n in range(len(items)) if n not in phones]
            sys.exit(f"festival-phones: festival gave no phones for {len(missing)} item(s), first "
                     f"{missing[:5]}; exit {proc.returncode}; stderr tail: {proc.stderr[-2000:]}")
    for n, (item_id, _) in enumerate(items):
        sys.stdout.write(f"{item_id}\t{' '.join(phones[n])}\n")


if __name__ == "__main__":
    main()
