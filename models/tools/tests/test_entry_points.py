import glob
import importlib.util
import os
import re
import unittest

from ttsvoice import MODELS_DIR

SCRIPTS = sorted(p for p in glob.glob(os.path.join(MODELS_DIR, "*", "tools", "*")) if os.access(p, os.X_OK))


class EntryPointsTest(unittest.TestCase):
    """The shell entry points under models/*/tools run the package's modules by name; a module moved or renamed
    without them fails here, not an hour into a training run."""

    def test_every_module_a_script_runs_exists(self):
        self.assertTrue(SCRIPTS)
        seen = 0
        for path in SCRIPTS:
            with open(path) as f:
                text = f.read()
            for name in re.findall(r"python3 -m (ttsvoice[\w.]*)", text):
                with self.subTest(script=path, module=name):
                    self.assertIsNotNone(importlib.util.find_spec(name))
                    self.assertIn("PYTHONPATH=", text, "the script puts models/tools on the path")
                seen += 1
        self.assertGreaterEqual(seen, 15)

    def test_no_script_runs_a_python_file_by_path(self):
        for path in SCRIPTS:
            with open(path) as f:
                self.assertIsNone(re.search(r"python3 [^-\s][^\s]*\.py", f.read()), path)


if __name__ == "__main__":
    unittest.main()
