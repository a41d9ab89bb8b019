package io.ttsmesh.bench.verifier;

import io.ttsmesh.proto.verifier.Candidate;
import io.ttsmesh.proto.verifier.CandidateScores;
import io.ttsmesh.proto.verifier.ScoreRequest;
import io.ttsmesh.proto.verifier.ScoreResponse;
import io.ttsmesh.proto.verifier.VerifierGrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Concurrent callers on virtual threads, each with blocking ScoreSteps calls. Candidates are counted when
 * their call completes inside the measured window (after the warm-up), so throughput is completions per
 * second in steady state.
 */
final class Load {

    private Load() {
    }

    /** What one measured window saw. */
    record Measurement(long candidates, double seconds, List<Long> latencies, VerifierUnderTest.Counters before,
                       VerifierUnderTest.Counters after) {
    }

    /** Callers that each send one full sample per call (round robin over all samples). */
    static Measurement singles(VerifierUnderTest service, int callers, Workload work, double warmup,
                                       double seconds) throws Exception {
        AtomicLong next = new AtomicLong();
        return run(service, callers, warmup, seconds, (stub, window) -> {
            while (window.open()) {
                Workload.Sample s = work.samples().get((int) (next.getAndIncrement() % work.samples().size()));
                ScoreRequest req = ScoreRequest.newBuilder().setRequestId("bench").setQuestion(s.question())
                        .addCandidates(Candidate.newBuilder().setId("s").addAllSteps(s.steps())).build();
                window.call(stub, req);
            }
        });
    }

    /**
     * Callers that each extend a beam of 4 samples one step per call, then take the next beam. Beams are
     * numbered across all windows sent to one service ({@code next}): when the samples are used up they come
     * round again with their question wrapped in one more pair of parentheses, so that no call repeats a
     * prefix the service has seen (a repeat would be a free cache hit).
     */
    static Measurement beams(VerifierUnderTest service, int callers, Workload work, AtomicInteger next, double warmup,
                             double seconds) throws Exception {
        return run(service, callers, warmup, seconds, (stub, window) -> {
            while (window.open()) {
                int b = next.getAndIncrement();
                Workload.Beam beam = work.beams().get(b % work.beams().size());
                int round = b / work.beams().size();
                String question = "(".repeat(round) + beam.question() + ")".repeat(round);
                for (int k = 1; k <= beam.steps() && window.open(); k++) {
                    ScoreRequest.Builder req = ScoreRequest.newBuilder().setRequestId("beam-" + b).setQuestion(question);
                    for (int i = 0; i < beam.samples().size(); i++) {
                        List<String> steps = beam.samples().get(i);
                        if (steps.size() >= k) {
                            req.addCandidates(Candidate.newBuilder().setId("b" + i)
                                    .addAllSteps(steps.subList(0, k)).setLastStepOnly(true));
                        }
                    }
                    window.call(stub, req.build());
                }
            }
        });
    }

    interface Caller {
        void run(VerifierGrpc.VerifierBlockingStub stub, Window window) throws Exception;
    }

    /** The measured window and what completed in it. */
    static final class Window {
        final long start;
        final long end;
        final AtomicLong candidates = new AtomicLong();
        final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();

        Window(long start, long end) {
            this.start = start;
            this.end = end;
        }

        boolean open() {
            return System.nanoTime() < end;
        }

        void call(VerifierGrpc.VerifierBlockingStub stub, ScoreRequest req) {
            long t0 = System.nanoTime();
            ScoreResponse resp = stub.withDeadlineAfter(120, TimeUnit.SECONDS).scoreSteps(req);
            long t1 = System.nanoTime();
            for (CandidateScores r : resp.getResultsList()) {
                if (r.getErrorCode() != 0) {
                    throw new IllegalStateException("candidate rejected: " + r.getErrorMessage());
                }
            }
            if (t1 >= start && t1 <= end) {
                candidates.addAndGet(resp.getResultsCount());
                latencies.add(t1 - t0);
            }
        }
    }

    private static Measurement run(VerifierUnderTest service, int callers, double warmup, double seconds, Caller caller)
            throws Exception {
        long t0 = System.nanoTime();
        long start = t0 + (long) (warmup * 1e9);
        Window window = new Window(start, start + (long) (seconds * 1e9));
        List<Thread> threads = new ArrayList<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < callers; i++) {
            VerifierGrpc.VerifierBlockingStub stub = service.stub();
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    caller.run(stub, window);
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        TimeUnit.NANOSECONDS.sleep(Math.max(0, start - System.nanoTime()));
        VerifierUnderTest.Counters before = service.counters();
        // counters and CPU time are read at the window's edges, like the completions are counted
        TimeUnit.NANOSECONDS.sleep(Math.max(0, window.end - System.nanoTime()));
        VerifierUnderTest.Counters after = service.counters();
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a caller failed: " + errors.peek(), errors.peek());
        }
        double measured = (window.end - start) / 1e9;
        return new Measurement(window.candidates.get(), measured, new ArrayList<>(window.latencies), before, after);
    }

    /** Several windows of one configuration as one point. */
    static VerifierBench.Point merge(VerifierBench.ServiceConfig config, String workload, int callers,
                                     List<Measurement> windows) {
        long candidates = 0;
        double seconds = 0;
        double batchSum = 0;
        double batchCount = 0;
        double full = 0;
        double prefix = 0;
        double miss = 0;
        long cpu = 0;
        List<Long> lat = new ArrayList<>();
        for (Measurement m : windows) {
            candidates += m.candidates();
            seconds += m.seconds();
            batchSum += m.after().batchSum() - m.before().batchSum();
            batchCount += m.after().batchCount() - m.before().batchCount();
            full += m.after().full() - m.before().full();
            prefix += m.after().prefix() - m.before().prefix();
            miss += m.after().miss() - m.before().miss();
            cpu += m.after().cpuNanos() - m.before().cpuNanos();
            lat.addAll(m.latencies());
        }
        lat.sort(null);
        VerifierBench.Point p = new VerifierBench.Point(config, workload, callers, candidates, seconds,
                batchCount == 0 ? 0 : batchSum / batchCount, percentile(lat, 0.5), percentile(lat, 0.99),
                String.format("%.0f/%.0f/%.0f", full, prefix, miss), candidates == 0 ? Double.NaN : cpu / 1e6 / candidates);
        System.out.printf("  %-14s %-6s callers %3d: %8.1f candidates/s, %6.2f CPU ms/candidate, mean batch %5.1f, "
                        + "p50 %7.1f ms, p99 %7.1f ms%n", config.name(), workload, callers, p.rate(), p.cpuMsPerCandidate(),
                p.meanBatch(), p.p50Ms(), p.p99Ms());
        return p;
    }

    private static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))) / 1e6;
    }
}
