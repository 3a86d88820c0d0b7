package dev.ttscluster.worker.logging;

import dev.ttscluster.common.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

/**
 * The job a thread is working for, in SLF4J's MDC ({@value #JOB_ID} and {@value #TRACE_ID}), so that every log
 * line written meanwhile names it (the log4j2 pattern prints both). Opened around the work of one segment; a
 * batch's model call spans jobs, so there both keys hold the comma-separated list of the batch's distinct ids.
 * {@link #close()} puts back what the thread had before, so contexts nest (a segment's inside its batch's). Use
 * with try-with-resources on the thread doing the work; an instance belongs to that thread.
 */
public final class LogContext implements AutoCloseable {
    /** MDC key of the job id (or ids, comma-separated, for a batch). */
    public static final String JOB_ID = "job_id";
    /** MDC key of the trace id (or ids): the record's {@link Topics#TRACE_HEADER}, else its job id. */
    public static final String TRACE_ID = "trace_id";
    /** At most this many ids are listed for a batch; more are counted ("+N more"). */
    static final int MAX_LISTED = 32;

    private final String previousJob;
    private final String previousTrace;

    private LogContext(String job, String trace) {
        this.previousJob = MDC.get(JOB_ID);
        this.previousTrace = MDC.get(TRACE_ID);
        put(JOB_ID, job);
        put(TRACE_ID, trace);
    }

    /** Work for one job; a null or blank {@code traceId} means the job id. */
    public static LogContext job(String jobId, String traceId) {
        return new LogContext(jobId, traceId == null || traceId.isBlank() ? jobId : traceId);
    }

    /** Work for one segment. */
    public static LogContext of(Traced segment) {
        return job(segment.jobId(), segment.traceId());
    }

    /** Work for a batch: both keys list the batch's distinct ids, in order. */
    public static LogContext batch(Collection<? extends Traced> segments) {
        return jobs(
                segments.stream().map(Traced::jobId).toList(),
                segments.stream().map(Traced::traceId).toList());
    }

    /** Work for several jobs: both keys list the distinct ids given, in order. */
    public static LogContext jobs(Collection<String> jobIds, Collection<String> traceIds) {
        return new LogContext(list(new LinkedHashSet<>(jobIds)), list(new LinkedHashSet<>(traceIds)));
    }

    /** The ids joined with commas, the first {@value #MAX_LISTED} of them. */
    public static String list(Collection<String> ids) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (String id : ids) {
            if (n == MAX_LISTED) {
                b.append(",+").append(ids.size() - MAX_LISTED).append(" more");
                break;
            }
            if (n++ > 0) {
                b.append(',');
            }
            b.append(id);
        }
        return b.toString();
    }

    /** The record's trace id header ({@link Topics#TRACE_HEADER}, UTF-8), or null when it has none. */
    public static String traceOf(Headers headers) {
        Header h = headers == null ? null : headers.lastHeader(Topics.TRACE_HEADER);
        if (h == null || h.value() == null || h.value().length == 0) {
            return null;
        }
        String s = new String(h.value(), StandardCharsets.UTF_8).strip();
        return s.isEmpty() ? null : s.length() > 128 ? s.substring(0, 128) : s;
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Restores the thread's previous job and trace ids. */
    @Override
    public void close() {
        put(JOB_ID, previousJob);
        put(TRACE_ID, previousTrace);
    }
}
