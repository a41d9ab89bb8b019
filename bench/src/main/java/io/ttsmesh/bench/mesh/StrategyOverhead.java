package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.MethodSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * One strategy's searches both ways, paired by question and seed. Wall times are those of the pairs where
 * both searches succeeded.
 *
 * @param sameAnswer    pairs (both succeeded) with the same answer
 * @param sameSearch    pairs with the same answer, chosen steps, generated tokens, verifier calls and stop reason
 * @param compared      pairs where both searches succeeded
 * @param differences   a few pairs that differed or failed, described, for the reader
 */
record StrategyOverhead(MethodSpec spec, List<Long> meshNanos, List<Long> inProcessNanos, int compared, int sameAnswer,
                        int sameSearch, int meshFailures, int inProcessFailures, List<String> differences) {

    /** Differences described at most per strategy. */
    static final int MAX_DIFFERENCES = 3;

    LatencyStats mesh() {
        return LatencyStats.ofNanos(meshNanos);
    }

    LatencyStats inProcess() {
        return LatencyStats.ofNanos(inProcessNanos);
    }

    /** Mean wall time through the mesh over mean wall time in-process. */
    double meanRatio() {
        return LatencyStats.ratio(mesh().meanMs(), inProcess().meanMs());
    }

    double p50Ratio() {
        return LatencyStats.ratio(mesh().p50Ms(), inProcess().p50Ms());
    }

    /** Collects the pairs of one strategy as they are measured. */
    static final class Tally {
        private final MethodSpec spec;
        private final List<Long> mesh = new ArrayList<>();
        private final List<Long> inProcess = new ArrayList<>();
        private final List<String> differences = new ArrayList<>();
        private int compared;
        private int sameAnswer;
        private int sameSearch;
        private int meshFailures;
        private int inProcessFailures;

        Tally(MethodSpec spec) {
            this.spec = spec;
        }

        MethodSpec spec() {
            return spec;
        }

        void add(String questionId, SearchOutcome viaMesh, SearchOutcome viaLibrary) {
            if (viaMesh.failed()) {
                meshFailures++;
            }
            if (viaLibrary.failed()) {
                inProcessFailures++;
            }
            if (viaMesh.failed() || viaLibrary.failed()) {
                if (differences.size() < MAX_DIFFERENCES) {
                    differences.add(questionId + ": failed: mesh " + failure(viaMesh) + "; in-process " + failure(viaLibrary));
                }
                return; // a failed search's time says nothing about the path's cost: the pair is left out
            }
            mesh.add(viaMesh.wallNanos());
            inProcess.add(viaLibrary.wallNanos());
            compared++;
            if (java.util.Objects.equals(viaMesh.answer(), viaLibrary.answer())) {
                sameAnswer++;
            }
            if (viaMesh.sameSearchAs(viaLibrary)) {
                sameSearch++;
            } else if (differences.size() < MAX_DIFFERENCES) {
                differences.add(questionId + ": mesh " + describe(viaMesh) + " vs in-process " + describe(viaLibrary));
            }
        }

        private static String describe(SearchOutcome o) {
            return "answer " + o.answer() + ", " + o.generatedTokens() + " tokens, " + o.verifierCalls() + " verifier calls, "
                    + o.steps().size() + " steps, " + o.stopReason();
        }

        private static String failure(SearchOutcome o) {
            return o.failed() ? o.errorCode() + " (" + o.stopDetail() + ")" : "succeeded";
        }

        StrategyOverhead result() {
            return new StrategyOverhead(spec, List.copyOf(mesh), List.copyOf(inProcess), compared, sameAnswer, sameSearch,
                    meshFailures, inProcessFailures, List.copyOf(differences));
        }
    }
}
