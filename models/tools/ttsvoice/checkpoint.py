"""Training state on disk, one shape for the acoustic model's and the vocoder's runs, and trained weights read back.

A checkpoint is a torch.save'd dict {"model": state_dict, "opt": optimizer state_dict, <progress>: int} where the
progress key is the run's own counter ("epoch" for the acoustic model, "step" for the vocoder: the committed
models/slt/checkpoints/vocoder.pt has that shape). It is written to PATH.tmp and renamed, so an interrupted write
never leaves a torn checkpoint, and a run that finds one continues from it.
"""
import os

import torch


def save(path, model, optimizer, progress_key, progress):
    """Writes the training state atomically (PATH.tmp, then renamed over PATH)."""
    torch.save({"model": model.state_dict(), "opt": optimizer.state_dict(), progress_key: progress}, path + ".tmp")
    os.replace(path + ".tmp", path)


def resume(path, model, optimizer, progress_key):
    """Loads PATH's weights and optimizer state into MODEL and OPTIMIZER when PATH exists.

    -> the progress it was saved at, or None (and both left as they are) when there is no checkpoint."""
    if not os.path.exists(path):
        return None
    state = torch.load(path)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["opt"])
    return state[progress_key]


def weights(path):
    """-> the model state_dict of a training checkpoint."""
    return torch.load(path)["model"]


def init_acoustic(model, path):
    """Copies the acoustic weights of a training checkpoint or of an exported bundle's TorchScript file (its
    acoustic_model.* weights) into MODEL; speakers MODEL has beyond the source's start as the source's speaker 0."""
    try:
        state = {k[len("acoustic_model."):]: v for k, v in torch.jit.load(path).state_dict().items()
                 if k.startswith("acoustic_model.")}
    except RuntimeError:  # not TorchScript: a training checkpoint
        state = weights(path)
    old = state["speaker.weight"]
    new = model.speaker.weight.detach().clone()
    new[: old.size(0)] = old
    new[old.size(0):] = old[0]
    state["speaker.weight"] = new
    model.load_state_dict(state)
