package io.ttsmesh.verifier.batching;

import io.ttsmesh.verifier.ScoringMetrics;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.VerifierException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MicroBatcherTest {

    static final class Job implements BatchJob {
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        final Instant deadline;
        final boolean poison;
        long enqueued;

        Job(Instant deadline) {
            this(deadline, false);
        }

        Job(Instant deadline, boolean poison) {
            this.deadline = deadline;
            this.poison = poison;
        }

        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public void enqueuedAt(long nanos) {
            enqueued = nanos;
        }

        @Override
        public long enqueuedAt() {
            return enqueued;
        }

        @Override
        public void fail(VerifierException error) {
            done.completeExceptionally(error);
        }
    }

    private static List<Job> jobs(int n) {
        List<Job> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Job(Instant.now().plusSeconds(30)));
        }
        return out;
    }

    @Test
    void callsArrivingCloseTogetherWaitForCompanionsInBatchesOfAtMostMaxSize() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchSettings settings = new BatchSettings(8, Duration.ofSeconds(2), 100, 1, 0.5, 0);
        try (MicroBatcher<Job> batcher = new MicroBatcher<>("t", settings, batch -> {
            running.countDown();
            release.await();
            sizes.add(batch.size());
            batch.forEach(j -> j.done.complete(batch.size()));
        }, ScoringMetrics.NONE)) {
            List<Job> all = new ArrayList<>(jobs(1));
            batcher.submit(all);
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue(); // the worker is busy with the first call
            for (int call = 0; call < 5; call++) { // five callers at once, three candidates each
                List<Job> js = jobs(3);
                all.addAll(js);
                batcher.submit(js);
            }
            release.countDown();
            // 15 queued: a batch of 8, then 7 that wait for a companion, since calls came close together
            List<Job> late = jobs(1);
            all.addAll(late);
            batcher.submit(late);
            all.forEach(j -> j.done.join());
            assertThat(sizes).containsExactly(1, 8, 8);
        }
    }

    @Test
    void aLoneCallerDoesNotWaitForCompanions() throws Exception {
        BatchSettings settings = new BatchSettings(64, Duration.ofMillis(500), 100, 1, 0.5, 0);
        try (MicroBatcher<Job> batcher = new MicroBatcher<>("t", settings,
                batch -> batch.forEach(j -> j.done.complete(batch.size())), ScoringMetrics.NONE)) {
            for (int call = 0; call < 3; call++) {
                if (call > 0) {
                    Thread.sleep(600); // one search alone: its calls are further apart than max-wait
                }
                List<Job> js = jobs(4);
                long start = System.nanoTime();
                batcher.submit(js);
                js.forEach(j -> assertThat(j.done.join()).isEqualTo(4));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("call %d", call)
                        .isLessThan(Duration.ofMillis(400));
            }
        }
    }

    @Test
    void aCallIsNeverSplitByTheWorkerWakingOnItsFirstJob() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        BatchSettings settings = new BatchSettings(64, Duration.ofMillis(1), 1000, 1, 0.5, 0);
        try (MicroBatcher<Job> batcher = new MicroBatcher<>("t", settings, batch -> {
            sizes.add(batch.size());
            batch.forEach(j -> j.done.complete(batch.size()));
        }, ScoringMetrics.NONE)) {
            for (int call = 0; call < 300; call++) {
                Thread.sleep(2); // calls further apart than max-wait: each one runs as soon as it is in
                List<Job> js = jobs(8);
                batcher.submit(js);
                js.forEach(j -> j.done.join());
            }
        }
        assertThat(sizes).hasSize(300).containsOnly(8);
    }

    @Test
    void theWaitForCompanionsIsBounded() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchSettings settings = new BatchSettings(64, Duration.ofMillis(300), 100, 1, 0.5, 0);
        try (MicroBatcher<Job> batcher = new MicroBatcher<>("t", settings, batch -> {
            running.countDown();
            release.await();
            sizes.add(batch.size());
            batch.forEach(j -> j.done.complete(batch.size()));
        }, ScoringMetrics.NONE)) {
            batcher.submit(jobs(1));
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            List<Job> two = jobs(2);
            batcher.submit(two.subList(0, 1));
            batcher.submit(two.subList(1, 2)); // calls close together: the next batch waits for more
            release.countDown();
            long start = System.nanoTime();
            two.forEach(j -> j.done.join());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(sizes).containsExactly(1, 2);
        }
    }

    @Test
    void aFullQueueRefusesTheWholeCall() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BatchSettings settings = new BatchSettings(1, Duration.ZERO, 4, 1, 0.5, 0);
        try (MicroBatcher<Job> batcher = new MicroBatcher<>("t", settings, batch -> {
            running.countDown();
            release.await();
            batch.forEach(j -> j.done.complete(1));
        }, ScoringMetrics.NONE)) {
            List<Job> first = jobs(1);
            batcher.submit(first);
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue(); // the worker is busy now
            List<Job> three = jobs(3);
            batcher.submit(three);
            assertThat(batcher.queued()).isEqualTo(3);
            assertThatThrownBy(() -> batcher.submit(jobs(2)))
                    .isInstanceOfSatisfying(VerifierException.class, e -> {
                        assertThat(e.code()).isEqualTo(StatusCode.RESOURCE_EXHAUSTED);
                        assertThat(e.getMessage()).contains("queue full", "tts.verifier.batch.queue-capacity");
                    });
            release.countDown();
            first.getFirst().done.join();
            three.forEach(j -> j.done.join());
            assertThat(batcher.queued()).isZero();
        }
    }

    @Test
    void jobsPastTheirDeadlineAreNotRun() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        BatchSettings settings = new BatchSettings(4, Duration.ZERO, 10, 1, 0.5, 0);
        try (MicroBatcher<Job> batcher = new MicroBatcher<>("t", settings, batch -> {
            running.countDown();
            release.await();
            ran.add(batch.size());
            batch.forEach(j -> j.done.complete(1));
        }, ScoringMetrics.NONE)) {
            batcher.submit(jobs(1));
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            // Queued behind the busy worker with its deadline already behind it: by the time a worker takes it,
            // its caller has stopped waiting (no sleep needed to let a deadline pass).
            Job late = new Job(Instant.now().minusMillis(1));
            batcher.submit(List.of(late));
            assertThat(batcher.queued()).isEqualTo(1);
            release.countDown();
            assertThatThrownBy(late.done::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(VerifierException.class,
                            e -> assertThat(e.code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED));
            assertThat(ran).containsExactly(1);
        }
    }

    @Test
    void aFailingRunFailsItsJobsAndTheBatcherGoesOn() {
        BatchSettings settings = new BatchSettings(1, Duration.ZERO, 10, 1, 0.5, 0);
        try (MicroBatcher<Job> batcher = new MicroBatcher<>("t", settings, batch -> {
            if (batch.getFirst().poison) {
                throw new IllegalStateException("boom");
            }
            batch.forEach(j -> j.done.complete(1));
        }, ScoringMetrics.NONE)) {
            Job bad = new Job(Instant.now().plusSeconds(30), true);
            Job good = new Job(Instant.now().plusSeconds(30));
            batcher.submit(List.of(bad));
            batcher.submit(List.of(good));
            assertThatThrownBy(bad.done::join).cause().isInstanceOfSatisfying(VerifierException.class, e -> {
                assertThat(e.code()).isEqualTo(StatusCode.INTERNAL);
                assertThat(e.getMessage()).contains("boom");
            });
            assertThat(good.done.join()).isEqualTo(1);
        }
    }

    @Test
    void paddedBatchesKeepSimilarLengthsTogether() {
        List<Integer> lengths = List.of(10, 12, 11, 100, 9, 95);
        List<List<Integer>> groups = PaddedBatches.split(lengths, Integer::intValue, 0.5, 0);
        assertThat(groups).containsExactly(List.of(9, 10, 11, 12), List.of(95, 100));
        assertThat(PaddedBatches.split(lengths, Integer::intValue, 100.0, 0)).hasSize(1);
        assertThat(PaddedBatches.split(List.of(5, 5, 5), Integer::intValue, 0.0, 0)).hasSize(1);
        // a token bound cuts too; a row longer than the bound runs alone
        assertThat(PaddedBatches.split(List.of(10, 10, 10, 10, 10), Integer::intValue, 0.5, 25))
                .containsExactly(List.of(10, 10), List.of(10, 10), List.of(10));
        assertThat(PaddedBatches.split(List.of(30, 5), Integer::intValue, 100.0, 25))
                .containsExactly(List.of(5), List.of(30));
    }
}
