package dev.ttscluster.testing;

import java.nio.file.Path;

/**
 * The repository's root folder, for tests that read shipped files (model bundles, docs, manifests):
 * the {@code tts.repo.root} system property the build gives test JVMs, else the parent of the working
 * folder (a module's folder, where Maven runs its tests). Thread-safe.
 */
public final class RepoRoot {
    private RepoRoot() {}

    /** The root, absolute and normalized. */
    public static Path path() {
        return Path.of(System.getProperty("tts.repo.root", ".."))
                .toAbsolutePath()
                .normalize();
    }

    /** A path below the root, e.g. {@code resolve("models/placeholder")}. */
    public static Path resolve(String relative) {
        return path().resolve(relative);
    }
}
