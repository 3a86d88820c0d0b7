import os
import tempfile
import unittest

from ttsvoice.evaluation import report

MANIFEST = {"name": "t", "version": "0123456789abcdef", "file": "model.pt", "speakers": ["a"],
            "variants": {"fp32": {"file": "model.pt", "version": "0123456789abcdef"},
                         "int8": {"file": "model-int8.pt", "version": "fedcba9876543210"}}}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class ReportTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.bundle = os.path.join(tmp.name, "bundle")
        self.eval = os.path.join(tmp.name, "eval")
        os.makedirs(self.bundle)
        for name, size in (("model.pt", 1_500_000), ("model-int8.pt", 420_000)):
            with open(os.path.join(self.bundle, name), "wb") as f:
                f.truncate(size)
        write(os.path.join(self.eval, "a", "teacher", "wer.txt"), "WER 19.5% (10 errors / 51 words, 3 sentences)\n")
        for variant, wer, mcd in (("default", "20.1", "1.62"), ("int8", "21.0", "1.70")):
            d = os.path.join(self.eval, "a", variant)
            write(os.path.join(d, "figures.txt"), "vocoder: neural\nRTF batch 1: 0.01234\nRTF batch 8: 0.0045\n"
                                                  "RSS loaded MiB: 512\nRSS after runs MiB: 600\n")
            write(os.path.join(d, "wer.txt"), f"WER {wer}% (11 errors / 51 words, 3 sentences)\n")
            write(os.path.join(d, "mcd.txt"), f"MCD {mcd} dB over 3 sentences\n")

    def test_the_variants_measured_are_default_and_all_but_fp32(self):
        self.assertEqual(report.variants_of(MANIFEST), ["default", "int8"])

    def test_figures_become_eval_json_and_one_table_row_per_voice_and_variant(self):
        refs = [("h0000", "One."), ("h0001", "Two."), ("h0002", "Three.")]
        result, rows = report.collect(self.bundle, self.eval, MANIFEST, refs, "2026-12-01")
        self.assertEqual(result["sentences"], 3)
        self.assertEqual(result["voices"]["a"]["teacher_wer"], 19.5)
        self.assertEqual(result["voices"]["a"]["variants"]["default"],
                         {"vocoder": "neural", "wer": 20.1, "mcd_db": 1.62, "rtf_batch1": 0.01234, "rtf_batch8": 0.0045,
                          "rss_loaded_mib": 512, "rss_after_mib": 600, "file_mb": 1.5})
        lines = report.table(result, rows)
        self.assertEqual(lines[0], report.BEGIN)
        self.assertEqual(lines[-1], report.END)
        self.assertIn("on 2026-12-01, 3 held-out sentences per voice, bundle version 0123456789abcdef;", lines[2])
        self.assertIn("| a | default | neural | 20.1% (19.5%) | 1.62 dB | 0.0123 | 0.0045 | 512 MiB | 1.5 MB |", lines)
        self.assertIn("| a | int8 | neural | 21.0% (19.5%) | 1.70 dB | 0.0123 | 0.0045 | 512 MiB | 0.4 MB |", lines)

    def test_the_card_keeps_everything_outside_its_markers(self):
        card = f"# Card\n\nbefore\n{report.BEGIN}\nold table\n{report.END}\nafter\n"
        self.assertEqual(report.splice(card, [report.BEGIN, "new", report.END]),
                         f"# Card\n\nbefore\n{report.BEGIN}\nnew\n{report.END}\nafter\n")

    def test_a_card_without_markers_gets_a_figures_section(self):
        self.assertEqual(report.splice("# Card\n", [report.BEGIN, "t", report.END]),
                         f"# Card\n\n## Figures\n\n{report.BEGIN}\nt\n{report.END}\n")


if __name__ == "__main__":
    unittest.main()
