package dev.ttscluster.gateway.books;

import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.contract.Topics;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.storage.ObjectKeys;
import dev.ttscluster.common.text.Segmenter;
import dev.ttscluster.gateway.api.ApiException;
import dev.ttscluster.gateway.jobs.SegmentPublisher;
import dev.ttscluster.state.BookStore;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts books: parses the upload (plain text, Markdown or EPUB), makes each chapter a job of its own
 * whose segments travel on the bulk lane ({@link Topics#SEGMENTS_BULK}), writes each chapter's script
 * (its segments' texts, for timestamps) next to where its audio will go, and records the book. Thread-safe.
 *
 * <p>Why it is a little longer than most classes: submission, view and cancel/delete of a book share the
 * book's record layout and its chapter jobs; the parsing of each format is a class of its own.
 */
public final class BookService {
    private static final Logger log = LoggerFactory.getLogger(BookService.class);
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    /** The formats a book may be uploaded in, by media type. */
    public enum Format {
        TXT("text/plain"),
        MARKDOWN("text/markdown"),
        EPUB("application/epub+zip");

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        /** The format of a Content-Type header; empty when it is none of them. */
        public static Optional<Format> of(String contentType) {
            if (contentType == null) {
                return Optional.empty();
            }
            String base = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (f.mediaType.equals(base) || (f == MARKDOWN && base.equals("text/x-markdown"))) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }

        public String wire() {
            return this == TXT ? "txt" : this == MARKDOWN ? "md" : "epub";
        }

        public String mediaType() {
            return mediaType;
        }
    }

    /**
     * A validated book upload.
     *
     * @param format what the bytes are
     * @param body the upload
     * @param title title asked for, or null to take the book's own
     * @param voice a served voice
     * @param speed speaking rate
     */
    public record Upload(Format format, byte[] body, String title, String voice, double speed) {}

    private final JobStore jobs;
    private final BookStore books;
    private final SegmentPublisher publisher;
    private final AudioBucket bucket;
    private final Segmenter segmenter;
    private final EpubBook epub;
    private final long maxChars;
    private final Clock clock;

    /**
     * @param maxChars characters of text a book may have at most
     */
    public BookService(
            JobStore jobs,
            SegmentPublisher publisher,
            AudioBucket bucket,
            Segmenter segmenter,
            EpubBook epub,
            long maxChars,
            Clock clock) {
        this.jobs = jobs;
        this.books = jobs.books();
        this.publisher = publisher;
        this.bucket = bucket;
        this.segmenter = segmenter;
        this.epub = epub;
        this.maxChars = maxChars;
        this.clock = clock;
    }

    /** The book's text, parsed. */
    BookText parse(Upload up) {
        if (up.body().length == 0) {
            throw ApiException.badRequest("the book is empty");
        }
        String fallback = up.title() != null ? up.title() : "Untitled";
        BookText book =
                switch (up.format()) {
                    case EPUB -> epub.parse(up.body(), fallback);
                    case MARKDOWN -> PlainBook.markdown(utf8(up.body()), fallback);
                    case TXT -> PlainBook.plain(utf8(up.body()), fallback);
                };
        if (up.title() != null) {
            book = new BookText(up.title(), book.chapters());
        }
        return book;
    }

    /**
     * Accepts a book for {@code tenant}.
     *
     * @throws ApiException 400/422 for a book that cannot be read or has nothing to read, 413 over the
     *     size limit, 503 when Redis, S3 or Kafka is unavailable (the book is then marked failed)
     */
    public BookStore.Book submit(String tenant, Upload up) {
        return submit(tenant, UUID.randomUUID().toString(), up);
    }

    /** As {@link #submit(String, Upload)} with the book id chosen by the caller (a fresh UUID). */
    public BookStore.Book submit(String tenant, String bookId, Upload up) {
        BookText text;
        try {
            text = parse(up);
        } catch (BookFormatException e) {
            throw new ApiException(422, "unreadable_book", e.getMessage());
        }
        if (text.chars() > maxChars) {
            throw new ApiException(
                    413,
                    "book_too_long",
                    "the book has " + text.chars() + " characters of text; the limit is " + maxChars);
        }
        long now = clock.millis();
        List<String> jobIds = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        List<SegmentTask> tasks = new ArrayList<>();
        long chars = 0;
        for (BookText.Chapter c : text.chapters()) {
            // paragraph by paragraph, so the chapter's audio can pause longer where a paragraph ends
            List<String> segments = new ArrayList<>();
            List<Integer> paragraphEnds = new ArrayList<>();
            for (String paragraph : c.text().split("\n\\s*\n")) {
                List<String> p = segmenter.segments(paragraph);
                if (!p.isEmpty()) {
                    segments.addAll(p);
                    paragraphEnds.add(segments.size() - 1);
                }
            }
            if (segments.isEmpty()) {
                continue;
            }
            int n = jobIds.size();
            String jobId = UUID.randomUUID().toString();
            jobIds.add(jobId);
            titles.add(c.title());
            int cc = segments.stream().mapToInt(String::length).sum();
            chars += cc;
            try {
                jobs.create(JobRecord.queued(jobId, tenant, up.voice(), "wav", up.speed(), segments.size(), cc, now));
                bucket.put(
                        ObjectKeys.chapterFile(tenant, bookId, n, "script.json"),
                        script(n, c.title(), segments, paragraphEnds),
                        "application/json");
            } catch (RetriableException e) {
                throw unavailable("job store or S3", e);
            }
            for (int i = 0; i < segments.size(); i++) {
                tasks.add(new SegmentTask(
                        SegmentTask.SCHEMA_VERSION,
                        jobId,
                        tenant,
                        i,
                        segments.size(),
                        segments.get(i),
                        up.voice(),
                        up.speed(),
                        now,
                        bookId,
                        n));
            }
        }
        if (jobIds.isEmpty()) {
            throw new ApiException(422, "unreadable_book", "the book has nothing to speak after normalization");
        }
        try {
            books.create(
                    bookId,
                    tenant,
                    text.title(),
                    jobIds,
                    titles,
                    up.voice(),
                    up.speed(),
                    up.format().wire(),
                    chars);
        } catch (RetriableException e) {
            throw unavailable("job store", e);
        }
        try {
            publisher.publish(Topics.SEGMENTS_BULK, tasks);
        } catch (RetriableException e) {
            try {
                books.markFailed(bookId, "could not enqueue: " + e.getMessage());
                jobIds.forEach(id -> jobs.markFailed(id, "could not enqueue: " + e.getMessage()));
            } catch (RetriableException ignored) {
                // the records expire on their own
            }
            throw unavailable("queue", e);
        }
        log.info(
                "book {} accepted: '{}', {} chapters, {} segments, {} chars, voice {}",
                bookId,
                dev.ttscluster.gateway.jobs.JobRequest.abbreviate(text.title()),
                jobIds.size(),
                tasks.size(),
                chars,
                up.voice());
        return books.get(bookId)
                .orElseThrow(() -> unavailable("job store", new RetriableException(Dependency.REDIS, "book vanished")));
    }

    /** The tenant's book, or empty when unknown (or another tenant's). */
    public Optional<BookStore.Book> find(String tenant, String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        try {
            return books.get(id).filter(b -> b.tenant().equals(tenant));
        } catch (RetriableException e) {
            throw unavailable("job store", e);
        }
    }

    /** The chapter jobs of a book, in order (a missing one, expired, is empty). */
    public List<Optional<JobRecord>> chapters(BookStore.Book book) {
        try {
            List<Optional<JobRecord>> out = new ArrayList<>();
            for (String id : book.chapterJobs()) {
                out.add(jobs.get(id));
            }
            return out;
        } catch (RetriableException e) {
            throw unavailable("job store", e);
        }
    }

    /**
     * Cancels a book: chapters not yet done are cancelled (workers skip their remaining segments), finished
     * chapters keep their audio.
     *
     * @throws ApiException 404 unknown, 409 already final
     */
    public BookStore.Book cancel(String tenant, String id) {
        BookStore.Book book = find(tenant, id)
                .orElseThrow(() -> ApiException.notFound(
                        "no book '" + dev.ttscluster.gateway.jobs.JobRequest.abbreviate(id) + "'"));
        try {
            if (book.status().isFinal() || !books.cancel(id)) {
                throw new ApiException(
                        409,
                        "conflict",
                        "book is already "
                                + books.get(id).map(b -> b.status().wire()).orElse("gone"));
            }
            for (String job : book.chapterJobs()) {
                jobs.cancel(job); // false for chapters already done: they stay
            }
            return books.get(id).orElse(book);
        } catch (RetriableException e) {
            throw unavailable("job store", e);
        }
    }

    /**
     * Deletes a book of the tenant: cancels what still runs, removes every object of the book (chapters'
     * audio, files, segments, manifest) and forgets the book and its chapter jobs.
     *
     * @throws ApiException 404 unknown, 503 when Redis or S3 is unavailable (records are forgotten only
     *     after the objects are gone, so a retry finishes the deletion)
     */
    public void delete(String tenant, String id) {
        BookStore.Book book = find(tenant, id)
                .orElseThrow(() -> ApiException.notFound(
                        "no book '" + dev.ttscluster.gateway.jobs.JobRequest.abbreviate(id) + "'"));
        try {
            if (!book.status().isFinal()) {
                books.cancel(id);
                book.chapterJobs().forEach(jobs::cancel);
            }
            int n = bucket.deletePrefix(ObjectKeys.bookPrefix(tenant, id));
            book.chapterJobs().forEach(jobs::delete);
            books.delete(id);
            log.info("book {} deleted with {} objects", id, n);
        } catch (RetriableException e) {
            throw unavailable("job store or S3", e);
        }
    }

    /** The chapter's script: its segments' texts and which of them end a paragraph. */
    private static byte[] script(int chapter, String title, List<String> segments, List<Integer> paragraphEnds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chapter", chapter);
        m.put("title", title);
        m.put("segments", segments);
        m.put("paragraph_ends", paragraphEnds);
        try {
            return Json.MAPPER.writeValueAsBytes(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString()
                    .replace("\uFEFF", "");
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("the book is not valid UTF-8 text");
        }
    }

    private static ApiException unavailable(String what, RetriableException e) {
        log.warn("{} unavailable: {}", what, e.getMessage());
        return new ApiException(503, "unavailable", what + " unavailable, try again shortly", 2);
    }
}
