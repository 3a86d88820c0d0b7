package dev.ttscluster.client.cli;

import dev.ttscluster.client.api.BookUpload;
import dev.ttscluster.client.api.BookView;
import dev.ttscluster.client.api.ChapterView;
import dev.ttscluster.client.api.TtsApiException;
import dev.ttscluster.client.api.TtsClient;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The book client ({@code client/tts-book}): {@code submit} a book file (and follow it with a progress
 * bar until it is done), {@code status} of a book, {@code download} its chapters' audio, timestamps and
 * subtitles and its manifest into a folder. Every call goes through {@link TtsClient}. Exit codes: 0 done,
 * 1 the book failed or was cancelled, 2 usage, 3 the service refused or could not be reached.
 */
@Command(
        name = "tts-book",
        mixinStandardHelpOptions = true,
        subcommands = {TtsBook.Submit.class, TtsBook.Status.class, TtsBook.Download.class},
        description = "Turn books into audiobooks on a tts-cluster gateway.")
public final class TtsBook {
    /** How long {@code --wait} and {@code submit} follow a book before giving up. */
    static final Duration FOLLOW_AT_MOST = Duration.ofDays(7);

    @Option(
            names = "--url",
            defaultValue = "${env:TTS_URL:-http://127.0.0.1:8080}",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Gateway address (default: $TTS_URL or ${DEFAULT-VALUE})")
    String url;

    @Option(
            names = "--api-key",
            defaultValue = "${env:TTS_API_KEY}",
            scope = CommandLine.ScopeType.INHERIT,
            description = "API key sent as 'Authorization: Bearer' (default: $TTS_API_KEY)")
    String apiKey;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs a command line; returns its exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new TtsBook());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            err.println("tts-book: "
                    + (e instanceof TtsApiException a
                            ? "the gateway answered " + a.status() + ": " + a.detail()
                            : e.getMessage()));
            return 3;
        });
        return cl.execute(args);
    }

    TtsClient client() {
        return TtsClient.builder(url)
                .apiKey(apiKey)
                .pollInterval(Duration.ofSeconds(1))
                .build();
    }

    /** Follows a book until it is final, drawing a progress bar; returns the last view. */
    static BookView follow(TtsClient client, String id, PrintWriter out) {
        BookView b = client.awaitBook(id, FOLLOW_AT_MOST, v -> {
            out.print("\r" + bar(v));
            out.flush();
        });
        out.println("\r" + bar(b));
        return b;
    }

    static String bar(BookView b) {
        double p = b.progress();
        int filled = (int) Math.round(p * 30);
        return String.format(
                Locale.ROOT,
                "[%s%s] %3.0f%%  chapters %d/%d  %s",
                "#".repeat(filled),
                ".".repeat(30 - filled),
                100 * p,
                b.chaptersDone(),
                b.chaptersTotal(),
                b.status());
    }

    @Command(name = "submit", description = "Submit a book file (.txt, .md or .epub) and follow it until done.")
    static final class Submit implements Callable<Integer> {
        @CommandLine.ParentCommand
        TtsBook parent;

        @Parameters(index = "0", description = "The book file")
        Path file;

        @Option(names = "--title", description = "Title (default: the book's own)")
        String title;

        @Option(names = "--voice", description = "Voice (default: the cluster's first)")
        String voice;

        @Option(names = "--speed", description = "Speaking rate, 0.25 to 4.0")
        Double speed;

        @Option(names = "--no-wait", description = "Print the book's id and return at once")
        boolean noWait;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TtsClient client = parent.client();
            BookView b = client.submitBook(BookUpload.ofFile(file)
                            .withTitle(title)
                            .withVoice(voice)
                            .withSpeed(speed))
                    .view();
            PrintWriter out = spec.commandLine().getOut();
            out.println("book " + b.id() + ": '" + b.title() + "', " + b.chaptersTotal() + " chapters");
            if (noWait) {
                return 0;
            }
            return follow(client, b.id(), out).status().equals("succeeded") ? 0 : 1;
        }
    }

    @Command(name = "status", description = "Show a book's progress; with --wait, follow it until done.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        TtsBook parent;

        @Parameters(index = "0", description = "The book's id")
        String id;

        @Option(names = "--wait", description = "Follow it until it is done")
        boolean await;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            TtsClient client = parent.client();
            PrintWriter out = spec.commandLine().getOut();
            BookView b = await ? follow(client, id, out) : client.book(id);
            out.println(bar(b));
            for (ChapterView c : b.chapters()) {
                out.printf(
                        Locale.ROOT,
                        "  %3d  %-40s %-10s %3.0f%%%n",
                        c.index(),
                        c.title(),
                        c.status(),
                        100 * c.progress());
            }
            return 0;
        }
    }

    @Command(
            name = "download",
            description =
                    "Download a finished book: manifest, and per chapter its WAV, FLAC, " + "timestamps and subtitles.")
    static final class Download implements Callable<Integer> {
        @CommandLine.ParentCommand
        TtsBook parent;

        @Parameters(index = "0", description = "The book's id")
        String id;

        @Option(
                names = {"-o", "--out"},
                required = true,
                description = "Folder to write into (created)")
        Path out;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            TtsClient client = parent.client();
            BookView b = client.book(id);
            if (!b.status().equals("succeeded")) {
                throw new IllegalStateException(
                        "book " + id + " is " + b.status() + "; only a finished book downloads");
            }
            Files.createDirectories(out);
            client.download(b.manifestUrl(), out.resolve("manifest.json"));
            int files = 1;
            for (ChapterView c : b.chapters()) {
                files += client.downloadChapter(c, out).size();
            }
            spec.commandLine().getOut().println("wrote " + files + " files to " + out);
            return 0;
        }
    }
}
