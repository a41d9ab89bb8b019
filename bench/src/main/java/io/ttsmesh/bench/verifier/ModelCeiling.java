package io.ttsmesh.bench.verifier;

import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.verifier.prefix.KvSegment;
import io.ttsmesh.verifier.prm.CandidateEncoder;
import io.ttsmesh.verifier.prm.EncodedCandidate;
import io.ttsmesh.verifier.prm.PrmModel;
import io.ttsmesh.verifier.prm.ScoringConvention;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the model alone allows on this machine, in this process, without gRPC or queues: milliseconds of
 * model time per candidate when candidates run in batches of 1, 8, 32 and 64 (the most micro-batching can
 * gain), and for the newest step of a candidate run on top of its cached past versus the whole candidate
 * (the most the prefix cache can gain). Batch sizes and the two modes take turns, so load drift hits all.
 */
final class ModelCeiling {

    record Result(int[] sizes, double[] msPerCandidate, double fullMs, double pastMs) {
    }

    private ModelCeiling() {
    }

    static Result measure(Path prmDir, Workload work, int intraOpThreads, double seconds) throws Exception {
        try (PrmModel model = PrmModel.open(ModelDirectory.open(prmDir), ScoringConvention.load(ScoringConvention.BUNDLED),
                ExecutionProvider.CPU, intraOpThreads, 0)) {
            CandidateEncoder encoder = model.encoder();
            List<EncodedCandidate> candidates = new ArrayList<>();
            for (Workload.Sample s : work.samples()) {
                if (s.steps().size() >= 2) {
                    candidates.add(encoder.encode(encoder.question(s.question()), s.steps()));
                }
            }
            int[] sizes = {1, 8, 32, 64};
            long[] nanos = new long[sizes.length];
            long[] rows = new long[sizes.length];
            long fullNanos = 0;
            long pastNanos = 0;
            long pastRows = 0;
            int at = 0;
            long until = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < until) {
                for (int i = 0; i < sizes.length; i++) {
                    List<PrmModel.Row> batch = new ArrayList<>();
                    for (int k = 0; k < sizes[i]; k++) {
                        EncodedCandidate c = candidates.get(at++ % candidates.size());
                        batch.add(new PrmModel.Row(c.tokens(), 0, c.tokens().length, null, c.scorePositions(),
                                new int[0]));
                    }
                    long t0 = System.nanoTime();
                    model.run(batch);
                    nanos[i] += System.nanoTime() - t0;
                    rows[i] += batch.size();
                }
                // the newest step on its cached past vs the whole candidate, 32 at a time, cache bookkeeping aside
                List<PrmModel.Row> pasts = new ArrayList<>();
                List<PrmModel.Row> fulls = new ArrayList<>();
                for (int k = 0; k < 32; k++) {
                    EncodedCandidate c = candidates.get(at++ % candidates.size());
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
            for (int i = 0; i < sizes.length; i++) {
                ms[i] = nanos[i] / 1e6 / rows[i];
            }
            return new Result(sizes, ms, fullNanos / 1e6 / pastRows, pastNanos / 1e6 / pastRows);
        }
    }
}
