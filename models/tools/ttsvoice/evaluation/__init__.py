"""The bundle's evaluation (models/slt/tools/eval runs it around the workers' Java path): word error by
pocketsphinx (asr), mel-cepstral distortion against the teacher (mcd, its math in distance), the report that
collects the figures into eval.json, the model card and listening samples (report), and a quick look at a
training run in Python (quick)."""
