package dev.ttscluster.common.storage;

/**
 * Object key layout in the audio bucket. Keys are pure functions of (tenant, job, index), so a
 * redelivered segment overwrites the same object.
 */
public final class ObjectKeys {
    private ObjectKeys() {}

    /** {@code tenants/{tenant}/jobs/{job}/segments/{index}.wav}, index zero-padded to 5 digits. */
    public static String segment(String tenant, String jobId, int index) {
        return jobPrefix(tenant, jobId) + "segments/" + String.format("%05d", index) + ".wav";
    }

    /** {@code tenants/{tenant}/jobs/{job}/audio.{format}}. */
    public static String jobAudio(String tenant, String jobId, String format) {
        return jobPrefix(tenant, jobId) + "audio." + format;
    }

    /** Prefix of every object of a job. */
    public static String jobPrefix(String tenant, String jobId) {
        return "tenants/" + tenant + "/jobs/" + jobId + "/";
    }

    /** Where segment {@code index} of the job {@code task} belongs to is stored: under its book's chapter, if any. */
    public static String segmentOf(dev.ttscluster.common.contract.SegmentTask task, int index) {
        return task.inBook()
                ? chapterPrefix(task.tenant(), task.book(), task.chapter()) + "segments/" + String.format("%05d", index)
                        + ".wav"
                : segment(task.tenant(), task.jobId(), index);
    }

    /** The joined audio of the job {@code task} belongs to: a chapter's audio inside its book, if any. */
    public static String audioOf(dev.ttscluster.common.contract.SegmentTask task, String format) {
        return task.inBook()
                ? chapterPrefix(task.tenant(), task.book(), task.chapter()) + "audio." + format
                : jobAudio(task.tenant(), task.jobId(), format);
    }

    /** {@code tenants/{tenant}/books/{book}/}: every object of a book. */
    public static String bookPrefix(String tenant, String bookId) {
        return "tenants/" + tenant + "/books/" + bookId + "/";
    }

    /** {@code tenants/{tenant}/books/{book}/chapters/{n}/}, n zero-padded to 5 digits. */
    public static String chapterPrefix(String tenant, String bookId, int chapter) {
        return bookPrefix(tenant, bookId) + "chapters/" + String.format("%05d", chapter) + "/";
    }

    /** A chapter's file {@code name} (audio.wav, timestamps.json, subtitles.vtt, script.json...). */
    public static String chapterFile(String tenant, String bookId, int chapter, String name) {
        return chapterPrefix(tenant, bookId, chapter) + name;
    }

    /** The book's manifest: chapters, durations, object keys. */
    public static String bookManifest(String tenant, String bookId) {
        return bookPrefix(tenant, bookId) + "manifest.json";
    }
}
