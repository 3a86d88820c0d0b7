package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.api.BookUpload;
import dev.ttscluster.client.api.BookView;
import dev.ttscluster.client.api.ChapterView;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.deploy.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real book through the whole cluster: the books of Ruth, Jonah and Obadiah from the King James Bible
 * (public domain; Debian's bible-kjv, which deploy/ci/test-all installs), as Markdown with one heading per
 * chapter, over 20,000 characters. Every chapter's audio must match the manifest's duration, its sentence
 * timestamps must rise and lie inside the audio, its subtitles must parse, and pocketsphinx must hear most
 * words of one paragraph cut from the audio by its timestamps. Malformed uploads get 4xx errors.
 */
@OnSharedCluster
class BookEndToEndTest {
    static final String BOOKS = "Ruth1:1-4:22 Jonah1:1-4:11 Obadiah1:1-1:21";
    final LocalCluster cluster = SharedCluster.get();
    final TtsClient api = SharedCluster.client();

    @BeforeAll
    static void bible() {
        assertThat(Path.of("/usr/bin/bible"))
                .as("Debian's bible-kjv is needed (deploy/ci/test-all installs it)")
                .exists();
    }

    /** The chapters as Markdown: "# The Book of Ruth, Jonah and Obadiah", then "## Ruth 1" and its verses. */
    static String markdown() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        List.of("bible", "-f", BOOKS.split(" ")[0], BOOKS.split(" ")[1], BOOKS.split(" ")[2]))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        StringBuilder md = new StringBuilder("# Ruth, Jonah and Obadiah\n\n");
        String chapter = null;
        for (String line : out.split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([A-Za-z]+)([0-9]+):([0-9]+) (.*)$")
                    .matcher(line.strip());
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

    /** Submits a book of {@code text} as {@code contentType}; returns its id. */
    String submit(String contentType, String text, String title) {
        return api.submitBook(BookUpload.of(text.getBytes(StandardCharsets.UTF_8), contentType)
                        .withTitle(title))
                .view()
                .id();
    }

    /** The refusal of an upload the gateway must not accept. */
    TtsApiException refused(BookUpload upload) {
        TtsApiException e = catchThrowableOfType(() -> api.submitBook(upload), TtsApiException.class);
        assertThat(e).as("the upload was accepted").isNotNull();
        return e;
    }

    static BookUpload upload(String contentType, byte[] body) {
        return BookUpload.of(body, contentType);
    }

    @Test
    void aPublicDomainBookBecomesChaptersWhoseAudioMatchesTheManifestAndItsTimestamps() throws Exception {
        String md = markdown();
        assertThat(md.length()).as("characters of the book").isGreaterThanOrEqualTo(20_000);

        BookView book = api.submitBook(upload("text/markdown; charset=utf-8", md.getBytes(StandardCharsets.UTF_8)))
                .view();
        assertThat(book.title()).isEqualTo("Ruth, Jonah and Obadiah");
        assertThat(book.chaptersTotal()).isEqualTo(9);
        String id = book.id();

        book = api.awaitBook(id, Duration.ofMinutes(8), b -> {});
        assertThat(book.status()).as(book.toString()).isEqualTo("succeeded");
        assertThat(book.progress()).isEqualTo(1.0);
        JsonNode manifest = api.manifest(id);
        assertThat(manifest.get("chapters")).hasSize(9);
        assertThat(manifest.get("chapters").get(0).get("title").asText()).isEqualTo("Ruth 1");

        for (int i = 0; i < 9; i++) {
            ChapterView view = book.chapters().get(i);
            JsonNode entry = manifest.get("chapters").get(i);
            byte[] wav = api.download(view.audioUrl());
            Wav.Info info = Wav.parse(wav);
            assertThat(info.seconds())
                    .as("chapter %d audio against the manifest", i)
                    .isCloseTo(entry.get("duration").asDouble(), org.assertj.core.data.Offset.offset(0.002));
            JsonNode sentences = timestamps(view).get("sentences");
            assertThat(sentences.size()).isEqualTo(entry.get("segments").asInt());
            double last = 0;
            for (JsonNode s : sentences) {
                assertThat(s.get("start").asDouble()).as("starts rise").isGreaterThanOrEqualTo(last);
                assertThat(s.get("end").asDouble())
                        .as("ends after start")
                        .isGreaterThan(s.get("start").asDouble());
                assertThat(s.get("end").asDouble()).as("inside the audio").isLessThanOrEqualTo(info.seconds());
                assertThat(s.get("words").size()).as("words of " + s).isPositive();
                double w0 = s.get("start").asDouble();
                for (JsonNode w : s.get("words")) {
                    assertThat(w.get("start").asDouble())
                            .as("words rise inside their sentence: " + w)
                            .isGreaterThanOrEqualTo(w0 - 1e-9);
                    assertThat(w.get("end").asDouble())
                            .isGreaterThan(w.get("start").asDouble())
                            .isLessThanOrEqualTo(s.get("end").asDouble() + 1e-9);
                    w0 = w.get("end").asDouble();
                }
                last = s.get("end").asDouble();
            }
            byte[] flac = api.download(view.flacUrl());
            assertThat(new String(flac, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("fLaC");
            assertThat(flac.length).as("FLAC is smaller than the WAV").isLessThan(wav.length);
            if (i == 0 && Files.isExecutable(Path.of("/usr/bin/flac"))) {
                assertThat(decodedFlacSamples(flac))
                        .as("the FLAC decodes to the WAV's samples")
                        .isEqualTo(Wav.pcm(wav, info.sampleRate()));
            }
            String vtt = new String(api.download(view.vttUrl()), StandardCharsets.UTF_8);
            assertThat(vtt).startsWith("WEBVTT");
            assertThat(vtt.split("-->", -1)).hasSize(sentences.size() + 1);
            String srt = new String(api.download(view.srtUrl()), StandardCharsets.UTF_8);
            assertThat(srt.split("-->", -1)).hasSize(sentences.size() + 1);
        }

        // one paragraph (its first sentences) cut from chapter 1's audio by its timestamps, and listened to
        ChapterView first = book.chapters().get(0);
        byte[] wav = api.download(first.audioUrl());
        JsonNode sentences = timestamps(first).get("sentences");
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
        double recall = SpeechIntelligibilityEndToEndTest.recall(
                SpeechIntelligibilityEndToEndTest.words(text), SpeechIntelligibilityEndToEndTest.words(heard));
        System.out.printf("said: %s%nheard: %s%nword recall %.0f%%%n", text, heard, recall * 100);
        assertThat(recall)
                .as("words recognized of \"%s\" (heard \"%s\")", text, heard)
                .isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void malformedUploadsGetClearClientErrors() throws Exception {
        assertThat(refused(upload("text/markdown", new byte[0])).status()).isEqualTo(400);
        TtsApiException wrongType = refused(upload("application/pdf", "%PDF-1.4".getBytes(StandardCharsets.UTF_8)));
        assertThat(wrongType.status()).isEqualTo(415);
        assertThat(wrongType.detail()).contains("text/plain");
        TtsApiException notZip = refused(upload("application/epub+zip", "not a zip".getBytes(StandardCharsets.UTF_8)));
        assertThat(notZip.status()).as(notZip.getMessage()).isEqualTo(422);
        byte[] epub = epub("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>One</h1><p>"
                + "Words to read. ".repeat(20) + "</p></body></html>");
        byte[] truncated = java.util.Arrays.copyOf(epub, epub.length / 2);
        TtsApiException t = refused(upload("application/epub+zip", truncated));
        assertThat(t.status()).as(t.getMessage()).isEqualTo(422);
        TtsApiException bomb = refused(upload("application/epub+zip", zipBomb()));
        assertThat(bomb.status()).as(bomb.getMessage()).isEqualTo(422);
        assertThat(bomb.detail()).contains("zip bomb");
        TtsApiException blank = refused(upload("text/plain", "   \n\n  ".getBytes(StandardCharsets.UTF_8)));
        assertThat(blank.status()).as(blank.getMessage()).isIn(400, 422);
        TtsApiException badUtf8 = refused(upload("text/plain", new byte[] {'a', (byte) 0xC3, (byte) 0x28, 'b'}));
        assertThat(badUtf8.status()).isEqualTo(400);
        assertThat(refused(upload("text/plain", "Hello there.".getBytes(StandardCharsets.UTF_8))
                                .withSpeed(9.0))
                        .status())
                .isEqualTo(400);
        // a query parameter the API does not have: only a raw request can send it
        assertThat(new Api(cluster.gatewayUrl())
                        .post("/v1/books?colour=red", "text/plain", "Hello there.")
                        .statusCode())
                .isEqualTo(400);
        assertThat(catchThrowableOfType(() -> api.book("not-a-book"), TtsApiException.class)
                        .status())
                .isEqualTo(404);
        // a valid EPUB right after is accepted
        assertThat(api.submitBook(upload("application/epub+zip", epub)).view().id())
                .isNotBlank();
    }

    @Test
    void aCancelledBookStopsItsRemainingChaptersAndKeepsWhatIsDone() throws Exception {
        StringBuilder md = new StringBuilder("# Long Book\n\n");
        for (int c = 0; c < 12; c++) {
            md.append("## Part ").append(c + 1).append("\n\n");
            for (int s = 0; s < 15; s++) {
                md.append("This is sentence ")
                        .append(s + 1)
                        .append(" of part ")
                        .append(c + 1)
                        .append(", written to keep the workers busy for a while. ");
            }
            md.append("\n\n");
        }
        String id = submit("text/markdown", md.toString(), "Cancelled");

        api.cancelBook(id);
        assertThat(catchThrowableOfType(() -> api.cancelBook(id), TtsApiException.class)
                        .status())
                .as("already final")
                .isEqualTo(409);

        BookView book = api.book(id);
        assertThat(book.status()).isEqualTo("cancelled");
        assertThat(book.title()).isEqualTo("Cancelled");
        for (ChapterView c : book.chapters()) {
            assertThat(c.status()).as(c.toString()).isIn("cancelled", "succeeded");
        }
        assertThat(catchThrowableOfType(() -> api.manifest(id), TtsApiException.class)
                        .status())
                .isEqualTo(409);
    }

    @Test
    void theCommandLineClientSubmitsFollowsAndDownloadsABook() throws Exception {
        Path dir = Files.createTempDirectory("tts-book");
        Path file = dir.resolve("short.md");
        Files.writeString(
                file,
                "# A Short Book\n\n## One\n\n" + "The first part is short. ".repeat(3) + "\n\n## Two\n\n"
                        + "The second part is short too. ".repeat(3) + "\n");
        String url = cluster.gatewayUrl();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

        int code = dev.ttscluster.client.cli.TtsBook.run(
                new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true),
                "submit",
                file.toString(),
                "--url",
                url,
                "--api-key",
                SharedCluster.key());

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(printed + err).isZero();
        assertThat(printed).contains("'A Short Book', 2 chapters", "100%", "chapters 2/2", "succeeded");
        String id = printed.replaceAll("(?s).*book ([0-9a-f-]{36}).*", "$1");
        Path into = dir.resolve("out");
        assertThat(dev.ttscluster.client.cli.TtsBook.run(
                        new java.io.PrintStream(out, true),
                        new java.io.PrintStream(err, true),
                        "download",
                        id,
                        "--out",
                        into.toString(),
                        "--url",
                        url,
                        "--api-key",
                        SharedCluster.key()))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();
        try (var files = Files.list(into)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(
                            "001.flac",
                            "001.json",
                            "001.srt",
                            "001.vtt",
                            "001.wav",
                            "002.flac",
                            "002.json",
                            "002.srt",
                            "002.vtt",
                            "002.wav",
                            "manifest.json");
        }
        assertThat(dev.ttscluster.client.cli.TtsBook.run(
                        new java.io.PrintStream(out, true),
                        new java.io.PrintStream(err, true),
                        "submit",
                        dir.resolve("missing.txt").toString(),
                        "--url",
                        url,
                        "--api-key",
                        SharedCluster.key()))
                .isEqualTo(3);
    }

    @Test
    void aBookContinuesAfterAWorkerIsKilledAndTheGatewayRestartsWithoutRedoingFinishedChapters() throws Exception {
        StringBuilder md = new StringBuilder("# Resumed\n\n");
        for (int c = 0; c < 6; c++) {
            md.append("## Section ").append(c + 1).append("\n\n");
            for (int s = 0; s < 8; s++) {
                md.append("Resume check ")
                        .append(System.nanoTime() % 100_000)
                        .append(", section ")
                        .append(c + 1)
                        .append(", sentence ")
                        .append(s + 1)
                        .append(". ");
            }
            md.append("\n\n");
        }
        String id = submit("text/markdown", md.toString(), null);
        // wait for a first finished chapter, then kill a worker without warning and restart the gateway
        BookView book = api.awaitBook(id, Duration.ofMinutes(3), b -> b.chaptersDone() > 0, b -> {});
        Map<Integer, java.time.Instant> finishedBefore = new HashMap<>();
        for (ChapterView c : book.chapters()) {
            if (c.status().equals("succeeded")) {
                finishedBefore.put(c.index(), api.job(c.jobId()).finishedAt());
            }
        }
        assertThat(finishedBefore).as("a chapter finished before the faults").isNotEmpty();
        try {
            cluster.workers().get(0).kill();
            cluster.gateway().stop(10_000);
            cluster.startGateway();
            SharedCluster.restoreWorkers();
            book = api.awaitBook(id, Duration.ofMinutes(4), b -> {});
        } finally {
            SharedCluster.restoreWorkers();
        }
        assertThat(book.status()).as(book.toString()).isEqualTo("succeeded");
        for (Map.Entry<Integer, java.time.Instant> e : finishedBefore.entrySet()) {
            assertThat(api.job(book.chapters().get(e.getKey()).jobId()).finishedAt())
                    .as("chapter %d was not redone", e.getKey())
                    .isEqualTo(e.getValue());
        }
        assertThat(api.manifest(id).get("chapters")).hasSize(6);
    }

    /** A chapter's sentence and word timestamps. */
    JsonNode timestamps(ChapterView c) {
        return Api.json(new String(api.download(c.timestampsUrl()), StandardCharsets.UTF_8));
    }

    /** A minimal EPUB with one chapter document. */
    static byte[] epub(String chapterXhtml) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            put(z, "mimetype", "application/epub+zip");
            put(
                    z,
                    "META-INF/container.xml",
                    "<?xml version=\"1.0\"?><container version=\"1.0\" "
                            + "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
                            + "media-type=\"application/oebps-package+xml\"/></rootfiles></container>");
            put(
                    z,
                    "OEBPS/content.opf",
                    "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
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
                    .redirectErrorStream(true)
                    .start();
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
