import copy
import glob
import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stdout

from ttsvoice import MODELS_DIR, manifest

SHIPPED = sorted(glob.glob(os.path.join(MODELS_DIR, "*", "manifest.json")))


def shipped(name):
    with open(os.path.join(MODELS_DIR, name, "manifest.json")) as f:
        return json.load(f)


class ManifestSchemaTest(unittest.TestCase):
    def test_every_shipped_manifest_passes(self):
        self.assertGreaterEqual(len(SHIPPED), 2, "models/slt and models/placeholder")
        for path in SHIPPED:
            with self.subTest(path=path), open(path) as f:
                self.assertEqual(manifest.problems(json.load(f)), [])

    def assert_names(self, broken, field, words):
        with self.assertRaises(manifest.ManifestError) as caught:
            manifest.validate(broken)
        lines = [p for p in caught.exception.problems if p.startswith(field + ": ")]
        self.assertTrue(lines, f"no problem names {field}: {caught.exception.problems}")
        self.assertIn(words, lines[0])

    def test_a_missing_required_field_is_named(self):
        m = shipped("slt")
        del m["speakers"]
        self.assert_names(m, "(top level)", "'speakers' is a required property")

    def test_a_field_of_the_wrong_type_is_named(self):
        m = shipped("placeholder")
        m["sample_rate"] = "16000"
        self.assert_names(m, "/sample_rate", "is not of type 'integer'")

    def test_a_misspelt_field_is_refused(self):
        m = shipped("slt")
        m["fp16file"] = "model-fp16.pt"
        self.assert_names(m, "(top level)", "'fp16file' was unexpected")

    def test_a_variant_without_its_version_is_named(self):
        m = shipped("slt")
        del m["variants"]["int8"]["version"]
        self.assert_names(m, "/variants/int8", "'version' is a required property")

    def test_a_version_that_is_no_hash_prefix_is_named(self):
        m = shipped("slt")
        m["variants"]["griffin-lim"]["version"] = "not-a-hash"
        self.assert_names(m, "/variants/griffin-lim/version", "does not match")

    def test_padding_must_be_symbol_zero(self):
        m = shipped("placeholder")
        m["phone_set"] = m["phone_set"][1:]
        self.assert_names(m, "/phone_set/0", "'<pad>' was expected")

    def test_default_is_no_variant_name(self):
        m = shipped("slt")
        m["variants"]["default"] = copy.deepcopy(m["variants"]["fp32"])
        with self.assertRaises(manifest.ManifestError) as caught:
            manifest.validate(m)
        self.assertTrue(any(p.startswith("/variants") for p in caught.exception.problems), caught.exception.problems)

    def test_the_exports_io_spec_is_what_the_bundles_ship(self):
        for name in ("slt", "placeholder"):
            m = shipped(name)
            self.assertEqual({"inputs": m["inputs"], "outputs": m["outputs"]}, manifest.io_spec(), name)

    def test_write_refuses_an_invalid_manifest_and_writes_nothing(self):
        m = shipped("placeholder")
        m["max_phones"] = 0
        with tempfile.TemporaryDirectory() as bundle:
            with self.assertRaises(manifest.ManifestError):
                manifest.write(bundle, m)
            self.assertFalse(os.path.exists(os.path.join(bundle, "manifest.json")))

    def test_write_keeps_the_shipped_layout(self):
        for path in SHIPPED:
            with open(path) as f:
                text = f.read()
            with tempfile.TemporaryDirectory() as bundle:
                manifest.write(bundle, json.loads(text))
                with open(os.path.join(bundle, "manifest.json")) as f:
                    self.assertEqual(f.read(), text, path)

    def test_the_command_line_checks_files(self):
        with tempfile.TemporaryDirectory() as d:
            bad = os.path.join(d, "manifest.json")
            with open(bad, "w") as f:
                json.dump({"name": "x"}, f)
            with redirect_stdout(io.StringIO()) as out:
                self.assertEqual(manifest.main(SHIPPED), 0)
                self.assertEqual(manifest.main([bad]), 1)
        self.assertIn("'version' is a required property", out.getvalue())


if __name__ == "__main__":
    unittest.main()
