package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway's web page in real headless Chromium (Debian {@code chromium}, driven by playwright-core from
 * e2e/src/test/node/webpage, installed with {@code npm ci} on first use): the page takes the shared test key,
 * a unique sentence is typed and submitted, and the run waits until the page's {@code <audio>} element has loaded
 * the job's audio (duration > 0), then saves a screenshot to {@code e2e/target/webpage.png}. Skipped with a
 * message where node, npm or chromium is missing.
 */
@OnSharedCluster
class WebPageEndToEndTest {
    static final Path SCRIPT_DIR = Path.of("src", "test", "node", "webpage").toAbsolutePath();
    static final Path SCREENSHOT = Path.of("target", "webpage.png").toAbsolutePath();

    @Test
    void aSentenceTypedIntoThePageIsSpokenAndPlayable() throws Exception {
        assumeTrue(
                works(List.of("node", "--version")),
                "node is not installed: the browser test of the web page is skipped");
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        assumeTrue(
                Files.isExecutable(Path.of(chromium)),
                chromium + " is missing (Debian: apt-get install chromium; "
                        + "deploy/ci/test-all installs it): the browser test of the web page is skipped");
        synchronized (WebPageEndToEndTest.class) {
            if (!Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core"))) {
                assumeTrue(works(List.of("npm", "--version")), "npm is not installed: cannot install playwright-core");
                Result ci = exec(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), 300);
                assertThat(ci.code)
                        .as("npm ci in %s:\n%s", SCRIPT_DIR, ci.output)
                        .isZero();
            }
        }
        String url = SharedCluster.get().gatewayUrl();
        String sentence = "The web page reads this sentence aloud, number "
                + UUID.randomUUID().toString().substring(0, 8) + ".";
        Files.createDirectories(SCREENSHOT.getParent());
        Files.deleteIfExists(SCREENSHOT);

        Result r = exec(List.of("node", "webpage.mjs", url, SharedCluster.key(), sentence, SCREENSHOT.toString()), 240);

        System.out.println("webpage.mjs:\n" + r.output);
        assertThat(r.code)
                .as("webpage.mjs exit code; its output:\n%s", r.output)
                .isZero();
        assertThat(r.output).contains("audio loaded after", "webpage: ok");
        assertThat(SCREENSHOT).exists();
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertThat(png.length).as("screenshot size").isGreaterThan(5_000);
        assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
                .as("PNG signature")
                .isEqualTo("PNG");
    }

    record Result(int code, String output) {}

    private static boolean works(List<String> command) {
        try {
            return exec(command, 30).code == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static Result exec(List<String> command, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile("webpage-test", ".out");
        try {
            Process p = new ProcessBuilder(command)
                    .directory(SCRIPT_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(
                        command.get(0) + " did not finish within " + timeoutSeconds + " s:\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
