"""The Python side of the model bundles (models/<name>/): teacher data, training, export and evaluation.

Run from models/tools (or with it on PYTHONPATH) as `python3 -m ttsvoice.<module>`; the shell entry points under
models/slt/tools and models/placeholder/tools do that. One module a stage:

- teacher: the festival teacher data (corpus from `fortunes`, rendering, checks, festival's own phones);
- model: the slt voice's networks and features (TorchScript-able);
- training: the acoustic model (training.acoustic) and the neural vocoder (training.vocoder), with their shared
  data loading (training.dataset);
- export: the slt bundle's TorchScript files and manifest;
- evaluation: word error (asr), mel-cepstral distortion (mcd, with its math in distance), the report (eval.json,
  model card table, samples) and a quick look at a training run (quick);
- placeholder: the untrained placeholder bundle's export and check;
- shared: manifest (the bundle manifest's one schema, models/manifest.schema.json), checkpoint (save and resume
  of training state, loading of trained weights), audio (16 kHz mono WAV), tsv (ID<TAB>text lists).

Torch (Debian's python3-torch 1.13, at /usr/bin/python3) is imported only by the modules that run a network, so
the manifest, report, tsv and distance code and their tests run without it.
"""
import os

# models/: the bundles (models/<name>/) and the manifest schema, two levels above this package
MODELS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
