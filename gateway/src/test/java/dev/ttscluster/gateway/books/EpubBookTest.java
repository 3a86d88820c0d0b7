package dev.ttscluster.gateway.books;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class EpubBookTest {
    private static final String CONTAINER = "<?xml version=\"1.0\"?><container version=\"1.0\" "
            + "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile full-path=\"OEBPS/content.opf\" "
            + "media-type=\"application/oebps-package+xml\"/></rootfiles></container>";
    private static final String TEXT = "It was the best of times, it was the worst of times. ".repeat(4);
    private final EpubBook epub = new EpubBook(EpubBook.Limits.ofDefaults(8L << 20));

    private static String opf(String... hrefs) {
        StringBuilder items = new StringBuilder();
        StringBuilder spine = new StringBuilder();
        for (int i = 0; i < hrefs.length; i++) {
            items.append("<item id=\"c")
                    .append(i)
                    .append("\" href=\"")
                    .append(hrefs[i])
                    .append("\" media-type=\"application/xhtml+xml\"/>");
            spine.append("<itemref idref=\"c").append(i).append("\"/>");
        }
        return "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\"><metadata "
                + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>A Tale</dc:title></metadata><manifest>"
                + items
                + "</manifest><spine>" + spine + "</spine></package>";
    }

    private static String xhtml(String heading, String body) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" "
                + "\"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head>"
                + "<title>ignored</title><style>p {}</style></head><body><h2>" + heading + "</h2>" + body
                + "</body></html>";
    }

    static byte[] zip(Map<String, String> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static Map<String, String> book(String... chapters) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mimetype", "application/epub+zip");
        m.put("META-INF/container.xml", CONTAINER);
        String[] hrefs = new String[chapters.length];
        for (int i = 0; i < chapters.length; i++) {
            hrefs[i] = "text/ch" + i + ".xhtml";
            m.put("OEBPS/" + hrefs[i], chapters[i]);
        }
        m.put("OEBPS/content.opf", opf(hrefs));
        return m;
    }

    @Test
    void chaptersFollowTheSpineWithTheirHeadingsAndTheCoverIsSkipped() throws Exception {
        byte[] archive = zip(book(
                xhtml("Cover", "<p>A Tale</p>"),
                xhtml(
                        "Book the First",
                        "<p>" + TEXT + "</p><p>Second&nbsp;paragraph &mdash; with entities &amp; more.</p>"),
                xhtml("Book the Second", "<div><p>" + TEXT + "</p><script>alert(1)</script></div>")));

        BookText b = epub.parse(archive, "fallback");

        assertThat(b.title()).isEqualTo("A Tale");
        assertThat(b.chapters())
                .extracting(BookText.Chapter::title)
                .containsExactly("Book the First", "Book the Second");
        assertThat(b.chapters().get(0).text())
                .contains("best of times", "Second paragraph \u2014 with entities & more.")
                .contains("\n\n");
        assertThat(b.chapters().get(1).text()).doesNotContain("alert", "p {}");
    }

    @Test
    void externalEntitiesAndEntityExpansionAreRefused() throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE html [<!ENTITY secret SYSTEM \"file:///etc/passwd\">]>"
                + "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>&secret; " + TEXT + "</p></body></html>";
        String laughs =
                "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>"
                        + "<html><body><p>&lol2;</p></body></html>";

        assertThatThrownBy(() -> epub.parse(zip(book(xxe)), "x"))
                .isInstanceOf(BookFormatException.class)
                .hasMessageContaining("declares XML entities");
        assertThatThrownBy(() -> epub.parse(zip(book(laughs)), "x")).hasMessageContaining("declares XML entities");
        Map<String, String> m = book(xhtml("One", "<p>" + TEXT + "</p>"));
        m.put(
                "META-INF/container.xml",
                "<!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>" + CONTAINER.substring(21));
        assertThatThrownBy(() -> epub.parse(zip(m), "x")).hasMessageContaining("declares XML entities");
    }

    @Test
    void entryNamesThatClimbOutAndHrefsThatLeaveTheArchiveAreRefused() throws Exception {
        Map<String, String> m = book(xhtml("One", "<p>" + TEXT + "</p>"));
        m.put("../../etc/evil.xhtml", "x");
        assertThatThrownBy(() -> epub.parse(zip(m), "x")).hasMessageContaining("not a plain relative path");

        Map<String, String> climbing = book(xhtml("One", "<p>" + TEXT + "</p>"));
        climbing.put("OEBPS/content.opf", opf("../../../etc/passwd"));
        assertThatThrownBy(() -> epub.parse(zip(climbing), "x"))
                .isInstanceOf(BookFormatException.class)
                .hasMessageContaining("outside the archive");
    }

    @Test
    void zipBombsTooManyEntriesTruncationAndNonZipsAreRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("META-INF/container.xml"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 20; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        assertThatThrownBy(() -> epub.parse(out.toByteArray(), "x")).hasMessageContaining("zip bomb");

        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 2_001; i++) {
            many.put("f" + i, "x");
        }
        assertThatThrownBy(() -> epub.parse(zip(many), "x")).hasMessageContaining("more than 2000 entries");

        byte[] good = zip(book(xhtml("One", "<p>" + TEXT + "</p>")));
        assertThatThrownBy(() -> epub.parse(java.util.Arrays.copyOf(good, good.length / 2), "x"))
                .isInstanceOf(BookFormatException.class);
        assertThatThrownBy(() -> epub.parse("plain words".getBytes(StandardCharsets.UTF_8), "x"))
                .hasMessageContaining("not a zip archive");
    }

    @Test
    void missingPartsAreNamed() throws Exception {
        Map<String, String> noContainer = book(xhtml("One", "<p>" + TEXT + "</p>"));
        noContainer.remove("META-INF/container.xml");
        assertThatThrownBy(() -> epub.parse(zip(noContainer), "x")).hasMessageContaining("container.xml is missing");

        Map<String, String> missingDoc = book(xhtml("One", "<p>" + TEXT + "</p>"));
        missingDoc.remove("OEBPS/text/ch0.xhtml");
        assertThatThrownBy(() -> epub.parse(zip(missingDoc), "x")).hasMessageContaining("which the archive lacks");

        Map<String, String> broken = book("<html><body><p>unclosed");
        assertThatThrownBy(() -> epub.parse(zip(broken), "x")).hasMessageContaining("not well-formed");
    }
}
