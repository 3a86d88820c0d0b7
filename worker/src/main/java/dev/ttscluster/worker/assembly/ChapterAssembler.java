package dev.ttscluster.worker.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ttscluster.codecs.Flac;
import dev.ttscluster.common.audio.Wav;
import dev.ttscluster.common.contract.Json;
import dev.ttscluster.common.contract.SegmentTask;
import dev.ttscluster.common.error.Dependency;
import dev.ttscluster.common.error.FatalException;
import dev.ttscluster.common.error.RetriableException;
import dev.ttscluster.common.state.JobRecord;
import dev.ttscluster.common.storage.ObjectKeys;
import dev.ttscluster.state.BookStore;
import dev.ttscluster.state.JobStore;
import dev.ttscluster.storage.AudioBucket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a book's chapter once its last segment is stored: the segments in order with pauses
 * between sentences and longer ones between paragraphs, loudness normalized for listening
 * ({@link Loudness}), written as the chapter's WAV and FLAC ({@link Flac}) with its sentence and word
 * timestamps (JSON; words from the model's phone durations, {@link WordTimings}) and subtitles
 * (WebVTT and SRT) beside it; then the chapter job succeeds and the chapter is counted in its book. The
 * worker whose count completes the book writes the book's manifest (chapters, titles, durations, object
 * keys) and marks the book succeeded. Idempotent: a second run writes the same bytes and counts nothing
 * twice. Thread-safe.
 */
public final class ChapterAssembler {
    private static final Logger log = LoggerFactory.getLogger(ChapterAssembler.class);
    /** Silence before the first sentence and after the last, seconds. */
    static final double LEAD_IN = 0.5;

    static final double TAIL = 1.0;
    /** Silence between sentences of a paragraph and after a paragraph, seconds. */
    static final double SENTENCE_PAUSE = 0.25;

    static final double PARAGRAPH_PAUSE = 0.75;

    private final AudioBucket bucket;
    private final JobStore jobs;
    private final BookStore books;
    private final int sampleRate;

    public ChapterAssembler(AudioBucket bucket, JobStore jobs, int sampleRate) {
        this.bucket = bucket;
        this.jobs = jobs;
        this.books = jobs.books();
        this.sampleRate = sampleRate;
    }

    /**
     * Assembles the chapter {@code task} belongs to (all its segments must be stored).
     *
     * @param known WAV bytes of segments by index that this worker just uploaded
     * @return true if this call moved the chapter job to succeeded
     * @throws RetriableException when S3 or Redis is unavailable, or a segment or the script is missing
     */
    public boolean assemble(SegmentTask task, Map<Integer, byte[]> known) {
        Script script = script(task);
        List<short[]> parts = new ArrayList<>(task.count());
        for (int i = 0; i < task.count(); i++) {
            byte[] b = known.get(i);
            if (b == null) {
                int index = i;
                b = bucket.get(ObjectKeys.segmentOf(task, i))
                        .orElseThrow(() -> new RetriableException(
                                Dependency.S3,
                                "segment " + index + " of chapter " + task.chapter() + " of book " + task.book()
                                        + " is counted but its object is missing"));
            }
            parts.add(Wav.pcm(b, sampleRate));
        }
        int lead = samples(LEAD_IN);
        int total = lead + samples(TAIL);
        for (int i = 0; i < parts.size(); i++) {
            total += parts.get(i).length + (i + 1 < parts.size() ? pause(script, i) : 0);
        }
        short[] chapter = new short[total];
        Map<Integer, String> words = jobs.words(task.jobId());
        List<Map<String, Object>> sentences = new ArrayList<>();
        int at = lead;
        for (int i = 0; i < parts.size(); i++) {
            short[] p = parts.get(i);
            System.arraycopy(p, 0, chapter, at, p.length);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("index", i);
            s.put("start", round(at / (double) sampleRate));
            s.put("end", round((at + p.length) / (double) sampleRate));
            s.put("text", i < script.segments().size() ? script.segments().get(i) : "");
            s.put("paragraph_end", script.paragraphEnds().contains(i));
            s.put("words", WordTimings.shifted(words.get(i), at / (double) sampleRate));
            sentences.add(s);
            at += p.length + (i + 1 < parts.size() ? pause(script, i) : 0);
        }
        Loudness.Result gain = Loudness.normalize(chapter);
        byte[] wav = Wav.encodePcm(chapter, sampleRate);
        double seconds = chapter.length / (double) sampleRate;
        Map<String, Object> timestamps = new LinkedHashMap<>();
        timestamps.put("book", task.book());
        timestamps.put("chapter", task.chapter());
        timestamps.put("title", script.title());
        timestamps.put("duration", round(seconds));
        timestamps.put("sample_rate", sampleRate);
        timestamps.put("loudness_dbfs", round(gain.rmsDbfsAfter()));
        timestamps.put("sentences", sentences);
        String audioKey = ObjectKeys.audioOf(task, "wav");
        bucket.put(audioKey, wav, "audio/wav");
        bucket.put(ObjectKeys.audioOf(task, "flac"), Flac.encode(chapter, sampleRate), "audio/flac");
        bucket.put(file(task, "timestamps.json"), json(timestamps), "application/json");
        bucket.put(
                file(task, "subtitles.vtt"),
                Subtitles.vtt(sentences).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "text/vtt; charset=utf-8");
        bucket.put(
                file(task, "subtitles.srt"),
                Subtitles.srt(sentences).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/x-subrip; charset=utf-8");
        boolean first = jobs.markSucceeded(task.jobId(), audioKey, chapter.length, sampleRate);
        BookStore.ChapterMark mark = books.chapterDone(task.book(), task.chapter());
        if (mark.completesBook()) {
            finishBook(task);
        }
        if (first) {
            log.info(
                    "book {} chapter {} assembled: {} segments, {} s, gain {} dB",
                    task.book(),
                    task.chapter(),
                    task.count(),
                    String.format("%.1f", seconds),
                    String.format("%.1f", gain.gainDb()));
        }
        return first;
    }

    /** Writes the book's manifest from its chapter jobs and marks the book succeeded (once). */
    private void finishBook(SegmentTask task) {
        BookStore.Book book = books.get(task.book()).orElse(null);
        if (book == null) {
            return; // expired or deleted meanwhile
        }
        List<Map<String, Object>> chapters = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < book.chapterJobs().size(); i++) {
            JobRecord job = jobs.get(book.chapterJobs().get(i))
                    .orElseThrow(() -> new RetriableException(
                            Dependency.REDIS, "a chapter job of book " + book.id() + " is gone"));
            double seconds = job.sampleRate() == 0 ? 0 : job.audioSamples() / (double) job.sampleRate();
            total += seconds;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("index", i);
            c.put(
                    "title",
                    i < book.chapterTitles().size() ? book.chapterTitles().get(i) : "Chapter " + (i + 1));
            c.put("duration", round(seconds));
            c.put("segments", job.segments());
            c.put(
                    "audio",
                    Map.of(
                            "wav",
                            ObjectKeys.chapterFile(book.tenant(), book.id(), i, "audio.wav"),
                            "flac",
                            ObjectKeys.chapterFile(book.tenant(), book.id(), i, "audio.flac")));
            c.put("timestamps", ObjectKeys.chapterFile(book.tenant(), book.id(), i, "timestamps.json"));
            c.put(
                    "subtitles",
                    Map.of(
                            "vtt",
                            ObjectKeys.chapterFile(book.tenant(), book.id(), i, "subtitles.vtt"),
                            "srt",
                            ObjectKeys.chapterFile(book.tenant(), book.id(), i, "subtitles.srt")));
            chapters.add(c);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("id", book.id());
        manifest.put("title", book.title());
        manifest.put("voice", book.voice());
        manifest.put("speed", book.speed());
        manifest.put("sample_rate", sampleRate);
        manifest.put("duration", round(total));
        manifest.put("chapters", chapters);
        String key = ObjectKeys.bookManifest(book.tenant(), book.id());
        bucket.put(key, json(manifest), "application/json");
        if (books.markSucceeded(book.id(), key)) {
            log.info(
                    "book {} succeeded: {} chapters, {} s of audio",
                    book.id(),
                    chapters.size(),
                    String.format("%.0f", total));
        }
    }

    private record Script(String title, List<String> segments, Set<Integer> paragraphEnds) {}

    private Script script(SegmentTask task) {
        byte[] raw = bucket.get(file(task, "script.json"))
                .orElseThrow(() -> new RetriableException(
                        Dependency.S3,
                        "the script of chapter " + task.chapter() + " of book " + task.book() + " is missing"));
        try {
            JsonNode n = Json.MAPPER.readTree(raw);
            List<String> segments = new ArrayList<>();
            n.path("segments").forEach(s -> segments.add(s.asText()));
            Set<Integer> ends = new HashSet<>();
            n.path("paragraph_ends").forEach(e -> ends.add(e.asInt()));
            return new Script(n.path("title").asText(""), segments, ends);
        } catch (IOException e) {
            throw new FatalException(
                    "the script of chapter " + task.chapter() + " of book " + task.book() + " is not JSON: "
                            + e.getMessage(),
                    e);
        }
    }

    private int pause(Script script, int afterSegment) {
        return samples(script.paragraphEnds().contains(afterSegment) ? PARAGRAPH_PAUSE : SENTENCE_PAUSE);
    }

    private int samples(double seconds) {
        return (int) Math.round(seconds * sampleRate);
    }

    private static String file(SegmentTask task, String name) {
        return ObjectKeys.chapterFile(task.tenant(), task.book(), task.chapter(), name);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    private static byte[] json(Object o) {
        try {
            return Json.MAPPER.writeValueAsBytes(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
