package dev.ttscluster.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtsBookTest {
    @Test
    void submitWithoutWaitingPrintsTheBookAndARefusalExitsWith3(@TempDir Path dir) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.createContext("/v1/books", ex -> {
            ex.getRequestBody().readAllBytes();
            boolean ok = ex.getRequestHeaders().getFirst("Content-Type").equals("text/plain");
            byte[] b = (ok
                            ? "{\"id\":\"b1\",\"title\":\"T\",\"status\":\"queued\",\"chapters_total\":2}"
                            : "{\"error\":\"unsupported_media_type\",\"message\":\"not a book\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 202 : 415, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        s.start();
        try {
            String url = "http://127.0.0.1:" + s.getAddress().getPort();
            Path txt = Files.writeString(dir.resolve("b.txt"), "Text.");
            Path epub = Files.writeString(dir.resolve("b.epub"), "not a zip");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int ok = TtsBook.run(
                    new PrintStream(out, true),
                    new PrintStream(err, true),
                    "submit",
                    txt.toString(),
                    "--no-wait",
                    "--url",
                    url);
            int refused = TtsBook.run(
                    new PrintStream(out, true), new PrintStream(err, true), "submit", epub.toString(), "--url", url);
            int missing = TtsBook.run(
                    new PrintStream(out, true),
                    new PrintStream(err, true),
                    "submit",
                    dir.resolve("none.txt").toString(),
                    "--url",
                    url);

            assertThat(ok).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("book b1: 'T', 2 chapters");
            assertThat(refused).isEqualTo(3);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("415", "not a book");
            assertThat(missing).isEqualTo(3);
        } finally {
            s.stop(0);
        }
    }
}
