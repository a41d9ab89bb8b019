package io.ttsmesh.orchestrator.admission;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.ttsmesh.orchestrator.api.SolveRequests;
import io.ttsmesh.orchestrator.solving.SearchService;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Overload: closed-loop clients at 4x the configured capacity (max-concurrent + max-queued; 4 + 2 in the test
 * profile) against slow pods. Excess requests get 429 at once, admitted ones all answer, and afterwards the
 * service is idle again and answers a new request. Duration: {@code -Dttsmesh.overload.seconds} (5 in CI; the
 * 60 s check: {@code ./mvnw -B -q -pl orchestrator-service/app -am verify -Dtest=OverloadTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dttsmesh.overload.seconds=60}). Figures are printed and written to
 * target/overload.json.
 */
@QuarkusTest
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class OverloadTest {

    private static final int SECONDS = Integer.getInteger("ttsmesh.overload.seconds", 5);

    @TestHTTPResource("/v1/solve")
    URL solve;

    @Inject
    SearchService searches;

    @AfterEach
    void fastPods() {
        ScriptedMeshResource.generatorA.stepDelayMs(0);
        ScriptedMeshResource.generatorB.stepDelayMs(0);
    }

    @Test
    void atFourTimesCapacityExcessIsRefusedAtOnceAdmittedAnswerAndTheServiceRecovers() throws Exception {
        ScriptedMeshResource.generatorA.stepDelayMs(40);
        ScriptedMeshResource.generatorB.stepDelayMs(40);
        int capacity = searches.admission().maxConcurrent() + 2; // max-queued=2 in the test profile
        int clients = 4 * capacity;
        HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        ConcurrentLinkedQueue<Long> admittedNanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> rejectedNanos = new ConcurrentLinkedQueue<>();
        AtomicInteger wrong = new AtomicInteger();
        AtomicLong peakRss = new AtomicLong(rssKb());
        AtomicInteger seq = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    String body = SolveRequests.bestOfNJson("ov-" + seq.incrementAndGet(), "3+4", 2);
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(solve.toString()))
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - t0;
                        if (r.statusCode() == 200 && r.body().contains("\"answer\":\"7\"")) {
                            admittedNanos.add(took);
                        } else if (r.statusCode() == 429 && r.headers().firstValue("Retry-After").isPresent()) {
                            rejectedNanos.add(took);
                            // A client backing off until the orchestrator has room again (a condition, not a fixed pause).
                            await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(5))
                                    .until(() -> searches.admission().running() + searches.admission().queued() < capacity);
                        } else {
                            wrong.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        wrong.incrementAndGet();
                    }
                    peakRss.accumulateAndGet(rssKb(), Math::max);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(SECONDS + 60));
        }

        List<Long> admitted = sorted(admittedNanos);
        List<Long> rejected = sorted(rejectedNanos);
        String figures = String.format(Locale.ROOT,
                "{\"seconds\": %d, \"clients\": %d, \"capacity\": %d, \"admitted\": %d, \"rejected\": %d, \"errors\": %d,"
                        + " \"admitted_p50_ms\": %.1f, \"admitted_p99_ms\": %.1f, \"rejected_p50_ms\": %.1f, \"rejected_p99_ms\": %.1f,"
                        + " \"rejected_max_ms\": %.1f, \"peak_rss_mb\": %.0f}",
                SECONDS, clients, capacity, admitted.size(), rejected.size(), wrong.get(),
                ms(pct(admitted, 50)), ms(pct(admitted, 99)), ms(pct(rejected, 50)), ms(pct(rejected, 99)),
                ms(pct(rejected, 100)), peakRss.get() / 1024.0);
        System.out.println("overload: " + figures);
        Files.writeString(Path.of("target", "overload.json"), figures + "\n");

        assertThat(wrong.get()).as(figures).isZero();
        assertThat(admitted).as(figures).isNotEmpty();
        assertThat(rejected).as(figures).isNotEmpty();
        // Refused at once, not after a wait for a slot: far quicker than an admitted search, and never near a
        // search's deadline (20 s). An absolute bound (< 100 ms) holds on an idle machine (see
        // bench/results/overload.md) but not on a CI machine shared by several builds.
        assertThat(pct(rejected, 50)).as(figures).isLessThan(pct(admitted, 50) / 2);
        assertThat(ms(pct(rejected, 100))).as(figures).isLessThan(5000);
        // Recovers by itself: idle again, and a new request answers.
        await().atMost(10, TimeUnit.SECONDS).until(() -> searches.admission().running() == 0 && searches.admission().queued() == 0);
        HttpResponse<String> after = http.send(HttpRequest.newBuilder(URI.create(solve.toString()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(SolveRequests.bestOfNJson("ov-after", "3+4", 2))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(after.statusCode()).isEqualTo(200);
    }

    private static List<Long> sorted(ConcurrentLinkedQueue<Long> values) {
        List<Long> list = new ArrayList<>(values);
        Collections.sort(list);
        return list;
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Resident set size of this JVM (Linux), in KiB; 0 elsewhere. */
    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
