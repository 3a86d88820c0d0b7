/**
 * Fixtures the modules' tests share (test scope only; no JUnit here): a clock tests move by hand
 * ({@link dev.ttscluster.testing.MutableClock}), a polling wait on an injected clock
 * ({@link dev.ttscluster.testing.Eventually}), environment maps for the configs
 * ({@link dev.ttscluster.testing.Env}), a fake S3 ({@link dev.ttscluster.testing.FakeS3}), a real
 * Redis on loopback ({@link dev.ttscluster.testing.LoopbackRedis}), free loopback ports
 * ({@link dev.ttscluster.testing.LoopbackPorts}) and the repository root
 * ({@link dev.ttscluster.testing.RepoRoot}).
 */
package dev.ttscluster.testing;
