package io.ttsmesh.bench.verifier;

import ai.onnxruntime.OrtException;
import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.verifier.batching.PaddedBatches;
import io.ttsmesh.verifier.prefix.KvSegment;
import io.ttsmesh.verifier.prm.CandidateEncoder;
import io.ttsmesh.verifier.prm.EncodedCandidate;
import io.ttsmesh.verifier.prm.PrmModel;
import io.ttsmesh.verifier.prm.ScoringConvention;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model alone allows on this machine, in this process, without gRPC or queues: milliseconds of
 * model time per candidate when candidates run in batches of 1, 8, 32 and 64 (the most micro-batching can
 * gain), and for the newest step of a candidate run on top of its cached past versus the whole candidate
 * (the most the prefix cache can gain). The cases take turns, so load drift hits all.
 * Besides wall time, the measuring thread's CPU time (ONNX Runtime with one intra-op thread computes on it): the
 * figure to hold against the services' CPU per candidate. One more case gathers 32 candidates and cuts them as the
 * service does ({@link PaddedBatches}: sorted by length, padding and tokens per run bounded).
 */
final class ModelCeiling {

    /**
     * @param sizes             candidates per run, in arrival order
     * @param msPerCandidate    wall ms per candidate, per size
     * @param cpuMsPerCandidate CPU ms per candidate, per size
     * @param cutMs             32 candidates cut as the service cuts them: wall ms per candidate
     * @param cutCpuMs          the same, CPU ms per candidate
     * @param cutRunSize        the same, mean candidates per run
     */
    record Result(int[] sizes, double[] msPerCandidate, double[] cpuMsPerCandidate, double cutMs, double cutCpuMs,
                  double cutRunSize, double fullMs, double pastMs) {
    }

    /**
     * Candidates per case per turn. A case runs as a block and the block's first run is not timed: it pays for the
     * caches the case before left (a run of 64 evicts what a run of 1 keeps warm), which a service running one case
     * all along does not pay.
     */
    private static final int BLOCK = 128;

    private ModelCeiling() {
    }

    private static PrmModel.Row whole(EncodedCandidate c) {
        return new PrmModel.Row(c.tokens(), 0, c.tokens().length, null, c.scorePositions(), new int[0]);
    }

    /**
     * @param maxPadding the service's {@code tts.verifier.batch.max-padding}, for the case cut as it cuts
     * @param maxTokens  its {@code tts.verifier.batch.max-tokens}
     */
    static Result measure(Path prmDir, Workload work, int intraOpThreads, double seconds, double maxPadding,
                          int maxTokens) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (PrmModel model = PrmModel.open(ModelDirectory.open(prmDir), ScoringConvention.load(ScoringConvention.BUNDLED),
                ExecutionProvider.CPU, intraOpThreads, 0)) {
            CandidateEncoder encoder = model.encoder();
            // every sample, as the services are sent them; the newest-step case needs two steps or more
            List<EncodedCandidate> candidates = new ArrayList<>();
            List<EncodedCandidate> multiStep = new ArrayList<>();
            for (Workload.Sample s : work.samples()) {
                EncodedCandidate c = encoder.encode(encoder.question(s.question()), s.steps());
                candidates.add(c);
                if (s.steps().size() >= 2) {
                    multiStep.add(c);
                }
            }
            int atMulti = 0;
            int[] sizes = {1, 8, 32, 64};
            TimedRuns[] bySize = new TimedRuns[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                bySize[i] = new TimedRuns(model, threads);
            }
            TimedRuns cut = new TimedRuns(model, threads);
            long fullNanos = 0;
            long pastNanos = 0;
            long pastRows = 0;
            int at = 0;
            long until = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < until) {
                for (int i = 0; i < sizes.length; i++) {
                    for (int done = 0; done < BLOCK; done += sizes[i]) {
                        List<PrmModel.Row> batch = new ArrayList<>();
                        for (int k = 0; k < sizes[i]; k++) {
                            batch.add(whole(candidates.get(at++ % candidates.size())));
                        }
                        bySize[i].run(batch, done > 0);
                    }
                }
                for (int done = 0; done < BLOCK; done += 32) {
                    List<PrmModel.Row> gathered = new ArrayList<>();
                    for (int k = 0; k < 32; k++) {
                        gathered.add(whole(candidates.get(at++ % candidates.size())));
                    }
                    for (List<PrmModel.Row> run : PaddedBatches.split(gathered, r -> r.to() - r.from(), maxPadding, maxTokens)) {
                        cut.run(run, done > 0);
                    }
                }
                // the newest step on its cached past vs the whole candidate, 32 at a time, cache bookkeeping aside
                List<PrmModel.Row> pasts = new ArrayList<>();
                List<PrmModel.Row> fulls = new ArrayList<>();
                for (int k = 0; k < 32; k++) {
                    EncodedCandidate c = multiStep.get(atMulti++ % multiStep.size());
                    int last = c.steps() - 1;
                    int boundary = c.boundary(last);
                    PrmModel.Output prefix = model.run(List.of(new PrmModel.Row(c.tokens(), 0, boundary, null,
                            new int[] {c.scorePositions()[last - 1]}, new int[] {boundary})));
                    KvSegment past = prefix.kv()[0][0];
                    int[] newest = {c.scorePositions()[last]};
                    pasts.add(new PrmModel.Row(c.tokens(), boundary, c.tokens().length, past, newest,
                            new int[] {c.tokens().length}));
                    fulls.add(new PrmModel.Row(c.tokens(), 0, c.tokens().length, null, newest, new int[0]));
                }
                long t0 = System.nanoTime();
                model.run(fulls);
                long t1 = System.nanoTime();
                model.run(pasts);
                long t2 = System.nanoTime();
                fullNanos += t1 - t0;
                pastNanos += t2 - t1;
                pastRows += 32;
            }
            double[] ms = new double[sizes.length];
            double[] cpuMs = new double[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                ms[i] = bySize[i].msPerRow();
                cpuMs[i] = bySize[i].cpuMsPerRow();
            }
            return new Result(sizes, ms, cpuMs, cut.msPerRow(), cut.cpuMsPerRow(), cut.rowsPerRun(),
                    fullNanos / 1e6 / pastRows, pastNanos / 1e6 / pastRows);
        }
    }

    /** Model runs of one case: wall and CPU time (the measuring thread's), rows and runs of those counted. */
    private static final class TimedRuns {
        private final PrmModel model;
        private final ThreadMXBean threads;
        private long nanos;
        private long cpuNanos;
        private long rows;
        private long runs;

        TimedRuns(PrmModel model, ThreadMXBean threads) {
            this.model = model;
            this.threads = threads;
        }

        /** Runs {@code batch}; its times count only when {@code counted}. */
        void run(List<PrmModel.Row> batch, boolean counted) throws OrtException {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            model.run(batch);
            if (counted) {
                nanos += System.nanoTime() - t0;
                cpuNanos += threads.getCurrentThreadCpuTime() - c0;
                rows += batch.size();
                runs++;
            }
        }

        double msPerRow() {
            return nanos / 1e6 / rows;
        }

        double cpuMsPerRow() {
            return cpuNanos / 1e6 / rows;
        }

        double rowsPerRun() {
            return (double) rows / runs;
        }
    }
}
