package dev.ttscluster.common.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ttscluster.common.error.FatalException;
import java.util.Objects;

/**
 * One unit of synthesis work: a segment of a job's text. Serialized as one Kafka record on
 * {@link Topics#SEGMENTS_INTERACTIVE}, or {@link Topics#SEGMENTS_BULK} for a book's chapter (JSON, schema
 * {@link #SCHEMA_VERSION}; the book fields are optional, so records without them stay valid). Its identity is
 * (jobId, index): redelivery of the same task must produce the same object and count once.
 *
 * @param schema schema version of this record; readers refuse versions they do not know
 * @param jobId job the segment belongs to
 * @param tenant owner of the job
 * @param index position of the segment in the job, from 0
 * @param count number of segments in the job
 * @param text normalized text of the segment
 * @param voice voice name
 * @param speed speaking rate, 1.0 normal
 * @param submittedMs when the gateway accepted the job, epoch milliseconds
 * @param book the book the job is a chapter of, or null for a plain job (absent in plain jobs' records)
 * @param chapter the chapter's number in its book, from 0 (0 for a plain job)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SegmentTask(
        @JsonProperty("v") int schema,
        @JsonProperty("job_id") String jobId,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("index") int index,
        @JsonProperty("count") int count,
        @JsonProperty("text") String text,
        @JsonProperty("voice") String voice,
        @JsonProperty("speed") double speed,
        @JsonProperty("submitted_ms") long submittedMs,

        @JsonProperty("book") @JsonInclude(JsonInclude.Include.NON_NULL)
        String book,

        @JsonProperty("chapter") int chapter) {

    /** The schema version this code writes and reads. */
    public static final int SCHEMA_VERSION = 1;

    @JsonCreator
    public SegmentTask {
        Objects.requireNonNull(jobId, "job_id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(voice, "voice");
    }

    /** A segment of a plain job (no book). */
    public SegmentTask(
            int schema,
            String jobId,
            String tenant,
            int index,
            int count,
            String text,
            String voice,
            double speed,
            long submittedMs) {
        this(schema, jobId, tenant, index, count, text, voice, speed, submittedMs, null, 0);
    }

    /** True when the job is a chapter of a book. */
    public boolean inBook() {
        return book != null && !book.isEmpty();
    }

    /** Kafka record key: spreads one job's segments over partitions so workers share long jobs. */
    public String recordKey() {
        return jobId + "/" + index;
    }

    /**
     * Decodes a record value.
     *
     * @throws FatalException when the bytes are not a task of a known schema version
     */
    public static SegmentTask decode(byte[] json) {
        SegmentTask t;
        try {
            t = Json.MAPPER.readValue(json, SegmentTask.class);
        } catch (java.io.IOException | RuntimeException e) {
            throw new FatalException("undecodable segment record: " + e.getMessage(), e);
        }
        if (t == null) {
            throw new FatalException("undecodable segment record: null");
        }
        if (t.schema() != SCHEMA_VERSION) {
            throw new FatalException("unsupported segment schema version " + t.schema());
        }
        if (t.chapter() < 0) {
            throw new FatalException("negative chapter " + t.chapter());
        }
        if (t.index() < 0 || t.index() >= t.count()) {
            throw new FatalException("segment index " + t.index() + " outside count " + t.count());
        }
        return t;
    }

    /** Encodes this task as the record value. */
    public byte[] encode() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
