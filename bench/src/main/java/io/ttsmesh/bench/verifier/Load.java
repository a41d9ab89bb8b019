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

    /** Callers that each send one full sample per call (round robin over all samples). */
    static VerifierBench.Point singles(ServiceProcess service, int callers, Workload work, double warmup,
                                       double seconds) throws Exception {
        AtomicLong next = new AtomicLong();
        return run(service, "single", callers, warmup, seconds, (stub, window) -> {
            while (window.open()) {
                Workload.Sample s = work.samples().get((int) (next.getAndIncrement() % work.samples().size()));
                ScoreRequest req = ScoreRequest.newBuilder().setRequestId("bench").setQuestion(s.question())
                        .addCandidates(Candidate.newBuilder().setId("s").addAllSteps(s.steps())).build();
                window.call(stub, req);
            }
        });
    }

    /** Callers that each extend a beam of 4 samples one step per call, then take the next beam. */
    static VerifierBench.Point beams(ServiceProcess service, int callers, Workload work, double warmup,
                                     double seconds) throws Exception {
        AtomicInteger next = new AtomicInteger();
        return run(service, "beam", callers, warmup, seconds, (stub, window) -> {
            while (window.open()) {
                int b = next.getAndIncrement();
                if (b >= work.beams().size()) {
                    window.exhausted();
                    return;
                }
                Workload.Beam beam = work.beams().get(b);
                for (int k = 1; k <= beam.steps() && window.open(); k++) {
                    ScoreRequest.Builder req = ScoreRequest.newBuilder().setRequestId("beam-" + b)
                            .setQuestion(beam.question());
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
        volatile long exhaustedAt;

        Window(long start, long end) {
            this.start = start;
            this.end = end;
        }

        boolean open() {
            return System.nanoTime() < end && exhaustedAt == 0;
        }

        void exhausted() {
            if (exhaustedAt == 0) {
                exhaustedAt = System.nanoTime();
            }
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

    private static VerifierBench.Point run(ServiceProcess service, String workload, int callers, double warmup,
                                           double seconds, Caller caller) throws Exception {
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
        ServiceProcess.Counters before = service.counters();
        for (Thread t : threads) {
            t.join();
        }
        ServiceProcess.Counters after = service.counters();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a caller failed: " + errors.peek(), errors.peek());
        }
        long endedAt = window.exhaustedAt != 0 ? Math.min(window.exhaustedAt, window.end) : window.end;
        double measured = (endedAt - start) / 1e9;
        if (window.exhaustedAt != 0) {
            System.out.printf("  (%s: the workload ran out after %.1f s of the window)%n", workload, measured);
        }
        List<Long> lat = new ArrayList<>(window.latencies);
        lat.sort(null);
        VerifierBench.Point p = new VerifierBench.Point(service.config, workload, callers, window.candidates.get(),
                measured, after.meanBatchSince(before), percentile(lat, 0.5), percentile(lat, 0.99),
                after.lookupsSince(before));
        System.out.printf("  %-14s %-6s callers %3d: %8.1f candidates/s, mean batch %5.1f, p50 %7.1f ms, p99 %7.1f ms%n",
                service.config.name(), workload, callers, p.rate(), p.meanBatch(), p.p50Ms(), p.p99Ms());
        return p;
    }

    private static double percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))) / 1e6;
    }
}
