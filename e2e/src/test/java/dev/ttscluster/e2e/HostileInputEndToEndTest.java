package dev.ttscluster.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.client.api.JobRequest;
import dev.ttscluster.client.api.TtsClient;
import dev.ttscluster.deploy.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input against the running gateway, one table row per attack: every one gets a 4xx whose JSON body
 * names the problem, never a 5xx and never a dropped connection; the XML and zip attacks are refused without
 * reading anything outside the upload (a canary file an external entity points at never shows up); the
 * gateway's memory stays bounded; and a valid job right after succeeds.
 */
@OnSharedCluster
class HostileInputEndToEndTest {
    static LocalCluster cluster;
    static int port;
    static String key;
    static Path canary;
    static String canaryToken;

    @FunctionalInterface
    interface Attack {
        RawHttp.Reply run() throws IOException;
    }

    @BeforeAll
    static void cluster() throws IOException {
        cluster = SharedCluster.get();
        port = URI.create(cluster.gatewayUrl()).getPort();
        key = SharedCluster.key();
        canaryToken = "canary-" + System.nanoTime();
        canary = Files.createTempFile("tts-canary", ".txt");
        Files.writeString(canary, canaryToken);
    }

    @AfterAll
    static void cleanup() throws IOException {
        Files.deleteIfExists(canary);
    }

    static String auth() {
        return "Authorization: Bearer " + key + "\r\n";
    }

    static RawHttp.Reply request(String method, String path, String contentType, byte[] body, String... headers)
            throws IOException {
        StringBuilder h =
                new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        h.append(auth());
        if (contentType != null) {
            h.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (String x : headers) {
            h.append(x).append("\r\n");
        }
        if (body != null) {
            h.append("Content-Length: ").append(body.length).append("\r\n");
        }
        h.append("\r\n");
        return RawHttp.send(port, h.toString(), body);
    }

    static Attack json(String body) {
        return () -> request("POST", "/v1/jobs", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    static Attack jsonBytes(byte[] body) {
        return () -> request("POST", "/v1/jobs", "application/json", body);
    }

    static Attack get(String path) {
        return () -> request("GET", path, null, null);
    }

    static Attack book(String contentType, String query, byte[] body) {
        return () -> request("POST", "/v1/books" + query, contentType, body);
    }

    static Attack epub(Map<String, byte[]> entries) {
        return () -> request("POST", "/v1/books", "application/epub+zip", zip(entries));
    }

    static Arguments row(String name, int status, String messagePart, Attack attack) {
        return Arguments.of(name, status, messagePart, attack);
    }

    static Stream<Arguments> attacks() throws IOException {
        String nested = "{\"text\":\"hi\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        String shallowNest = "{\"text\":\"hi\",\"x\":" + "[".repeat(30) + "]".repeat(30) + "}";
        byte[] badUtf8 = concat(
                "{\"text\":\"caf".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xC3, (byte) 0x28},
                "\"}".getBytes(StandardCharsets.US_ASCII));
        String uuid = "00000000-0000-4000-8000-000000000000";
        List<Arguments> rows = new ArrayList<>(List.of(
                // sizes
                row(
                        "body over the limit",
                        413,
                        "limit",
                        jsonBytes(
                                ("{\"text\":\"" + "a".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.US_ASCII))),
                row("text over the limit", 413, "limit", json("{\"text\":\"" + "word ".repeat(1200) + "\"}")),
                row("chunked body over the limit", 413, "limit", () -> chunked(2_000_000)),
                row(
                        "declared length of a terabyte",
                        413,
                        "limit",
                        () -> RawHttp.send(
                                port,
                                "POST /v1/books HTTP/1.1\r\n"
                                        + "Host: x\r\nConnection: close\r\n" + auth()
                                        + "Content-Type: text/plain\r\nContent-Length: "
                                        + 1_000_000_000_000L + "\r\n\r\n",
                                "abc".getBytes(StandardCharsets.US_ASCII))),
                // encoding and characters
                row("invalid UTF-8", 400, "JSON", jsonBytes(badUtf8)),
                row("NUL in text", 400, "control character U+0000", json("{\"text\":\"hello\\u0000world.\"}")),
                row("bell in text", 400, "control character U+0007", json("{\"text\":\"ring\\u0007 ring.\"}")),
                row("C1 control in text", 400, "control character U+0085", json("{\"text\":\"next\\u0085line.\"}")),
                row("unpaired surrogate", 400, "unpaired surrogate", json("{\"text\":\"half \\ud800 a pair.\"}")),
                // JSON shape
                row("deeply nested JSON", 400, "JSON", json(nested)),
                row("nested past the depth bound", 400, "JSON", json(shallowNest)),
                row("duplicate key", 400, "JSON", json("{\"text\":\"one.\",\"text\":\"two.\"}")),
                row("trailing garbage", 400, "JSON", json("{\"text\":\"hi.\"} {\"text\":\"again.\"}")),
                row("NaN speed", 400, "JSON", json("{\"text\":\"hi.\",\"speed\":NaN}")),
                row("array body", 400, "JSON object", json("[\"text\"]")),
                row("string body", 400, "JSON object", json("\"text\"")),
                row("null body", 400, "JSON object", json("null")),
                row("empty body", 400, "JSON object", json("")),
                row("empty object", 400, "'text' is required", json("{}")),
                row("text missing", 400, "'text' is required", json("{\"voice\":\"slt\"}")),
                row("text null", 400, "'text' is required", json("{\"text\":null}")),
                row("text a number", 400, "'text' must be a string", json("{\"text\":42}")),
                row("text an array", 400, "'text' must be a string", json("{\"text\":[\"a\"]}")),
                row("text an object", 400, "'text' must be a string", json("{\"text\":{\"a\":1}}")),
                row("text blank", 400, "'text' is empty", json("{\"text\":\"   \"}")),
                row("text with nothing to say", 400, "nothing to speak", json("{\"text\":\"!!! ??? ...\"}")),
                row("unknown field", 400, "unknown field 'priority'", json("{\"text\":\"hi.\",\"priority\":1}")),
                row("voice a number", 400, "'voice' must be a string", json("{\"text\":\"hi.\",\"voice\":7}")),
                row("unknown voice", 400, "unknown voice", json("{\"text\":\"hi.\",\"voice\":\"hal9000\"}")),
                row(
                        "voice with a path",
                        400,
                        "unknown voice",
                        json("{\"text\":\"hi.\",\"voice\":\"../../etc/passwd\"}")),
                row("unknown format", 400, "unknown format", json("{\"text\":\"hi.\",\"format\":\"exe\"}")),
                row(
                        "format an array",
                        400,
                        "'format' must be a string",
                        json("{\"text\":\"hi.\",\"format\":[\"wav\"]}")),
                row("speed a string", 400, "'speed' must be a number", json("{\"text\":\"hi.\",\"speed\":\"fast\"}")),
                row("speed a boolean", 400, "'speed' must be a number", json("{\"text\":\"hi.\",\"speed\":true}")),
                row("negative speed", 400, "'speed' must be between", json("{\"text\":\"hi.\",\"speed\":-1}")),
                row("zero speed", 400, "'speed' must be between", json("{\"text\":\"hi.\",\"speed\":0}")),
                row("absurd speed", 400, "'speed' must be between", json("{\"text\":\"hi.\",\"speed\":1e308}")),
                row("infinite speed", 400, "'speed' must be between", json("{\"text\":\"hi.\",\"speed\":1e400}")),
                // ids and paths
                row("id with ../", 404, "no job", get("/v1/jobs/..%2F..%2Fetc%2Fpasswd")),
                row("dot segments in the path", 400, "could not be parsed", get("/v1/jobs/../../../etc/passwd")),
                row("very long id", 404, "no job", get("/v1/jobs/" + "a".repeat(5000))),
                row("id longer than the header limit", 414, "URI", get("/v1/jobs/" + "a".repeat(20_000))),
                row("non-ASCII id", 404, "no job", get("/v1/jobs/%E6%97%A5%E6%9C%AC%E8%AA%9E")),
                row("id with an encoded NUL", 400, "could not be parsed", get("/v1/jobs/abc%00def")),
                row("unknown job's audio", 404, "no job", get("/v1/jobs/" + uuid + "/audio")),
                // content type and method
                row(
                        "wrong content type",
                        415,
                        "application/json",
                        () -> request(
                                "POST",
                                "/v1/jobs",
                                "text/plain",
                                "{\"text\":\"hi.\"}".getBytes(StandardCharsets.UTF_8))),
                row(
                        "missing content type",
                        415,
                        "application/json",
                        () -> request("POST", "/v1/jobs", null, "{\"text\":\"hi.\"}".getBytes(StandardCharsets.UTF_8))),
                row("PUT on jobs", 405, null, () -> request("PUT", "/v1/jobs", "application/json", "{}".getBytes())),
                row("DELETE on the collection", 405, null, () -> request("DELETE", "/v1/jobs", null, null)),
                row(
                        "PATCH on a job",
                        405,
                        null,
                        () -> request("PATCH", "/v1/jobs/" + uuid, "application/json", "{}".getBytes())),
                // headers and pacing
                row(
                        "oversized header",
                        431,
                        "headers",
                        () -> request("GET", "/v1/jobs/" + uuid, null, null, "X-Junk: " + "j".repeat(32_000))),
                row(
                        "oversized Authorization",
                        431,
                        "headers",
                        () -> RawHttp.send(
                                port,
                                "GET /v1/jobs/x HTTP/1.1\r\nHost: x\r\n" + "Connection: close\r\nAuthorization: Bearer "
                                        + "k".repeat(40_000) + "\r\n\r\n",
                                null)),
                row(
                        "garbage bearer token",
                        401,
                        "not valid",
                        () -> RawHttp.send(
                                port,
                                "GET /v1/jobs/x HTTP/1.1\r\nHost: x\r\n"
                                        + "Connection: close\r\nAuthorization: Bearer ../../../etc/passwd\r\n\r\n",
                                null)),
                row(
                        "malformed Idempotency-Key",
                        400,
                        "Idempotency-Key",
                        () -> request(
                                "POST",
                                "/v1/jobs",
                                "application/json",
                                "{\"text\":\"hi.\"}".getBytes(),
                                "Idempotency-Key: " + "x".repeat(300))),
                row("a body sent very slowly", 408, "slowly", () -> {
                    byte[] body = ("{\"text\":\"" + "slow ".repeat(60) + "\"}").getBytes(StandardCharsets.US_ASCII);
                    return RawHttp.send(
                            port,
                            "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth()
                                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n",
                            body,
                            2,
                            300);
                }),
                // books
                row("book with a JSON content type", 415, "text/plain", book("application/json", "", "{}".getBytes())),
                row("empty book", 400, null, book("text/plain", "", new byte[0])),
                row("book not UTF-8", 400, "UTF-8", book("text/plain", "", new byte[] {
                    'a', (byte) 0xFF, (byte) 0xFE, 'b'
                })),
                row(
                        "book with an unknown parameter",
                        400,
                        "unknown parameter",
                        book("text/plain", "?chapter=1", "Hi.".getBytes())),
                row(
                        "book speed not a number",
                        400,
                        "'speed' must be a number",
                        book("text/plain", "?speed=abc", "Hi.".getBytes())),
                row(
                        "book title too long",
                        400,
                        "'title'",
                        book("text/plain", "?title=" + "t".repeat(400), "Hi.".getBytes())),
                row(
                        "book title with a control character",
                        400,
                        "control character",
                        book("text/plain", "?title=a%07b", "Hi.".getBytes())),
                // EPUB attacks
                row(
                        "EPUB external entity (XXE) in the OPF",
                        422,
                        null,
                        epub(epubWith(
                                "<?xml version=\"1.0\"?><!DOCTYPE package [<!ENTITY x SYSTEM \"file://" + canary
                                        + "\">]>" + opfBody("&x;"),
                                xhtml("Hello there. A fine day.")))),
                row(
                        "EPUB external entity in a chapter",
                        422,
                        null,
                        epub(
                                epubWith(
                                        opf("A Title"),
                                        "<?xml version=\"1.0\"?><!DOCTYPE html [<!ENTITY x SYSTEM \"file://" + canary
                                                + "\">]>"
                                                + "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>&x;</p></body></html>"))),
                row(
                        "EPUB external DTD on the network",
                        422,
                        null,
                        epub(
                                epubWith(
                                        opf("A Title"),
                                        "<?xml version=\"1.0\"?><!DOCTYPE html SYSTEM \"http://169.254.169.254/latest/meta-data\" [<!ENTITY % p "
                                                + "SYSTEM \"http://169.254.169.254/x\"> %p;]><html><body><p>Hi.</p></body></html>"))),
                row("EPUB entity expansion (billion laughs)", 422, null, epub(epubWith(opf("A Title"), laughs()))),
                row("EPUB entry named with ../", 422, null, epub(withEntry("../../evil.xhtml", "x"))),
                row("EPUB entry with an absolute name", 422, null, epub(withEntry("/etc/passwd", "x"))),
                row("EPUB zip bomb", 422, null, () -> request("POST", "/v1/books", "application/epub+zip", bomb())),
                row(
                        "EPUB with too many entries",
                        422,
                        null,
                        () -> request("POST", "/v1/books", "application/epub+zip", manyEntries(30_000))),
                row("EPUB truncated", 422, null, () -> {
                    byte[] z = zip(epubWith(opf("A Title"), xhtml("Some words here.")));
                    return request(
                            "POST", "/v1/books", "application/epub+zip", java.util.Arrays.copyOf(z, z.length / 2));
                }),
                row("EPUB that is not a zip", 422, null, book("application/epub+zip", "", "just text".getBytes()))));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void aHostileRequestGetsA4xxJsonErrorNamingTheProblem(String name, int status, String messagePart, Attack attack)
            throws Exception {
        RawHttp.Reply r = attack.run();
        assertThat(r.status()).as(name + ": " + r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(name).startsWith("application/json");
        JsonNode body = Api.json(r.body());
        assertThat(body.path("error").asText()).as(name).isNotBlank();
        assertThat(body.path("message").asText()).as(name).isNotBlank();
        if (messagePart != null) {
            assertThat(body.get("message").asText()).as(name).contains(messagePart);
        }
        assertThat(r.body())
                .as(name + ": nothing outside the upload was read")
                .doesNotContain(canaryToken)
                .doesNotContain("root:x:0:0");
    }

    @Test
    void afterTheAttacksTheGatewayIsWellAndAValidJobSucceeds() throws Exception {
        long before = rssKb(cluster.gateway().pid());
        for (Arguments a : attacks().toList()) {
            ((Attack) a.get()[3]).run();
        }
        long after = rssKb(cluster.gateway().pid());
        System.out.printf(
                "hostile input: gateway resident memory %d MiB before, %d MiB after every attack once more%n",
                before / 1024, after / 1024);
        assertThat(cluster.gateway().isAlive()).isTrue();
        // the gateway's heap is capped (-Xmx of the child JVM); a leak or an unbounded read would have died there
        assertThat(after).as("resident memory, KiB").isLessThan(1_500_000);
        TtsClient api = SharedCluster.client();
        String id = api.submitJob(JobRequest.of(
                        "After all that, a calm and ordinary sentence number " + System.nanoTime() % 10_000 + "."))
                .view()
                .id();
        assertThat(api.awaitJob(id, Duration.ofSeconds(120)).status()).isEqualTo("succeeded");
    }

    static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static RawHttp.Reply chunked(int bytes) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] piece = "a".repeat(65_536).getBytes(StandardCharsets.US_ASCII);
        b.write("{\"text\":\"".getBytes(StandardCharsets.US_ASCII));
        b.write(("\r\n").getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        for (int sent = 0; sent < bytes; sent += piece.length) {
            framed.write((Integer.toHexString(piece.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            framed.write(piece);
            framed.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        framed.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return RawHttp.send(
                port,
                "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + auth()
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                framed.toByteArray());
    }

    static String opf(String title) {
        return "<?xml version=\"1.0\"?>" + opfBody(title);
    }

    static String opfBody(String title) {
        return "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\"><metadata xmlns:dc=\"http://purl.org/dc/"
                + "elements/1.1/\"><dc:title>" + title
                + "</dc:title></metadata><manifest><item id=\"c0\" href=\"ch0.xhtml\" "
                + "media-type=\"application/xhtml+xml\"/></manifest><spine><itemref idref=\"c0\"/></spine></package>";
    }

    static String xhtml(String text) {
        return "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><h1>One</h1><p>" + text
                + "</p></body></html>";
    }

    static String laughs() {
        StringBuilder d = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            d.append("<!ENTITY lol")
                    .append(i)
                    .append(" \"")
                    .append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10))
                    .append("\">");
        }
        return d.append("]><html><body><p>&lol9;</p></body></html>").toString();
    }

    static Map<String, byte[]> epubWith(String opf, String chapter) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("mimetype", "application/epub+zip".getBytes(StandardCharsets.US_ASCII));
        m.put(
                "META-INF/container.xml",
                ("<?xml version=\"1.0\"?><container version=\"1.0\" xmlns=\"urn:oasis:names:tc:"
                                + "opendocument:xmlns:container\"><rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\""
                                + "application/oebps-package+xml\"/></rootfiles></container>")
                        .getBytes(StandardCharsets.UTF_8));
        m.put("OEBPS/content.opf", opf.getBytes(StandardCharsets.UTF_8));
        m.put("OEBPS/ch0.xhtml", chapter.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    static Map<String, byte[]> withEntry(String name, String content) {
        Map<String, byte[]> m = epubWith(opf("A Title"), xhtml("Perfectly normal words."));
        m.put(name, content.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    static byte[] bomb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e :
                    epubWith(opf("A Title"), xhtml("Words.")).entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
            z.putNextEntry(new ZipEntry("OEBPS/zeros.xhtml"));
            byte[] mb = new byte[1 << 20];
            for (int i = 0; i < 300; i++) { // 300 MiB of zeros, about 300 KiB compressed
                z.write(mb);
            }
            z.closeEntry();
        }
        return out.toByteArray();
    }

    static byte[] manyEntries(int n) throws IOException {
        Map<String, byte[]> m = epubWith(opf("A Title"), xhtml("Words."));
        for (int i = 0; i < n; i++) {
            m.put("OEBPS/x" + i, new byte[0]);
        }
        return zip(m);
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
