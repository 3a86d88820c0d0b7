package dev.ttscluster.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.common.audio.Wav;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real book through the whole cluster: the books of Ruth, Jonah and Obadiah from the King James Bible
 * (public domain; Debian's bible-kjv, which deploy/ci/test-all installs), as Markdown with one heading per
 * chapter, over 20,000 characters. Every chapter's audio must match the manifest's duration, its sentence
 * timestamps must rise and lie inside the audio, its subtitles must parse, and pocketsphinx must hear most
 * words of one paragraph cut from the audio by its timestamps. Malformed uploads get 4xx errors.
 */
class BookEndToEndTest {
    static final String BOOKS = "Ruth1:1-4:22 Jonah1:1-4:11 Obadiah1:1-1:21";
    static Api api;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void cluster() {
        assertThat(Path.of("/usr/bin/bible")).as("Debian's bible-kjv is needed (deploy/ci/test-all installs it)").exists();
        api = new Api(SharedCluster.get().gatewayUrl());
    }

    /** The chapters as Markdown: "# The Book of Ruth, Jonah and Obadiah", then "## Ruth 1" and its verses. */
    static String markdown() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("bible", "-f", BOOKS.split(" ")[0], BOOKS.split(" ")[1], BOOKS.split(" ")[2]))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        StringBuilder md = new StringBuilder("# Ruth, Jonah and Obadiah\n\n");
        String chapter = null;
        for (String line : out.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([A-Za-z]+)([0-9]+):([0-9]+) (.*)$").matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            String c = m.group(1) + " " + m.group(2);
            if (!c.equals(chapter)) {
                md.append("\n## ").append(c).append("\n\n");
                chapter = c;
            }
            md.append(m.group(4)).append(Integer.parseInt(m.group(3)) % 4 == 0 ? "\n\n" : " ");
        }
        return md.toString();
    }

    HttpResponse<String> upload(String contentType, byte[] body, String query) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(SharedCluster.get().gatewayUrl() + "/v1/books" + query))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", contentType)
                .header("Authorization", "Bearer " + SharedCluster.key())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPublicDomainBookBecomesChaptersWhoseAudioMatchesTheManifestAndItsTimestamps() throws Exception {
        String md = markdown();
        assertThat(md.length()).as("characters of the book").isGreaterThanOrEqualTo(20_000);

        HttpResponse<String> r = upload("text/markdown; charset=utf-8", md.getBytes(StandardCharsets.UTF_8), "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode book = Api.json(r.body());
        assertThat(book.get("title").asText()).isEqualTo("Ruth, Jonah and Obadiah");
        assertThat(book.get("chapters_total").asInt()).isEqualTo(9);
        String id = book.get("id").asText();

        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (!Api.isFinal(book) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            book = Api.json(api.get("/v1/books/" + id).body());
        }
        assertThat(book.get("status").asText()).as(book.toString()).isEqualTo("succeeded");
        assertThat(book.get("progress").asDouble()).isEqualTo(1.0);
        JsonNode manifest = Api.json(api.get("/v1/books/" + id + "/manifest").body());
        assertThat(manifest.get("chapters")).hasSize(9);
        assertThat(manifest.get("chapters").get(0).get("title").asText()).isEqualTo("Ruth 1");

        for (int i = 0; i < 9; i++) {
            JsonNode view = book.get("chapters").get(i);
            JsonNode entry = manifest.get("chapters").get(i);
            byte[] wav = api.getBytes(view.get("audio_url").asText()).body();
            Wav.Info info = Wav.parse(wav);
            assertThat(info.seconds()).as("chapter %d audio against the manifest", i)
                    .isCloseTo(entry.get("duration").asDouble(), org.assertj.core.data.Offset.offset(0.002));
            JsonNode ts = Api.json(new String(api.getBytes(view.get("timestamps_url").asText()).body(), StandardCharsets.UTF_8));
            JsonNode sentences = ts.get("sentences");
            assertThat(sentences.size()).isEqualTo(entry.get("segments").asInt());
            double last = 0;
            for (JsonNode s : sentences) {
                assertThat(s.get("start").asDouble()).as("starts rise").isGreaterThanOrEqualTo(last);
                assertThat(s.get("end").asDouble()).as("ends after start").isGreaterThan(s.get("start").asDouble());
                assertThat(s.get("end").asDouble()).as("inside the audio").isLessThanOrEqualTo(info.seconds());
                assertThat(s.get("words").size()).as("words of " + s).isPositive();
                double w0 = s.get("start").asDouble();
                for (JsonNode w : s.get("words")) {
                    assertThat(w.get("start").asDouble()).as("words rise inside their sentence: " + w)
                            .isGreaterThanOrEqualTo(w0 - 1e-9);
                    assertThat(w.get("end").asDouble()).isGreaterThan(w.get("start").asDouble())
                            .isLessThanOrEqualTo(s.get("end").asDouble() + 1e-9);
                    w0 = w.get("end").asDouble();
                }
                last = s.get("end").asDouble();
            }
            byte[] flac = api.getBytes(view.get("flac_url").asText()).body();
            assertThat(new String(flac, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("fLaC");
            assertThat(flac.length).as("FLAC is smaller than the WAV").isLessThan(wav.length);
            if (i == 0 && Files.isExecutable(Path.of("/usr/bin/flac"))) {
                assertThat(decodedFlacSamples(flac)).as("the FLAC decodes to the WAV's samples")
                        .isEqualTo(Wav.pcm(wav, info.sampleRate()));
            }
            String vtt = new String(api.getBytes(view.get("vtt_url").asText()).body(), StandardCharsets.UTF_8);
            assertThat(vtt).startsWith("WEBVTT");
            assertThat(vtt.split("-->", -1)).hasSize(sentences.size() + 1);
            String srt = new String(api.getBytes(view.get("srt_url").asText()).body(), StandardCharsets.UTF_8);
            assertThat(srt.split("-->", -1)).hasSize(sentences.size() + 1);
        }

        // one paragraph (its first sentences) cut from chapter 1's audio by its timestamps, and listened to
        JsonNode first = book.get("chapters").get(0);
        byte[] wav = api.getBytes(first.get("audio_url").asText()).body();
        JsonNode sentences = Api.json(new String(api.getBytes(first.get("timestamps_url").asText()).body(),
                StandardCharsets.UTF_8)).get("sentences");
        List<String> said = new ArrayList<>();
        double from = sentences.get(0).get("start").asDouble();
        double to = from;
        for (JsonNode s : sentences) {
            said.add(s.get("text").asText());
            to = s.get("end").asDouble();
            if (s.get("paragraph_end").asBoolean() || said.size() == 3) {
                break;
            }
        }
        Path cut = Files.createTempFile("paragraph", ".wav");
        Files.write(cut, cut(wav, from, to));
        String heard = SpeechIntelligibilityEndToEndTest.recognize(cut);
        Files.delete(cut);
        String text = String.join(" ", said);
        double recall = SpeechIntelligibilityEndToEndTest.recall(SpeechIntelligibilityEndToEndTest.words(text),
                SpeechIntelligibilityEndToEndTest.words(heard));
        System.out.printf("said: %s%nheard: %s%nword recall %.0f%%%n", text, heard, recall * 100);
        assertThat(recall).as("words recognized of \"%s\" (heard \"%s\")", text, heard).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void malformedUploadsGetClearClientErrors() throws Exception {
        assertThat(upload("text/markdown", new byte[0], "").statusCode()).isEqualTo(400);
        HttpResponse<String> wrongType = upload("application/pdf", "%PDF-1.4".getBytes(StandardCharsets.UTF_8), "");
        assertThat(wrongType.statusCode()).isEqualTo(415);
        assertThat(Api.json(wrongType.body()).get("message").asText()).contains("text/plain");
        HttpResponse<String> notZip = upload("application/epub+zip", "not a zip".getBytes(StandardCharsets.UTF_8), "");
        assertThat(notZip.statusCode()).as(notZip.body()).isEqualTo(422);
        byte[] epub = epub("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>One</h1><p>" + "Words to read. ".repeat(20)
                + "</p></body></html>");
        byte[] truncated = java.util.Arrays.copyOf(epub, epub.length / 2);
        HttpResponse<String> t = upload("application/epub+zip", truncated, "");
        assertThat(t.statusCode()).as(t.body()).isEqualTo(422);
        HttpResponse<String> bomb = upload("application/epub+zip", zipBomb(), "");
        assertThat(bomb.statusCode()).as(bomb.body()).isEqualTo(422);
        assertThat(Api.json(bomb.body()).get("message").asText()).contains("zip bomb");
        HttpResponse<String> blank = upload("text/plain", "   \n\n  ".getBytes(StandardCharsets.UTF_8), "");
        assertThat(blank.statusCode()).as(blank.body()).isIn(400, 422);
        HttpResponse<String> badUtf8 = upload("text/plain", new byte[]{'a', (byte) 0xC3, (byte) 0x28, 'b'}, "");
        assertThat(badUtf8.statusCode()).isEqualTo(400);
        assertThat(upload("text/plain", "Hello there.".getBytes(StandardCharsets.UTF_8), "?speed=9").statusCode())
                .isEqualTo(400);
        assertThat(upload("text/plain", "Hello there.".getBytes(StandardCharsets.UTF_8), "?colour=red").statusCode())
                .isEqualTo(400);
        assertThat(api.get("/v1/books/not-a-book").statusCode()).isEqualTo(404);
        // a valid EPUB right after is accepted
        HttpResponse<String> ok = upload("application/epub+zip", epub, "");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
    }

    @Test
    void aCancelledBookStopsItsRemainingChaptersAndKeepsWhatIsDone() throws Exception {
        StringBuilder md = new StringBuilder("# Long Book\n\n");
        for (int c = 0; c < 12; c++) {
            md.append("## Part ").append(c + 1).append("\n\n");
            for (int s = 0; s < 15; s++) {
                md.append("This is sentence ").append(s + 1).append(" of part ").append(c + 1)
                        .append(", written to keep the workers busy for a while. ");
            }
            md.append("\n\n");
        }
        HttpResponse<String> r = upload("text/markdown", md.toString().getBytes(StandardCharsets.UTF_8), "?title=Cancelled");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Api.json(r.body()).get("id").asText();

        HttpResponse<String> cancel = api.post("/v1/books/" + id + "/cancel", null, "");
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        assertThat(api.post("/v1/books/" + id + "/cancel", null, "").statusCode()).as("already final").isEqualTo(409);

        JsonNode book = Api.json(api.get("/v1/books/" + id).body());
        assertThat(book.get("status").asText()).isEqualTo("cancelled");
        assertThat(book.get("title").asText()).isEqualTo("Cancelled");
        for (JsonNode c : book.get("chapters")) {
            assertThat(c.get("status").asText()).as(c.toString()).isIn("cancelled", "succeeded");
        }
        assertThat(api.get("/v1/books/" + id + "/manifest").statusCode()).isEqualTo(409);
    }

    @Test
    void theCommandLineClientSubmitsFollowsAndDownloadsABook() throws Exception {
        Path dir = Files.createTempDirectory("tts-book");
        Path file = dir.resolve("short.md");
        Files.writeString(file, "# A Short Book\n\n## One\n\n" + "The first part is short. ".repeat(3)
                + "\n\n## Two\n\n" + "The second part is short too. ".repeat(3) + "\n");
        String url = SharedCluster.get().gatewayUrl();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        int code = dev.ttscluster.deploy.cli.TtsBook.run(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                "submit", file.toString(), "--url", url, "--api-key", SharedCluster.key());

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + err).isZero();
        assertThat(printed).contains("'A Short Book', 2 chapters", "100%", "chapters 2/2", "succeeded");
        String id = printed.replaceAll("(?s).*book ([0-9a-f-]{36}).*", "$1");
        Path into = dir.resolve("out");
        assertThat(dev.ttscluster.deploy.cli.TtsBook.run(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                "download", id, "--out", into.toString(), "--url", url, "--api-key", SharedCluster.key())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        try (var files = Files.list(into)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly("001.flac", "001.json",
                    "001.srt", "001.vtt", "001.wav", "002.flac", "002.json", "002.srt", "002.vtt", "002.wav", "manifest.json");
        }
        assertThat(dev.ttscluster.deploy.cli.TtsBook.run(new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                "submit", dir.resolve("missing.txt").toString(), "--url", url, "--api-key", SharedCluster.key())).isEqualTo(3);
    }

    @Test
    void aBookContinuesAfterAWorkerIsKilledAndTheGatewayRestartsWithoutRedoingFinishedChapters() throws Exception {
        StringBuilder md = new StringBuilder("# Resumed\n\n");
        for (int c = 0; c < 6; c++) {
            md.append("## Section ").append(c + 1).append("\n\n");
            for (int s = 0; s < 8; s++) {
                md.append("Resume check ").append(System.nanoTime() % 100_000).append(", section ").append(c + 1)
                        .append(", sentence ").append(s + 1).append(". ");
            }
            md.append("\n\n");
        }
        HttpResponse<String> r = upload("text/markdown", md.toString().getBytes(StandardCharsets.UTF_8), "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = Api.json(r.body()).get("id").asText();
        // wait for a first finished chapter, then kill a worker without warning and restart the gateway
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        JsonNode book = Api.json(api.get("/v1/books/" + id).body());
        while (book.get("chapters_done").asInt() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            book = Api.json(api.get("/v1/books/" + id).body());
        }
        java.util.Map<Integer, String> finishedBefore = new java.util.HashMap<>();
        for (JsonNode c : book.get("chapters")) {
            if (c.get("status").asText().equals("succeeded")) {
                finishedBefore.put(c.get("index").asInt(), api.job(c.get("job_id").asText()).get("finished_at").asText());
            }
        }
        assertThat(finishedBefore).as("a chapter finished before the faults").isNotEmpty();
        try {
            SharedCluster.get().workers().get(0).kill();
            SharedCluster.get().gateway().stop(10_000);
            SharedCluster.get().startGateway();
            SharedCluster.restoreWorkers();
            deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            book = Api.json(api.get("/v1/books/" + id).body());
            while (!Api.isFinal(book) && System.nanoTime() < deadline) {
                Thread.sleep(500);
                book = Api.json(api.get("/v1/books/" + id).body());
            }
        } finally {
            SharedCluster.restoreWorkers();
        }
        assertThat(book.get("status").asText()).as(book.toString()).isEqualTo("succeeded");
        for (java.util.Map.Entry<Integer, String> e : finishedBefore.entrySet()) {
            JsonNode job = api.job(book.get("chapters").get(e.getKey()).get("job_id").asText());
            assertThat(job.get("finished_at").asText()).as("chapter %d was not redone", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(Api.json(api.get("/v1/books/" + id + "/manifest").body()).get("chapters")).hasSize(6);
    }

    /** A minimal EPUB with one chapter document. */
    static byte[] epub(String chapterXhtml) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            put(z, "mimetype", "application/epub+zip");
            put(z, "META-INF/container.xml", "<?xml version=\"1.0\"?><container version=\"1.0\" "
                    + "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
                    + "media-type=\"application/oebps-package+xml\"/></rootfiles></container>");
            put(z, "OEBPS/content.opf", "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
                    + "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Test Book</dc:title></metadata>"
                    + "<manifest><item id=\"c1\" href=\"text/c1.xhtml\" media-type=\"application/xhtml+xml\"/></manifest>"
                    + "<spine><itemref idref=\"c1\"/></spine></package>");
            put(z, "OEBPS/text/c1.xhtml", chapterXhtml);
        }
        return out.toByteArray();
    }

    /** A small archive whose one entry unpacks to far more than the gateway allows. */
    static byte[] zipBomb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("META-INF/container.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 50; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        return out.toByteArray();
    }

    private static void put(ZipOutputStream z, String name, String text) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(text.getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
    }

    /** Decodes a FLAC file with Debian's flac (deploy/ci/test-all installs it) into its 16-bit samples. */
    static short[] decodedFlacSamples(byte[] flac) throws IOException, InterruptedException {
        Path in = Files.createTempFile("chapter", ".flac");
        Path out = Files.createTempFile("chapter", ".wav");
        try {
            Files.write(in, flac);
            Process p = new ProcessBuilder("flac", "-d", "-f", "-s", "-o", out.toString(), in.toString())
                    .redirectErrorStream(true).start();
            String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("flac -d: " + msg).isZero();
            byte[] wav = Files.readAllBytes(out);
            return Wav.pcm(wav, Wav.parse(wav).sampleRate());
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** The samples from {@code from} to {@code to} seconds as a WAV of their own. */
    static byte[] cut(byte[] wav, double from, double to) {
        Wav.Info info = Wav.parse(wav);
        short[] pcm = Wav.pcm(wav, info.sampleRate());
        int a = (int) Math.max(0, Math.round(from * info.sampleRate()) - info.sampleRate() / 10);
        int b = (int) Math.min(pcm.length, Math.round(to * info.sampleRate()) + info.sampleRate() / 10);
        return Wav.encodePcm(java.util.Arrays.copyOfRange(pcm, a, b), info.sampleRate());
    }
}
