package dev.ttscluster.gateway.books;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * EPUB books (2 and 3), read defensively: the archive is read from memory with limits on entries, on
 * each entry's and the whole archive's uncompressed size and on the compression ratio (zip bombs);
 * entry names with {@code ..}, absolute paths or backslashes are refused; XML is parsed with DTDs and
 * external entities off, and a document that declares entities is refused (entity expansion). Nothing
 * is written to disk and no file outside the upload is ever read. The chapters are the spine's documents
 * in reading order, each one's headings and paragraphs as text; documents with almost nothing to read
 * (cover, title page, table of contents) are skipped. Thread-safe (no state).
 *
 * <p>Every refusal is a {@link BookFormatException} naming the problem.
 *
 * <p>Why it is longer than most classes: every limit and refusal of a hostile archive is in this one reader,
 * next to the parsing it guards, so a reviewer sees at once that no path around a check exists.
 */
public final class EpubBook {
    /**
     * Limits on what an archive may hold.
     *
     * @param maxEntries entries at most
     * @param maxEntryBytes uncompressed bytes of one entry at most
     * @param maxTotalBytes uncompressed bytes of all entries at most
     * @param maxRatio uncompressed / compressed bytes of the archive at most
     */
    public record Limits(int maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio) {
        /** 2,000 entries, 16 MiB an entry, {@code maxTotalBytes} in all, ratio 100. */
        public static Limits ofDefaults(long maxTotalBytes) {
            return new Limits(2_000, 16L << 20, maxTotalBytes, 100);
        }
    }

    /** Documents with fewer characters than this (cover, title page, contents) are not chapters. */
    static final int MIN_CHAPTER_CHARS = 100;

    private static final Set<String> BLOCKS = Set.of(
            "p",
            "div",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "li",
            "blockquote",
            "br",
            "tr",
            "section",
            "article",
            "dd",
            "dt",
            "pre",
            "figcaption");
    private static final Set<String> SKIPPED = Set.of("script", "style", "head", "rt", "rp");
    private static final Pattern DOCTYPE = Pattern.compile("<!DOCTYPE[^\\[>]*(\\[.*?])?\\s*>", Pattern.DOTALL);
    private static final Pattern ENTITY_DECL = Pattern.compile("<!ENTITY", Pattern.CASE_INSENSITIVE);
    private static final Pattern NAMED_ENTITY = Pattern.compile("&([A-Za-z][A-Za-z0-9]{1,10});");
    private static final Map<String, String> HTML_ENTITIES = Map.ofEntries(
            Map.entry("nbsp", " "),
            Map.entry("mdash", "\u2014"),
            Map.entry("ndash", "\u2013"),
            Map.entry("hellip", "\u2026"),
            Map.entry("lsquo", "\u2018"),
            Map.entry("rsquo", "\u2019"),
            Map.entry("ldquo", "\u201c"),
            Map.entry("rdquo", "\u201d"),
            Map.entry("copy", "\u00a9"),
            Map.entry("shy", ""),
            Map.entry("eacute", "\u00e9"),
            Map.entry("egrave", "\u00e8"),
            Map.entry("aacute", "\u00e1"),
            Map.entry("ouml", "\u00f6"),
            Map.entry("uuml", "\u00fc"),
            Map.entry("auml", "\u00e4"),
            Map.entry("ccedil", "\u00e7"),
            Map.entry("thinsp", " "),
            Map.entry("emsp", " "),
            Map.entry("ensp", " "));
    private static final Set<String> XML_ENTITIES = Set.of("amp", "lt", "gt", "quot", "apos");

    private final Limits limits;

    public EpubBook(Limits limits) {
        this.limits = limits;
    }

    /**
     * Parses an EPUB archive.
     *
     * @param fallbackTitle title when the package names none
     * @throws BookFormatException when the archive is malformed, over a limit, or unsafe
     */
    public BookText parse(byte[] archive, String fallbackTitle) {
        Map<String, byte[]> entries = unzip(archive);
        byte[] container = entries.get("META-INF/container.xml");
        if (container == null) {
            throw new BookFormatException("not an EPUB: META-INF/container.xml is missing");
        }
        String opfPath = firstAttribute(xml(container, "META-INF/container.xml"), "rootfile", "full-path");
        if (opfPath == null || !entries.containsKey(opfPath)) {
            throw new BookFormatException("EPUB container names no package document that the archive holds");
        }
        Package pkg = readPackage(xml(entries.get(opfPath), opfPath), opfPath);
        List<BookText.Chapter> chapters = new ArrayList<>();
        for (String href : pkg.spine()) {
            byte[] doc = entries.get(href);
            if (doc == null) {
                throw new BookFormatException("EPUB spine names '" + shorten(href) + "', which the archive lacks");
            }
            String[] titleAndText = text(xml(doc, href));
            if (titleAndText[1].length() >= MIN_CHAPTER_CHARS) {
                chapters.add(new BookText.Chapter(
                        titleAndText[0] != null ? titleAndText[0] : "Chapter " + (chapters.size() + 1),
                        titleAndText[1]));
            }
        }
        if (chapters.isEmpty()) {
            throw new BookFormatException("EPUB has no chapter with text to read");
        }
        String title = pkg.title() == null || pkg.title().isBlank() ? fallbackTitle : pkg.title();
        return new BookText(title, chapters);
    }

    /** Every entry, checked, in memory. */
    private Map<String, byte[]> unzip(byte[] archive) {
        Map<String, byte[]> out = new HashMap<>();
        long total = 0;
        int count = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive), StandardCharsets.UTF_8)) {
            ZipEntry e;
            byte[] buf = new byte[16 * 1024];
            while ((e = zip.getNextEntry()) != null) {
                if (++count > limits.maxEntries()) {
                    throw new BookFormatException("EPUB has more than " + limits.maxEntries() + " entries");
                }
                String name = e.getName();
                if (name.contains("..")
                        || name.startsWith("/")
                        || name.contains("\\")
                        || name.contains(":")
                        || name.indexOf('\0') >= 0) {
                    throw new BookFormatException(
                            "EPUB entry name '" + shorten(name) + "' is not a plain relative path");
                }
                if (e.isDirectory()) {
                    continue;
                }
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                int n;
                while ((n = zip.read(buf)) > 0) {
                    total += n;
                    if (data.size() + n > limits.maxEntryBytes()) {
                        throw new BookFormatException("EPUB entry '" + shorten(name) + "' unpacks to more than "
                                + limits.maxEntryBytes() + " bytes");
                    }
                    if (total > limits.maxTotalBytes()
                            || total > (long) limits.maxRatio() * Math.max(archive.length, 1024)) {
                        throw new BookFormatException("EPUB unpacks to more than its limit (zip bomb?): over "
                                + Math.min(limits.maxTotalBytes(), (long) limits.maxRatio() * archive.length)
                                + " bytes");
                    }
                    data.write(buf, 0, n);
                }
                if (out.put(name, data.toByteArray()) != null) {
                    throw new BookFormatException("EPUB has two entries named '" + shorten(name) + "'");
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new BookFormatException("EPUB archive is damaged or truncated: " + e.getMessage());
        }
        if (count == 0) {
            throw new BookFormatException("not an EPUB: the upload is not a zip archive or is empty");
        }
        return out;
    }

    private record Package(String title, List<String> spine) {}

    private Package readPackage(XMLStreamReader r, String opfPath) {
        String base = opfPath.contains("/") ? opfPath.substring(0, opfPath.lastIndexOf('/') + 1) : "";
        Map<String, String> manifest = new HashMap<>();
        List<String> spineIds = new ArrayList<>();
        String title = null;
        try {
            while (r.hasNext()) {
                if (r.next() != XMLStreamConstants.START_ELEMENT) {
                    continue;
                }
                String local = r.getLocalName();
                if (local.equals("item")) {
                    String id = r.getAttributeValue(null, "id");
                    String href = r.getAttributeValue(null, "href");
                    if (id != null && href != null) {
                        manifest.put(id, resolve(base, href));
                    }
                } else if (local.equals("itemref")) {
                    String idref = r.getAttributeValue(null, "idref");
                    String linear = r.getAttributeValue(null, "linear");
                    if (idref != null && !"no".equals(linear)) {
                        spineIds.add(idref);
                    }
                } else if (local.equals("title") && title == null) {
                    title = r.getElementText().strip();
                }
            }
        } catch (XMLStreamException e) {
            throw new BookFormatException("EPUB package document is not well-formed XML: " + firstLine(e.getMessage()));
        }
        List<String> spine = new ArrayList<>();
        for (String id : spineIds) {
            String href = manifest.get(id);
            if (href == null) {
                throw new BookFormatException("EPUB spine refers to '" + shorten(id) + "', which the manifest lacks");
            }
            spine.add(href);
        }
        if (spine.isEmpty()) {
            throw new BookFormatException("EPUB spine is empty: no chapter to read");
        }
        return new Package(title, spine);
    }

    /** An href relative to the package document, as an entry name; refuses any that leaves the archive. */
    private static String resolve(String base, String href) {
        try {
            String path = new URI(null, null, href.replaceAll("#.*$", ""), null).getPath();
            URI resolved = new URI(null, null, "/" + base, null)
                    .resolve(new URI(null, null, path, null))
                    .normalize();
            String p = resolved.getPath();
            if (p.startsWith("/..") || p.contains("/../") || !p.startsWith("/")) {
                throw new BookFormatException("EPUB manifest item '" + shorten(href) + "' points outside the archive");
            }
            return java.net.URLDecoder.decode(p.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new BookFormatException("EPUB manifest item '" + shorten(href) + "' is not a valid path");
        }
    }

    /** {title or null, text} of an XHTML document: headings and paragraphs, blank lines between blocks. */
    private static String[] text(XMLStreamReader r) {
        StringBuilder out = new StringBuilder();
        StringBuilder heading = null;
        String title = null;
        int skip = 0;
        try {
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String n = r.getLocalName().toLowerCase(java.util.Locale.ROOT);
                    if (SKIPPED.contains(n)) {
                        skip++;
                    } else if (BLOCKS.contains(n)) {
                        paragraph(out);
                    }
                    if (title == null && heading == null && n.matches("h[1-3]")) {
                        heading = new StringBuilder();
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    String n = r.getLocalName().toLowerCase(java.util.Locale.ROOT);
                    if (SKIPPED.contains(n)) {
                        skip = Math.max(0, skip - 1);
                    } else if (BLOCKS.contains(n)) {
                        paragraph(out);
                    }
                    if (heading != null && n.matches("h[1-3]")) {
                        title = heading.toString().replaceAll("\\s+", " ").strip();
                        title = title.isEmpty() ? null : title;
                        heading = null;
                    }
                } else if ((ev == XMLStreamConstants.CHARACTERS
                                || ev == XMLStreamConstants.CDATA
                                || ev == XMLStreamConstants.SPACE)
                        && skip == 0) {
                    String t = r.getText();
                    out.append(t);
                    if (heading != null) {
                        heading.append(t);
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new BookFormatException("EPUB chapter is not well-formed XHTML: " + firstLine(e.getMessage()));
        }
        String text = out.toString()
                .replaceAll("[ \\t\\x0B\\f\\u00a0]+", " ")
                .replaceAll(" *\\n *", "\n")
                .replaceAll("\\n{3,}", "\n\n")
                .strip();
        return new String[] {title, text};
    }

    private static void paragraph(StringBuilder out) {
        int len = out.length();
        if (len > 0 && !(len >= 2 && out.charAt(len - 1) == '\n' && out.charAt(len - 2) == '\n')) {
            out.append("\n\n");
        }
    }

    private static String firstAttribute(XMLStreamReader r, String element, String attribute) {
        try {
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT
                        && r.getLocalName().equals(element)) {
                    return r.getAttributeValue(null, attribute);
                }
            }
            return null;
        } catch (XMLStreamException e) {
            throw new BookFormatException("EPUB container.xml is not well-formed XML: " + firstLine(e.getMessage()));
        }
    }

    /**
     * A safe reader for one XML entry: no DTD, no external entities; a document that declares entities
     * is refused; a plain DOCTYPE is dropped and HTML's common named entities are replaced by their
     * characters first (EPUB 2 documents use them without declaring them).
     */
    private static XMLStreamReader xml(byte[] data, String name) {
        String s = new String(data, StandardCharsets.UTF_8);
        if (ENTITY_DECL.matcher(s).find()) {
            throw new BookFormatException("EPUB entry '" + shorten(name) + "' declares XML entities; refused");
        }
        s = DOCTYPE.matcher(s).replaceFirst("");
        Matcher m = NAMED_ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String rep = XML_ENTITIES.contains(e) ? m.group() : HTML_ENTITIES.getOrDefault(e, " ");
            m.appendReplacement(sb, Matcher.quoteReplacement(rep));
        }
        m.appendTail(sb);
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        try {
            InputStream in = new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8));
            return f.createXMLStreamReader(in, "UTF-8");
        } catch (XMLStreamException e) {
            throw new BookFormatException(
                    "EPUB entry '" + shorten(name) + "' is not XML: " + firstLine(e.getMessage()));
        }
    }

    private static String shorten(String s) {
        String t = s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 80 ? t.substring(0, 80) + "..." : t;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return shorten(nl < 0 ? t : t.substring(0, nl));
    }
}
