package dev.ttscluster.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.contract.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The book client ({@code deploy/cli/tts-book}): {@code submit} a book file (and follow it with a progress
 * bar until it is done), {@code status} of a book, {@code download} its chapters' audio, timestamps and
 * subtitles and its manifest into a folder. Talks to the gateway's HTTP API only. Exit codes: 0 done, 1 the
 * book failed or was cancelled, 2 usage, 3 the service refused or could not be reached.
 */
@Command(name = "tts-book", mixinStandardHelpOptions = true, subcommands = {TtsBook.Submit.class, TtsBook.Status.class,
        TtsBook.Download.class}, description = "Turn books into audiobooks on a tts-cluster gateway.")
public final class TtsBook {
    @Option(names = "--url", defaultValue = "${env:TTS_URL:-http://127.0.0.1:8080}", scope = CommandLine.ScopeType.INHERIT,
            description = "Gateway address (default: $TTS_URL or ${DEFAULT-VALUE})")
    String url;

    @Option(names = "--api-key", defaultValue = "${env:TTS_API_KEY}", scope = CommandLine.ScopeType.INHERIT,
            description = "API key sent as 'Authorization: Bearer' (default: $TTS_API_KEY)")
    String apiKey;

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs a command line; returns its exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new TtsBook());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("tts-book: " + e.getMessage());
            return 3;
        });
        return cl.execute(args);
    }

    /** Thrown for a refusal or an unreachable gateway: the message is shown as is. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /** A request to the gateway, with the key when one is set. */
    static HttpRequest.Builder request(String url, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        return key == null || key.isBlank() ? b : b.header("Authorization", "Bearer " + key.strip());
    }

    static JsonNode getJson(String url, String key) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request(url, key).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new Failure(url + " answered " + r.statusCode() + ": " + message(r.body()));
        }
        return Json.MAPPER.readTree(r.body());
    }

    static String message(String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n.path("message").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    /** Follows a book until it is final, drawing a progress bar; returns the last view. */
    static JsonNode follow(String base, String key, String id, PrintWriter out) throws IOException, InterruptedException {
        JsonNode b = getJson(base + "/v1/books/" + id, key);
        while (!isFinal(b)) {
            out.print("\r" + bar(b));
            out.flush();
            Thread.sleep(1000);
            b = getJson(base + "/v1/books/" + id, key);
        }
        out.println("\r" + bar(b));
        return b;
    }

    static boolean isFinal(JsonNode b) {
        String s = b.path("status").asText();
        return s.equals("succeeded") || s.equals("failed") || s.equals("cancelled");
    }

    static String bar(JsonNode b) {
        double p = b.path("progress").asDouble();
        int filled = (int) Math.round(p * 30);
        return String.format(Locale.ROOT, "[%s%s] %3.0f%%  chapters %d/%d  %s", "#".repeat(filled), ".".repeat(30 - filled),
                100 * p, b.path("chapters_done").asInt(), b.path("chapters_total").asInt(), b.path("status").asText());
    }

    @Command(name = "submit", description = "Submit a book file (.txt, .md or .epub) and follow it until done.")
    static final class Submit implements Callable<Integer> {
        @CommandLine.ParentCommand
        TtsBook parent;
        @Parameters(index = "0", description = "The book file")
        Path file;
        @Option(names = "--title", description = "Title (default: the book's own)")
        String title;
        @Option(names = "--voice", description = "Voice (default: the cluster's first)")
        String voice;
        @Option(names = "--speed", description = "Speaking rate, 0.25 to 4.0")
        Double speed;
        @Option(names = "--no-wait", description = "Print the book's id and return at once")
        boolean noWait;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            String type = name.endsWith(".epub") ? "application/epub+zip"
                    : name.endsWith(".md") || name.endsWith(".markdown") ? "text/markdown" : "text/plain";
            StringBuilder q = new StringBuilder();
            param(q, "title", title);
            param(q, "voice", voice);
            param(q, "speed", speed == null ? null : speed.toString());
            HttpResponse<String> r = HTTP.send(request(parent.url + "/v1/books" + q, parent.apiKey)
                    .timeout(Duration.ofMinutes(2)).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                throw new Failure("the book was refused (" + r.statusCode() + "): " + message(r.body()));
            }
            JsonNode b = Json.MAPPER.readTree(r.body());
            PrintWriter out = spec.commandLine().getOut();
            out.println("book " + b.get("id").asText() + ": '" + b.get("title").asText() + "', " + b.get("chapters_total").asInt()
                    + " chapters");
            if (noWait) {
                return 0;
            }
            JsonNode done = follow(parent.url, parent.apiKey, b.get("id").asText(), out);
            return done.path("status").asText().equals("succeeded") ? 0 : 1;
        }

        private static void param(StringBuilder q, String k, String v) {
            if (v != null) {
                q.append(q.length() == 0 ? '?' : '&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
    }

    @Command(name = "status", description = "Show a book's progress; with --wait, follow it until done.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        TtsBook parent;
        @Parameters(index = "0", description = "The book's id")
        String id;
        @Option(names = "--wait", description = "Follow it until it is done")
        boolean await;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode b = await ? follow(parent.url, parent.apiKey, id, spec.commandLine().getOut())
                    : getJson(parent.url + "/v1/books/" + id, parent.apiKey);
            spec.commandLine().getOut().println(bar(b));
            for (JsonNode c : b.path("chapters")) {
                spec.commandLine().getOut().printf(Locale.ROOT, "  %3d  %-40s %-10s %3.0f%%%n", c.path("index").asInt(),
                        c.path("title").asText(), c.path("status").asText(), 100 * c.path("progress").asDouble());
            }
            return 0;
        }
    }

    @Command(name = "download", description = "Download a finished book: manifest, and per chapter its WAV, FLAC, "
            + "timestamps and subtitles.")
    static final class Download implements Callable<Integer> {
        @CommandLine.ParentCommand
        TtsBook parent;
        @Parameters(index = "0", description = "The book's id")
        String id;
        @Option(names = {"-o", "--out"}, required = true, description = "Folder to write into (created)")
        Path out;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode b = getJson(parent.url + "/v1/books/" + id, parent.apiKey);
            if (!b.path("status").asText().equals("succeeded")) {
                throw new Failure("book " + id + " is " + b.path("status").asText() + "; only a finished book downloads");
            }
            Files.createDirectories(out);
            fetch(b.get("manifest_url").asText(), out.resolve("manifest.json"));
            int files = 1;
            for (JsonNode c : b.path("chapters")) {
                String stem = String.format(Locale.ROOT, "%03d", c.path("index").asInt() + 1);
                for (String[] f : new String[][]{{"audio_url", ".wav"}, {"flac_url", ".flac"}, {"timestamps_url", ".json"},
                    {"vtt_url", ".vtt"}, {"srt_url", ".srt"}}) {
                    if (c.hasNonNull(f[0])) {
                        fetch(c.get(f[0]).asText(), out.resolve(stem + f[1]));
                        files++;
                    }
                }
            }
            spec.commandLine().getOut().println("wrote " + files + " files to " + out);
            return 0;
        }

        private static void fetch(String url, Path to) throws IOException, InterruptedException {
            HttpResponse<Path> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
                    HttpResponse.BodyHandlers.ofFile(to));
            if (r.statusCode() != 200) {
                Files.deleteIfExists(to);
                throw new Failure("download of " + to.getFileName() + " answered " + r.statusCode());
            }
        }
    }
}
