package dev.ttscluster.bench;

import static dev.ttscluster.bench.Md.f1;
import static dev.ttscluster.bench.Md.f2;
import static dev.ttscluster.bench.Md.pct;
import static dev.ttscluster.bench.Md.s;

import dev.ttscluster.worker.config.WorkerConfig;
import java.util.Map;

/**
 * The report's section on interactive latency while a book runs, with its gate, from the book run alone. Stateless.
 */
final class BookSection {
    private BookSection() {}

    /** Appends the section. */
    static void render(StringBuilder md, Results.BookRun b, Results.Provenance ran) {
        double ratio = b.withBook().p95() / b.idle().p95();
        md.append("## Interactive jobs while a book runs\n\n");
        md.append(Md.ran(b.date(), ran))
                .append(". One worker, batched mode as above (no cache). The same open-loop ")
                .append("interactive load (")
                .append(f2(b.ratePerSecond()))
                .append(" jobs/s for ")
                .append(f1(b.seconds()))
                .append(" s, every ")
                .append(BenchMain.LONG_EVERY)
                .append("th job long) first with nothing else to do, then while a book of ")
                .append(b.bookChars())
                .append(" characters (")
                .append(b.bookSegments())
                .append(" segments) is synthesized on the ")
                .append("bulk lane. During the loaded step the book went from ")
                .append(b.segmentsDoneBefore())
                .append(" to ")
                .append(b.segmentsDoneAfter())
                .append(" segments done (status ")
                .append(b.bookStatusAfter())
                .append(" at its end), so the worker had book work the whole time.\n\n");
        md.append("| interactive jobs | jobs | mean | p50 | p95 |\n|---|---|---|---|---|\n");
        md.append("| idle | ")
                .append(b.idle().jobs())
                .append(" | ")
                .append(s(b.idle().mean()))
                .append(" | ")
                .append(s(b.idle().p50()))
                .append(" | ")
                .append(s(b.idle().p95()))
                .append(" |\n");
        md.append("| while the book runs | ")
                .append(b.withBook().jobs())
                .append(" | ")
                .append(s(b.withBook().mean()))
                .append(" | ")
                .append(s(b.withBook().p50()))
                .append(" | ")
                .append(s(b.withBook().p95()))
                .append(" |\n\n");
        md.append("**Gate** (book lane): interactive p95 while a book saturates the workers <= 1.5x the idle p95: **")
                .append(ratio <= 1.5 ? "met" : "NOT met")
                .append("** (")
                .append(f2(ratio))
                .append("x). Interactive segments ")
                .append(
                        "are batched before any buffered book segment, never in one batch with them, and book batches are ")
                .append("kept small (")
                .append(b.env()
                        .getOrDefault(
                                "TTS_WORKER_BULK_BATCH_MAX_TOKENS",
                                Integer.toString(WorkerConfig.BULK_BATCH_MAX_TOKENS.read(Map.of()))))
                .append(
                        " padded phones), so an interactive segment waits at most for the one book batch already in the ")
                .append("model: a model call cannot be interrupted. The machine's cores were ")
                .append(pct(b.machineBusyIdle()))
                .append(" busy in the idle step and ")
                .append(pct(b.machineBusyWithBook()))
                .append(" with the book, the worker ")
                .append("using ")
                .append(f2(b.workerCoresWithBook()))
                .append(" cores");
        if (b.machineBusyWithBook() < 0.9) {
            md.append(
                            ": the machine was not saturated, so what the book adds to an interactive job is that wait for the ")
                    .append(
                            "book segment already in the model, which at the tail of the distribution is a whole model call on ")
                    .append("a book batch. What would shrink it: shorter ")
                    .append("book segments, a GPU (the call takes milliseconds there), or workers that serve only the ")
                    .append("interactive lane.\n\n");
        } else {
            md.append(": the machine was saturated, so the gateway, Kafka, Redis and the S3 server, which share this ")
                    .append("machine's cores with the worker, slowed every request's own path too; on a cluster the ")
                    .append("worker's node does not host them.\n\n");
        }
    }
}
