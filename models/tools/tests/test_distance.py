import math
import unittest

try:
    import numpy as np
except ImportError:  # the MCD math needs numpy
    np = None


@unittest.skipIf(np is None, "numpy is not installed")
class MelCepstralDistanceTest(unittest.TestCase):
    def setUp(self):
        from ttsvoice.evaluation import distance
        self.d = distance
        self.rng = np.random.default_rng(0)

    def test_identical_sequences_are_zero_apart(self):
        a = self.rng.normal(size=(12, 24))
        self.assertEqual(self.d.dtw_cost(a, a.copy()), 0.0)

    def test_the_alignment_absorbs_a_slower_rendering(self):
        a = self.rng.normal(size=(10, 24))
        slow = np.repeat(a, 2, axis=0)  # every frame twice: the same speech at half the speed
        self.assertAlmostEqual(self.d.dtw_cost(a, slow), 0.0)
        self.assertAlmostEqual(self.d.dtw_cost(slow, a), 0.0)

    def test_a_constant_offset_costs_its_euclidean_length_per_frame(self):
        a = np.full((5, 24), 0.5)
        b = np.zeros((7, 24))
        self.assertAlmostEqual(self.d.dtw_cost(a, b), 0.5 * math.sqrt(24))
        self.assertAlmostEqual(self.d.mcd_db(a, b), 10 / math.log(10) * math.sqrt(2) * 0.5 * math.sqrt(24))

    def test_cepstra_are_at_the_real_cepstrum_scale(self):
        n, k = 80, 24
        dct = self.d.dct_matrix(n, k)
        self.assertEqual(dct.shape, (k, n))
        flat = np.full(n, 3.0)  # a flat spectrum has no shape: every cepstrum above c0 is zero
        np.testing.assert_allclose(dct @ flat, np.zeros(k), atol=1e-12)
        i = np.arange(n)
        one = np.cos(math.pi * 3 * (2 * i + 1) / (2 * n))  # exactly the shape of c3
        expected = np.zeros(k)
        expected[2] = 0.5
        np.testing.assert_allclose(dct @ one, expected, atol=1e-12)

    def test_frames_40_db_below_the_loudest_are_left_out(self):
        dct = self.d.dct_matrix(80, 24)
        loud = np.zeros((80, 1))
        quiet = np.full((80, 1), -math.log(10 ** 4) - 0.1)  # just under 40 dB below
        audible = np.full((80, 1), -math.log(10 ** 4) + 0.1)  # just above
        cep = self.d.voiced_cepstra(np.hstack([quiet, loud, audible, quiet]), dct)
        self.assertEqual(cep.shape, (2, 24))


if __name__ == "__main__":
    unittest.main()
