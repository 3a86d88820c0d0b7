"""The sentence lists of the teacher data and the evaluation: `ID<TAB>text` lines (train.tsv, heldout.tsv,
ref.tsv). Lines without a tab are not items and are skipped."""


def read_items(path):
    """-> [(id, text)] of the file's `ID<TAB>text` lines, in order (text keeps its inner tabs)."""
    with open(path) as f:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in f if "\t" in line]


def read_ids(path):
    """-> the IDs of the file's items, in order."""
    return [item_id for item_id, _ in read_items(path)]
