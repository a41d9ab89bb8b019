package io.ttsmesh.bench.mesh;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ttsmesh.search.SearchRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives {@code clients} concurrent clients against one {@link SearchPath} for a window: each a virtual thread
 * running one search after another. Searches started in the window run to their end (bounded by {@code drain}),
 * so every latency is complete; throughput counts those that ended inside the window.
 */
final class LoadDriver {

    /** The request of a client's {@code k}-th search; {@code seq} numbers every search of the run. */
    @FunctionalInterface
    interface Requests {
        SearchRequest next(int client, int k, long seq);
    }

    /** Pause of a client after a refused or failed call, so that a refusing mesh is not hammered in a busy loop. */
    private static final long BACKOFF_MS = 100;

    private LoadDriver() {
    }

    /** {@code jit} is the part of {@code cpu} spent compiling (0 where not measured). */
    static LoadRun run(SearchPath path, int clients, double seconds, Requests requests, CpuClock cpu, CpuClock jit,
                       Duration drain) throws InterruptedException {
        JitShare.Since used = JitShare.since(jit, cpu);
        long start = System.nanoTime();
        long windowEnd = start + (long) (seconds * 1e9);
        AtomicLong seq = new AtomicLong();
        ConcurrentLinkedQueue<long[]> done = new ConcurrentLinkedQueue<>(); // {end, latency}
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> threads = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            int client = i;
            threads.add(Thread.ofVirtual().name(path.name() + "-client-" + i).start(() -> {
                int k = 0;
                while (System.nanoTime() < windowEnd && !Thread.currentThread().isInterrupted()) {
                    SearchRequest r = requests.next(client, k++, seq.incrementAndGet());
                    try {
                        SearchOutcome o = path.solve(r);
                        if (o.failed()) {
                            failed.incrementAndGet();
                        } else {
                            done.add(new long[] {System.nanoTime(), o.wallNanos()});
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (StatusRuntimeException e) {
                        if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
                            rejected.incrementAndGet();
                        } else if (e.getStatus().getCode() == Status.Code.CANCELLED && Thread.currentThread().isInterrupted()) {
                            return;
                        } else {
                            failed.incrementAndGet();
                        }
                        pause();
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        pause();
                    }
                }
            }));
        }
        long drainUntil = windowEnd + drain.toNanos();
        for (Thread t : threads) {
            long left = drainUntil - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                t.interrupt();
            }
        }
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(30));
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        JitShare spent = used.now();
        double cpuSeconds = spent.cpuNanos() / 1e9;
        double jitSeconds = spent.compilerNanos() / 1e9;
        List<Long> latencies = new ArrayList<>();
        int inWindow = 0;
        for (long[] d : done) {
            latencies.add(d[1]);
            if (d[0] <= windowEnd) {
                inWindow++;
            }
        }
        return new LoadRun(clients, seconds, elapsed, inWindow, latencies.size(), rejected.get(), failed.get(),
                LatencyStats.ofNanos(latencies), cpuSeconds, jitSeconds);
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(BACKOFF_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
