package dev.ttscluster.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ttscluster.common.contract.JobStatus;
import dev.ttscluster.testing.LoopbackRedis;
import dev.ttscluster.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The book-state transitions against a real Redis on loopback. */
class BookStoreRedisTest {
    static final MutableClock CLOCK = new MutableClock(1_700_000_000_000L);
    static LoopbackRedis redis;
    static JobStore jobs;
    static BookStore books;

    @BeforeAll
    static void connect() {
        redis = LoopbackRedis.start();
        jobs = JobStore.connect(redis.url(), CLOCK, 3600);
        books = jobs.books();
    }

    @AfterAll
    static void close() {
        if (jobs != null) {
            jobs.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    static String newBook(int chapters) {
        String id = UUID.randomUUID().toString();
        List<String> chapterJobs = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < chapters; i++) {
            chapterJobs.add(id + "-" + i);
            titles.add("Chapter " + (i + 1));
        }
        books.create(id, "default", "A Book", chapterJobs, titles, "slt", 1.0, "txt", 1234);
        return id;
    }

    @Test
    void aNewBookIsQueuedWithItsChaptersInOrder() {
        String id = newBook(2);

        BookStore.Book b = books.get(id).orElseThrow();

        assertThat(b.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(b.chapterJobs()).containsExactly(id + "-0", id + "-1");
        assertThat(b.chapterTitles()).containsExactly("Chapter 1", "Chapter 2");
        assertThat(b.chaptersDone()).isZero();
        assertThat(b.createdMs()).isEqualTo(CLOCK.millis());
        assertThat(b.textChars()).isEqualTo(1234);
    }

    @Test
    void aChapterAssembledTwiceIsCountedOnceAndTheLastCompletesTheBook() {
        String id = newBook(2);

        BookStore.ChapterMark first = books.chapterDone(id, 0);
        BookStore.ChapterMark again = books.chapterDone(id, 0);
        BookStore.ChapterMark last = books.chapterDone(id, 1);

        assertThat(first.completesBook()).isFalse();
        assertThat(again.done()).isEqualTo(1);
        assertThat(again.completesBook()).isFalse();
        assertThat(last.completesBook()).isTrue();
        assertThat(books.get(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aBookSucceedsOnceAndThenNothingChangesIt() {
        String id = newBook(1);
        books.chapterDone(id, 0);

        assertThat(books.markSucceeded(id, "books/" + id + "/manifest.json")).isTrue();
        assertThat(books.markFailed(id, "late failure")).isFalse();
        assertThat(books.cancel(id)).isFalse();
        BookStore.ChapterMark redelivered = books.chapterDone(id, 0);

        assertThat(redelivered.bookFinal()).isTrue();
        assertThat(redelivered.completesBook()).isFalse();
        BookStore.Book b = books.get(id).orElseThrow();
        assertThat(b.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(b.manifestKey()).isEqualTo("books/" + id + "/manifest.json");
    }

    @Test
    void unknownAndDeletedBooksAreAbsent() {
        String id = newBook(1);
        books.delete(id);

        assertThat(books.get(id)).isEmpty();
        assertThat(books.chapterDone(id, 0).total()).isZero();
        assertThat(books.get(UUID.randomUUID().toString())).isEmpty();
    }
}
