package dev.ttscluster.state;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.common.error.RetriableException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * Books in the job-state Redis. A book is a list of chapters, each an ordinary job (its own segments,
 * progress and audio); the book keeps their ids and titles and counts finished chapters in a set, so a
 * chapter assembled twice is counted once and the worker whose count completes the set writes the
 * book's manifest. Layout: {@code tts:book:{id}} hash, {@code tts:book:{id}:chapters} list of chapter job
 * ids, {@code tts:book:{id}:titles} list of titles, {@code tts:book:{id}:done} set of finished chapter
 * numbers. Thread-safe.
 *
 * <p>Every method throws {@link RetriableException} when Redis cannot be reached or times out.
 */
public final class BookStore {
    private static final String CHAPTER_DONE = """
            local st = redis.call('HGET', KEYS[1], 'status')
            if not st then return {0, 0, 0} end
            redis.call('SADD', KEYS[2], ARGV[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
            local done = redis.call('SCARD', KEYS[2])
            local total = tonumber(redis.call('HGET', KEYS[1], 'chapters'))
            local fin = 0
            if st == 'succeeded' or st == 'failed' or st == 'cancelled' then fin = 1 end
            if fin == 0 then
              redis.call('HSET', KEYS[1], 'chapters_done', done, 'updated_ms', ARGV[2])
              if st == 'queued' then redis.call('HSET', KEYS[1], 'status', 'running') end
            end
            return {done, total, fin}
            """;
    /**
     * A book as stored.
     *
     * @param id book id
     * @param tenant owner
     * @param title title (from the upload or its file)
     * @param status queued, running, succeeded, failed or cancelled
     * @param chapterJobs the chapters' job ids, in order
     * @param chapterTitles the chapters' titles, in order
     * @param chaptersDone distinct chapters assembled
     * @param voice voice of every chapter
     * @param speed speaking rate
     * @param sourceFormat txt, md or epub
     * @param textChars characters of normalized text
     * @param createdMs accepted at, epoch ms
     * @param finishedMs final at, epoch ms (0 while not final)
     * @param error why it failed, or empty
     * @param manifestKey object key of the manifest once succeeded, or empty
     */
    public record Book(
            String id,
            String tenant,
            String title,
            JobStatus status,
            List<String> chapterJobs,
            List<String> chapterTitles,
            int chaptersDone,
            String voice,
            double speed,
            String sourceFormat,
            long textChars,
            long createdMs,
            long finishedMs,
            String error,
            String manifestKey) {}

    /**
     * What counting a finished chapter found.
     *
     * @param done distinct chapters finished
     * @param total chapters of the book; 0 when the book is unknown
     * @param bookFinal the book was already succeeded, failed or cancelled
     */
    public record ChapterMark(int done, int total, boolean bookFinal) {
        /** True when every chapter is done and the book still needs its manifest. */
        public boolean completesBook() {
            return total > 0 && done >= total && !bookFinal;
        }
    }

    private final UnifiedJedis redis;
    private final Clock clock;
    private final long ttlSeconds;

    /**
     * @param redis the job-state Redis (not closed here: {@link JobStore} owns it)
     * @param ttlSeconds how long a book is kept after creation
     */
    public BookStore(UnifiedJedis redis, Clock clock, long ttlSeconds) {
        this.redis = redis;
        this.clock = clock;
        this.ttlSeconds = ttlSeconds;
    }

    static String key(String id) {
        return "tts:book:" + id;
    }

    /** Stores a new, queued book whose chapter jobs already exist. */
    public void create(
            String id,
            String tenant,
            String title,
            List<String> chapterJobs,
            List<String> chapterTitles,
            String voice,
            double speed,
            String sourceFormat,
            long textChars) {
        long now = clock.millis();
        call(() -> {
            Map<String, String> f = new HashMap<>();
            f.put("id", id);
            f.put("tenant", tenant);
            f.put("title", title);
            f.put("status", JobStatus.QUEUED.wire());
            f.put("chapters", Integer.toString(chapterJobs.size()));
            f.put("chapters_done", "0");
            f.put("voice", voice);
            f.put("speed", Double.toString(speed));
            f.put("source_format", sourceFormat);
            f.put("text_chars", Long.toString(textChars));
            f.put("created_ms", Long.toString(now));
            f.put("updated_ms", Long.toString(now));
            f.put("finished_ms", "0");
            f.put("error", "");
            f.put("manifest_key", "");
            String k = key(id);
            try (redis.clients.jedis.AbstractTransaction tx = redis.multi()) {
                tx.del(k + ":chapters", k + ":titles", k + ":done");
                tx.hset(k, f);
                tx.rpush(k + ":chapters", chapterJobs.toArray(String[]::new));
                tx.rpush(k + ":titles", chapterTitles.toArray(String[]::new));
                for (String s : List.of(k, k + ":chapters", k + ":titles")) {
                    tx.expire(s, ttlSeconds);
                }
                tx.exec();
            }
            return null;
        });
    }

    /** The book, or empty when unknown or expired. */
    public Optional<Book> get(String id) {
        String k = key(id);
        return call(() -> {
            Map<String, String> f = redis.hgetAll(k);
            if (f == null || !f.containsKey("status")) {
                return Optional.empty();
            }
            List<String> jobs = redis.lrange(k + ":chapters", 0, -1);
            List<String> titles = redis.lrange(k + ":titles", 0, -1);
            return Optional.of(new Book(
                    f.get("id"),
                    f.get("tenant"),
                    f.get("title"),
                    JobStatus.fromWire(f.get("status")),
                    jobs,
                    titles,
                    Integer.parseInt(f.getOrDefault("chapters_done", "0")),
                    f.get("voice"),
                    Double.parseDouble(f.getOrDefault("speed", "1")),
                    f.getOrDefault("source_format", ""),
                    Long.parseLong(f.getOrDefault("text_chars", "0")),
                    Long.parseLong(f.getOrDefault("created_ms", "0")),
                    Long.parseLong(f.getOrDefault("finished_ms", "0")),
                    f.getOrDefault("error", ""),
                    f.getOrDefault("manifest_key", "")));
        });
    }

    /** Counts chapter {@code chapter} as assembled (idempotent). */
    public ChapterMark chapterDone(String bookId, int chapter) {
        String k = key(bookId);
        List<?> r = (List<?>) call(() -> redis.eval(
                CHAPTER_DONE,
                List.of(k, k + ":done"),
                List.of(Integer.toString(chapter), Long.toString(clock.millis()))));
        return new ChapterMark(((Long) r.get(0)).intValue(), ((Long) r.get(1)).intValue(), ((Long) r.get(2)) == 1L);
    }

    /** Marks the book succeeded with its manifest; false if it was already final. */
    public boolean markSucceeded(String bookId, String manifestKey) {
        return finish(bookId, JobStatus.SUCCEEDED, "manifest_key", manifestKey);
    }

    /** Marks the book failed; false if it was already final. */
    public boolean markFailed(String bookId, String reason) {
        return finish(bookId, JobStatus.FAILED, "error", reason);
    }

    /** Marks the book cancelled; false if it was already final. */
    public boolean cancel(String bookId) {
        return finish(bookId, JobStatus.CANCELLED);
    }

    /** Forgets a book's own keys (its chapter jobs are deleted through {@link JobStore#delete}). */
    public void delete(String bookId) {
        String k = key(bookId);
        JobStore.call(() -> redis.del(k, k + ":chapters", k + ":titles", k + ":done"));
    }

    private boolean finish(String id, JobStatus status, String... fields) {
        return JobStore.finish(redis, key(id), status, clock.millis(), fields);
    }

    private static <T> T call(Supplier<T> op) {
        return JobStore.call(op);
    }
}
