import os
import tempfile
import unittest

from ttsvoice import tsv
from ttsvoice.evaluation import asr
from ttsvoice.teacher import festival


class TextTest(unittest.TestCase):
    def test_items_are_the_lines_with_a_tab(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "ref.tsv")
            with open(path, "w") as f:
                f.write("h0000\tHello there.\n\nnot an item\nh0001\tA\ttab inside.\n")
            self.assertEqual(tsv.read_items(path), [("h0000", "Hello there."), ("h0001", "A\ttab inside.")])
            self.assertEqual(tsv.read_ids(path), ["h0000", "h0001"])

    def test_word_error_compares_normalised_words(self):
        self.assertEqual(asr.normalise("It's 42 -- well-known, OK?"), ["it's", "forty", "two", "well", "known", "ok"])
        self.assertEqual(asr.number_words(1905), "one thousand nine hundred five")
        self.assertEqual(asr.edit_distance("a b c".split(), "a x c d".split()), 2)
        self.assertEqual(asr.edit_distance([], ["a"]), 1)

    def test_festival_gets_quoted_scheme_strings(self):
        self.assertEqual(festival.scheme_string('say "hi" \\ bye'), '"say \\"hi\\" \\\\ bye"')


if __name__ == "__main__":
    unittest.main()
