package dev.ttscluster.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The chaos suite's figures and the Markdown page they make, {@code docs/RELIABILITY.md}. Immutable
 * figures, rendered by {@link #markdown()}.
 */
final class ChaosReport {
    /** The command that refreshes the page (printed on it). */
    static final String RERUN = "DJL_OFFLINE=true mvn -B -pl e2e verify -Dgroups=chaos";

    /**
     * One injected fault.
     *
     * @param what what was done, in words
     * @param startMs when it began (epoch ms)
     * @param endMs when it ended: the process dead, or the server (gateway) back and ready
     * @param jobsInFlight jobs accepted and not yet final when it began
     * @param uncommitted interactive-lane records not yet made durable by the workers when it began
     * @param recoveryMs from {@code endMs} until the cluster made progress again, empty if it never did
     * @param recoveredWhen what showed the progress
     * @param note what else was checked about this fault
     */
    record Fault(
            String what,
            long startMs,
            long endMs,
            int jobsInFlight,
            long uncommitted,
            Optional<Long> recoveryMs,
            String recoveredWhen,
            String note) {}

    /**
     * The whole run.
     *
     * @param atMs when it ran (epoch ms)
     * @param machine cores, memory, OS and Java, in words
     * @param commit the commit the code was built from
     * @param jobs jobs submitted
     * @param accepted jobs the gateway accepted (202)
     * @param succeeded jobs that ended {@code succeeded}
     * @param notSucceeded jobs that ended otherwise or never ended, by id, with their status
     * @param segments segments of all jobs
     * @param missing segments never counted, plus jobs whose audio is shorter than the clean run's
     * @param doubleCounted segments counted more than once, plus jobs whose audio is longer than the clean run's
     * @param audioMismatches jobs whose audio differs from the clean run's (length, or a sample beyond the tolerance)
     * @param tolerance largest sample difference allowed
     * @param maxSampleDiff largest sample difference seen
     * @param beyondStrict jobs with some sample further than {@code strict} from the clean run (within the tolerance)
     * @param strict the tolerance of the other end-to-end tests
     * @param duplicates redelivered segments the counting set refused to count again
     * @param takenOver records not yet committed on the killed worker's partitions when it died
     * @param faults every fault, in order
     * @param firstSubmitMs the first submission (epoch ms)
     * @param lastFinishMs the last job finished (epoch ms)
     * @param refusals answers that made the client wait and retry, by kind
     * @param workload the jobs, in words
     */
    record Run(
            long atMs,
            String machine,
            String commit,
            int jobs,
            int accepted,
            int succeeded,
            Map<String, String> notSucceeded,
            int segments,
            int missing,
            int doubleCounted,
            int audioMismatches,
            int tolerance,
            int maxSampleDiff,
            int beyondStrict,
            int strict,
            int duplicates,
            long takenOver,
            List<Fault> faults,
            long firstSubmitMs,
            long lastFinishMs,
            Map<String, Integer> refusals,
            String workload) {
        boolean passed() {
            return accepted == jobs
                    && succeeded == jobs
                    && missing == 0
                    && doubleCounted == 0
                    && audioMismatches == 0
                    && faults.stream().allMatch(f -> f.recoveryMs().isPresent() && f.jobsInFlight() > 0);
        }

        Optional<Fault> longest() {
            return faults.stream()
                    .filter(f -> f.recoveryMs().isPresent())
                    .max(java.util.Comparator.comparingLong(f -> f.recoveryMs().get()));
        }
    }

    private final Run run;

    ChaosReport(Run run) {
        this.run = run;
    }

    /** Writes the page to {@code file}. */
    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        String when = DateTimeFormatter.ofPattern("yyyy-MM-dd 'at' HH:mm 'UTC'")
                .withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochMilli(run.atMs()));
        md.append("# Reliability\n\n");
        md.append("Generated by the chaos suite (`e2e/src/test/java/dev/ttscluster/e2e/ChaosEndToEndTest.java`, "
                        + "JUnit tag `chaos`) on ")
                .append(when)
                .append(". Do not edit by hand: run it again to refresh every "
                        + "number. Alone (after `mvn -B install -DskipTests`):\n\n");
        md.append("```\n").append(RERUN).append("\n```\n\n");
        md.append("It also runs with every other test in `deploy/ci/test-all` (`mvn -B verify`), on the same shared "
                + "cluster, and rewrites this page each time.\n\n");
        md.append("**Machine**: ")
                .append(run.machine())
                .append("; commit ")
                .append(run.commit())
                .append(".  \n");
        md.append("**Cluster**: the local cluster on real servers on loopback: a Kafka KRaft broker (in the test JVM), "
                + "the job-state Redis with append-only persistence (`appendonly yes`, `appendfsync everysec`), the "
                + "segment-cache Redis, an S3 server (s3proxy), the gateway and 2 worker JVMs (consumer session timeout "
                + "6 s).  \n");
        md.append("**Workload**: ").append(run.workload()).append("\n\n");

        md.append("## Result: ").append(run.passed() ? "passed" : "FAILED").append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "jobs submitted", Integer.toString(run.jobs()));
        row(md, "jobs accepted (202)", Integer.toString(run.accepted()));
        row(md, "jobs succeeded", run.succeeded() + " of " + run.jobs());
        row(md, "segments", Integer.toString(run.segments()));
        row(md, "segments missing", Integer.toString(run.missing()));
        row(md, "segments counted twice", Integer.toString(run.doubleCounted()));
        row(
                md,
                "jobs whose audio differs from a clean run",
                run.audioMismatches() + " (length must be equal, each "
                        + "sample within " + run.tolerance() + " of 32768; largest difference seen: "
                        + run.maxSampleDiff() + "; "
                        + run.beyondStrict() + " jobs had a sample more than " + run.strict() + " off)");
        row(md, "faults injected", Integer.toString(run.faults().size()));
        row(
                md,
                "redeliveries (segments made again after a fault and offered to the count a second time)",
                Integer.toString(run.duplicates()));
        row(
                md,
                "duplicates suppressed (refused by the job's set of counted segments)",
                Integer.toString(run.duplicates()));
        row(
                md,
                "records the surviving worker took over from the killed one",
                run.takenOver() + " (not yet committed on its partitions when it died)");
        row(
                md,
                "longest recovery",
                run.longest()
                        .map(f -> seconds(f.recoveryMs().get()) + " (" + f.what() + ")")
                        .orElse("none measured"));
        row(md, "first submission to last job finished", seconds(run.lastFinishMs() - run.firstSubmitMs()));
        if (!run.notSucceeded().isEmpty()) {
            row(md, "jobs that did not succeed", run.notSucceeded().toString());
        }
        md.append('\n');

        md.append("## Faults\n\n");
        md.append(
                "Injected one after the other, each while jobs were in flight. *At* counts from the first submission; "
                        + "*down* is how long the component was unavailable; *recovery* runs from the end of the fault (the "
                        + "process dead, the server or gateway back) until the cluster made progress again, as the last "
                        + "column says.\n\n");
        md.append("| # | fault | at | down | jobs in flight | records not yet durable | recovery | recovered when |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        int n = 1;
        for (Fault f : run.faults()) {
            md.append("| ")
                    .append(n++)
                    .append(" | ")
                    .append(f.what())
                    .append(" | ")
                    .append(seconds(f.startMs() - run.firstSubmitMs()))
                    .append(" | ")
                    .append(f.endMs() - f.startMs() < 50 ? "-" : seconds(f.endMs() - f.startMs()))
                    .append(" | ")
                    .append(f.jobsInFlight())
                    .append(" | ")
                    .append(f.uncommitted())
                    .append(" | ")
                    .append(f.recoveryMs().map(ChaosReport::seconds).orElse("**never**"))
                    .append(" | ")
                    .append(f.recoveredWhen())
                    .append(" |\n");
        }
        md.append('\n');
        n = 1;
        for (Fault f : run.faults()) {
            if (!f.note().isEmpty()) {
                md.append(n).append(". ").append(f.note()).append('\n');
            }
            n++;
        }
        md.append('\n');

        md.append("## What the client saw\n\n");
        md.append("The client retries every call while the gateway is unreachable, answers 503 (a backing server down) "
                + "or 429, as an application behind a retrying SDK would. Answers that made it wait: ");
        md.append(
                run.refusals().isEmpty()
                        ? "none"
                        : run.refusals().entrySet().stream()
                                .map(e -> e.getKey() + ": " + e.getValue())
                                .collect(java.util.stream.Collectors.joining(", ")));
        md.append(".\n\n");

        md.append("## How it is checked\n\n");
        md.append(
                "- Every job's record in the job-state Redis: status `succeeded`, distinct segments counted = segments "
                        + "(none missing); its counter of refused repeats gives the redeliveries. A redelivery shows there only "
                        + "when it reaches the count again: a segment whose first attempt died before it was counted looks like "
                        + "a first delivery, so that figure is a lower bound; the records the surviving worker took over bound "
                        + "the worker kill's share from above.\n");
        md.append(
                "- Every job's audio, fetched as a user would (the job view's presigned URL), against a clean run of the "
                        + "same text: the same bundle synthesizing one segment at a time in the test JVM, no batching, no "
                        + "faults. A segment counted twice or missing changes the length, which must be equal; samples may "
                        + "differ by at most " + run.tolerance()
                        + " of 32768: batching alone (no fault) moves some segments' "
                        + "samples by up to 15 in a few hundred places, while a missing, doubled or wrong segment differs by "
                        + "thousands.\n");
        md.append("- Each restart keeps the data: the job-state Redis is stopped with SIGTERM, its graceful shutdown "
                + "writing and fsyncing the append-only file, and every job record plus a key written just before the "
                + "stop are read back after the start; the broker keeps its log directory (log end offsets after the "
                + "restart at least those before); the S3 server keeps its directory (segments stored before the "
                + "outage are read back when their jobs are joined after it).\n");
        md.append("- Afterwards the shared cluster is healthy again for the tests that follow: every server up, the "
                + "gateway ready (`/readyz` 200) on its port, 2 workers.\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static String seconds(long ms) {
        return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
