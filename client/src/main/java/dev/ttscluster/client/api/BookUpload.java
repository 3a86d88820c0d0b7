package dev.ttscluster.client.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A book to submit ({@code POST /v1/books}): the file's bytes and content type ({@code text/plain},
 * {@code text/markdown} or {@code application/epub+zip}) and, each optional (null: the book's own title, the
 * server's defaults), the title, voice, speed, callback URL and Idempotency-Key. Immutable apart from the byte
 * array, which the caller must not change once it is handed over.
 */
public record BookUpload(
        byte[] body,
        String contentType,
        String title,
        String voice,
        Double speed,
        String callbackUrl,
        String idempotencyKey) {
    public BookUpload {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
    }

    /** An upload of {@code body} as {@code contentType}, everything else left to the server. */
    public static BookUpload of(byte[] body, String contentType) {
        return new BookUpload(body, contentType, null, null, null, null, null);
    }

    /**
     * The file at {@code file}, its type from the name: {@code .epub}, {@code .md}/{@code .markdown}, else plain text.
     *
     * @throws IOException when the file cannot be read
     */
    public static BookUpload ofFile(Path file) throws IOException {
        return of(Files.readAllBytes(file), contentTypeOf(file));
    }

    /** The content type the gateway expects for a book file of this name. */
    public static String contentTypeOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".epub")
                ? "application/epub+zip"
                : name.endsWith(".md") || name.endsWith(".markdown") ? "text/markdown" : "text/plain";
    }

    public BookUpload withTitle(String t) {
        return new BookUpload(body, contentType, t, voice, speed, callbackUrl, idempotencyKey);
    }

    public BookUpload withVoice(String v) {
        return new BookUpload(body, contentType, title, v, speed, callbackUrl, idempotencyKey);
    }

    public BookUpload withSpeed(Double s) {
        return new BookUpload(body, contentType, title, voice, s, callbackUrl, idempotencyKey);
    }

    public BookUpload withCallbackUrl(String url) {
        return new BookUpload(body, contentType, title, voice, speed, url, idempotencyKey);
    }

    public BookUpload withIdempotencyKey(String key) {
        return new BookUpload(body, contentType, title, voice, speed, callbackUrl, key);
    }
}
