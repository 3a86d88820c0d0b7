package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;
import static dev.ttscluster.bench.Md.f2;
import static dev.ttscluster.bench.Md.ms;
import static dev.ttscluster.bench.Md.pct;
import static dev.ttscluster.bench.Md.pct1;
import static dev.ttscluster.bench.Md.row;
import static dev.ttscluster.bench.Md.s;

/**
 * The report's segment cache section: the repeated-phrase workload with and without the cache, its gates and what a
 * hit means, from the cache run alone. Stateless.
 */
final class CacheSection {
    private CacheSection() {}

    /** Appends the section; fails with IndexOutOfBoundsException unless the run has both modes (cache, no cache). */
    static void render(StringBuilder md, Results.CacheRun c, Results.Provenance ran) {
        Results.CacheMode on = c.modes().get(0);
        Results.CacheMode off = c.modes().get(1);
        md.append("## Segment cache on a repeated-phrase workload\n\n");
        md.append(Md.ran(c.date(), ran))
                .append(". Workload: ")
                .append(c.workload())
                .append(". Open-loop Poisson arrivals at ")
                .append(f2(c.ratePerSecond()))
                .append(" jobs/s for ")
                .append(f1(c.seconds()))
                .append(
                        " s, the same arrivals and texts on a fresh cluster with the cache and on one without it (batched mode ")
                .append(
                        "as above, one worker). The cache starts empty: the warm-up uses other texts and the cache Redis is ")
                .append("emptied after it, so the hit rate is what a cold cluster reaches during the load.\n\n");
        md.append("| | ").append(on.name()).append(" | ").append(off.name()).append(" |\n|---|---|---|\n");
        row(md, "jobs succeeded", on.succeeded() + " / " + on.jobs(), off.succeeded() + " / " + off.jobs());
        row(
                md,
                "**hit rate** (segments served without a model row of their own / segments stored)",
                "**" + pct(on.hitRate()) + "**",
                pct(off.hitRate()));
        row(md, "segments found at intake / reused when their batch ran / synthesized", sources(on), sources(off));
        row(
                md,
                "worker, mean poll to stored and counted: found at intake (no batch, no model)",
                ms(on.workerMeanMsBySource().get("cache")),
                ms(off.workerMeanMsBySource().get("cache")));
        row(
                md,
                "worker, mean poll to stored and counted: reused when the batch ran",
                ms(on.workerMeanMsBySource().get("reused")),
                ms(off.workerMeanMsBySource().get("reused")));
        row(
                md,
                "worker, mean poll to stored and counted: synthesized",
                ms(on.workerMeanMsBySource().get("model")),
                ms(off.workerMeanMsBySource().get("model")));
        row(md, "end to end, every job: mean / p50 / p95", lat(on.all()), lat(off.all()));
        row(
                md,
                "end to end, jobs served wholly from the cache: mean / p50 / p95",
                lat(on.fullyCached()),
                lat(off.fullyCached()));
        row(
                md,
                "end to end, jobs with no cached segment: mean / p50 / p95",
                lat(on.noneCached()),
                lat(off.noneCached()));
        row(
                md,
                "end to end, one-segment jobs from the cache: mean / p50 / p95",
                lat(on.oneSegmentCached()),
                lat(off.oneSegmentCached()));
        row(
                md,
                "end to end, one-segment jobs synthesized: mean / p50 / p95",
                lat(on.oneSegmentSynthesized()),
                lat(off.oneSegmentSynthesized()));
        row(md, "mean S3 upload of one segment (both sources)", ms(on.meanUploadMs()), ms(off.meanUploadMs()));
        row(
                md,
                "round trips to the shared cache (mean time)",
                on.sharedLookups() + " (" + ms(on.meanLookupMs()) + ")",
                off.sharedLookups() + (off.sharedLookups() == 0 ? "" : " (" + ms(off.meanLookupMs()) + ")"));
        row(
                md,
                "segments found in the shared Redis (the rest of the hits: this worker's own memory or batch)",
                Long.toString(on.sharedHits()),
                Long.toString(off.sharedHits()));
        md.append('\n');
        double cachedMs = on.workerMeanMsBySource().getOrDefault("cache", Double.NaN);
        double modelMs = on.workerMeanMsBySource().getOrDefault("model", Double.NaN);
        double offMs = off.workerMeanMsBySource().getOrDefault("model", Double.NaN);
        double ratio = cachedMs / modelMs;
        double e2e = on.oneSegmentCached().mean() / on.oneSegmentSynthesized().mean();
        md.append("**Gates** (segment cache): hit rate >= 37%: **")
                .append(on.hitRate() >= 0.37 ? "met" : "NOT met")
                .append("** (")
                .append(pct(on.hitRate()))
                .append(" of segments); mean latency of a fully cached segment <= 10% of an uncached ")
                .append(
                        "one, measured in the worker from poll to stored and counted, against the run without the cache: **")
                .append(cachedMs / offMs <= 0.10 ? "met" : "NOT met")
                .append("** (")
                .append(ms(cachedMs))
                .append(" against ")
                .append(ms(offMs))
                .append(": ")
                .append(pct1(cachedMs / offMs))
                .append("); and against the segments the model ")
                .append("made in the same run with the cache, which had less to do: **")
                .append(ratio <= 0.10 ? "met" : "NOT met")
                .append("** (")
                .append(ms(cachedMs))
                .append(" against ")
                .append(ms(modelMs))
                .append(": ")
                .append(pct1(ratio))
                .append("). End to end, from the client's POST to ")
                .append("the audio being ready, a one-segment job served from the cache took ")
                .append(pct(e2e))
                .append(" of the time of one synthesized in the same run (")
                .append(s(on.oneSegmentCached().mean()))
                .append(" against ")
                .append(s(on.oneSegmentSynthesized().mean()))
                .append("): the cache removes the batching window and the ")
                .append(
                        "model, not the HTTP request, the gateway's Redis and Kafka writes, Kafka's delivery to the worker, ")
                .append(
                        "the S3 upload and the job's progress in Redis, which every job pays. Most of a cached segment's ")
                .append("time in the worker is its S3 upload (")
                .append(ms(on.meanUploadMs()))
                .append(" on average in this ")
                .append(
                        "run, to the S3 server sharing this machine's cores at a lower priority than the worker); with ")
                .append("S3 on nodes of its own, as in production, that part shrinks and the ratio with it.\n\n");
        md.append(
                        "Units: the hit rate counts segments (a segment is one sentence, or a clause of a long one) and each stored segment ")
                .append(
                        "once; a hit is a segment whose audio came from the cache instead of a model row: found as it was polled ")
                .append(
                        "(this worker's recent segments in memory, then one MGET to the shared Redis for the whole poll), or, when ")
                .append(
                        "it missed there, found when its batch ran (made meanwhile by an earlier batch of this worker, or an ")
                .append(
                        "identical segment in the same batch). Keys are the bundle's content hash, voice, speed and the segment's ")
                .append("phones with the pauses at its edges, so a hit is byte-identical to synthesizing again. ")
                .append("A worker looks in its own memory first, so with one worker, as here, ")
                .append(
                        on.sharedHits() == 0
                                ? "every hit came from there"
                                : on.sharedHits() + " hits came from the shared Redis")
                .append(
                        "; the shared Redis serves what other workers made (the end-to-end suite checks that a worker that ")
                .append(
                        "never synthesized a segment serves it from there, byte-identical) and what outlives a worker's ")
                .append("memory.\n\n");
    }

    private static String sources(Results.CacheMode m) {
        return m.segmentsBySource().getOrDefault("cache", 0L) + " / "
                + m.segmentsBySource().getOrDefault("reused", 0L) + " / "
                + m.segmentsBySource().getOrDefault("model", 0L);
    }

    private static String lat(Results.Latency l) {
        return l.jobs() == 0
                ? "- (no such jobs)"
                : s(l.mean()) + " / " + s(l.p50()) + " / " + s(l.p95()) + " (" + l.jobs() + " jobs)";
    }
}
