"""The bundle manifest (models/<name>/manifest.json) and its one schema, models/manifest.schema.json, which the
worker checks too (ModelManifest). Exports build their manifest with io_spec() and write it with write(), which
validates it first, so no bundle is written with a manifest the worker would refuse.

usage: python3 -m ttsvoice.manifest MANIFEST.json [...]   (exit status 1 when one violates the schema)

Needs the jsonschema package (Debian python3-jsonschema).
"""
import json
import os
import sys

from ttsvoice import MODELS_DIR

SCHEMA_PATH = os.path.join(MODELS_DIR, "manifest.schema.json")


class ManifestError(ValueError):
    """A manifest that violates the schema; problems holds one 'field: what is wrong' line per violation, the field
    a JSON pointer ('/variants/int8/version'), '(top level)' for the manifest itself (where a missing or unknown
    field is named in the message), as the worker's ModelManifest says them."""

    def __init__(self, source, problems):
        super().__init__(f"{source} violates {os.path.basename(SCHEMA_PATH)}: " + "; ".join(problems))
        self.problems = problems


def schema():
    with open(SCHEMA_PATH) as f:
        return json.load(f)


def problems(manifest):
    """-> 'field: message' lines, one per schema violation of the manifest (a dict), sorted; empty when valid."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    out = []
    for error in validator.iter_errors(manifest):
        field = "".join(f"/{p}" for p in error.absolute_path) or "(top level)"
        out.append(f"{field}: {error.message}")
    return sorted(out)


def validate(manifest, source="manifest"):
    """Raises ManifestError naming each field that violates the schema."""
    found = problems(manifest)
    if found:
        raise ManifestError(source, found)


def io_spec():
    """The inputs and outputs every bundle's forward method has (phones, lengths, speaker, speed -> wave,
    wave_lengths, durations), as the manifest lists them."""
    return {
        "inputs": [
            {"name": "phones", "dtype": "int64", "shape": ["B", "T"]},
            {"name": "lengths", "dtype": "int64", "shape": ["B"]},
            {"name": "speaker", "dtype": "int64", "shape": ["B"]},
            {"name": "speed", "dtype": "float32", "shape": ["B"]},
        ],
        "outputs": [
            {"name": "wave", "dtype": "float32", "shape": ["B", "N"]},
            {"name": "wave_lengths", "dtype": "int64", "shape": ["B"]},
            {"name": "durations", "dtype": "int64", "shape": ["B", "T"]},
        ],
    }


def write(bundle, manifest):
    """Validates the manifest, then writes BUNDLE/manifest.json (2-space indent, trailing newline)."""
    path = os.path.join(bundle, "manifest.json")
    validate(manifest, path)
    with open(path, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def main(paths):
    bad = 0
    for path in paths:
        with open(path) as f:
            found = problems(json.load(f))
        print(f"{path}: " + ("ok" if not found else "; ".join(found)))
        bad += bool(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
