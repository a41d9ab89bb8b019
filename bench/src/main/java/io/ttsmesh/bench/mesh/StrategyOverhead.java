package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.MethodSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * One strategy's searches both ways, paired by question and seed. Wall times are those of the pairs where
 * both searches succeeded.
 *
 * @param sameAnswer    pairs (both succeeded) with the same answer
 * @param sameSearch    pairs with the same answer, chosen steps, generated tokens, verifier calls and stop reason
 * @param compared      pairs where both searches succeeded
 * @param differences   a few pairs that differed or failed, described, for the reader
 * @param roundTrips    per compared pair, the mesh search's round trips as the services counted them; empty where
 *                      they were not counted (searches that overlapped)
 * @param timed         the compared pairs whose service times were read on both paths, with their wall times, so
 *                      that the overhead's split compares means over one set of searches
 */
record StrategyOverhead(MethodSpec spec, List<Long> meshNanos, List<Long> inProcessNanos, int compared, int sameAnswer,
                        int sameSearch, int meshFailures, int inProcessFailures, List<String> differences,
                        List<RoundTrips> roundTrips, List<TimedPair> timed) {

    /**
     * One pair's wall times and the times its parts measured: the mesh search's as the services measured them, the
     * in-process search's model time.
     */
    record TimedPair(long meshNanos, long inProcessNanos, ServiceTime meshTime, ServiceTime inProcessTime) {
    }

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

    /**
     * The 95% interval of {@link #meanRatio()} over the compared pairs resampled ({@link PairedBootstrap}): a goal inside
     * it is neither met nor missed beyond what other questions could change.
     */
    PairedBootstrap.Interval meanRatioInterval() {
        return PairedBootstrap.ratioOfMeans(meshNanos, inProcessNanos, 0.95);
    }

    double p50Ratio() {
        return LatencyStats.ratio(mesh().p50Ms(), inProcess().p50Ms());
    }

    /** Mean round trips per mesh search; NaN each where none were counted. */
    RoundTrips meanRoundTrips() {
        return RoundTrips.mean(roundTrips);
    }

    /**
     * What one sequential round trip adds to a search: the difference of the mean wall times over the mean
     * sequential round trips (awaited generator commands + verifier requests) of a mesh search.
     */
    double msPerRoundTrip() {
        double trips = meanRoundTrips().sequential();
        return trips > 0 ? (mesh().meanMs() - inProcess().meanMs()) / trips : Double.NaN;
    }

    /** Mean service times per mesh search; NaN each where none were read. */
    ServiceTime meanMeshTime() {
        return ServiceTime.mean(timed.stream().map(TimedPair::meshTime).toList());
    }

    /** Mean model time per in-process search, over the same pairs as {@link #meanMeshTime()}. */
    ServiceTime meanInProcessTime() {
        return ServiceTime.mean(timed.stream().map(TimedPair::inProcessTime).toList());
    }

    /**
     * The mesh's overhead over the pairs whose service times were read: what {@link #msAtTheSolveEdge()},
     * {@link #msInTheModels()} and {@link #msInTheDataPlane()} split, and sum to. NaN where none were read.
     */
    double msOverheadOfTimedPairs() {
        return timedMeanMs(TimedPair::meshNanos) - timedMeanMs(TimedPair::inProcessNanos);
    }

    /**
     * What the Solve call adds around the orchestrator's own search: the client's wall time less the
     * orchestrator's search duration (request and result over gRPC, mapping, admission). NaN where not read.
     */
    double msAtTheSolveEdge() {
        return timedMeanMs(TimedPair::meshNanos) - meanMeshTime().searchMs();
    }

    /**
     * The rest of the mesh overhead: the orchestrator's search less the in-process one, less what the models
     * took longer in the services. What the data plane (the generator and verifier round trips, the processes
     * and their hand-offs) costs. NaN where not read.
     */
    double msInTheDataPlane() {
        return meanMeshTime().searchMs() - timedMeanMs(TimedPair::inProcessNanos) - msInTheModels();
    }

    private double timedMeanMs(ToLongFunction<TimedPair> nanos) {
        return timed.isEmpty() ? Double.NaN : LatencyStats.ofNanos(timed.stream().map(nanos::applyAsLong).toList()).meanMs();
    }

    /** How much longer the models took in the services than in-process. NaN where not read. */
    double msInTheModels() {
        return meanMeshTime().modelMs() - meanInProcessTime().modelMs();
    }

    /** Collects the pairs of one strategy as they are measured. */
    static final class Tally {
        private final MethodSpec spec;
        private final List<Long> mesh = new ArrayList<>();
        private final List<Long> inProcess = new ArrayList<>();
        private final List<String> differences = new ArrayList<>();
        private final List<RoundTrips> roundTrips = new ArrayList<>();
        private final List<TimedPair> timed = new ArrayList<>();
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
            add(questionId, viaMesh, viaLibrary, null);
        }

        /** @param meshRoundTrips the mesh search's round trips, or null where they were not counted */
        void add(String questionId, SearchOutcome viaMesh, SearchOutcome viaLibrary, RoundTrips meshRoundTrips) {
            add(questionId, viaMesh, viaLibrary, meshRoundTrips, null, null);
        }

        /**
         * @param meshRoundTrips the mesh search's round trips, or null where they were not counted
         * @param meshTime       the mesh search's service times, or null where they were not read
         * @param inProcessTime  the in-process search's model time, or null where it was not read
         */
        void add(String questionId, SearchOutcome viaMesh, SearchOutcome viaLibrary, RoundTrips meshRoundTrips,
                 ServiceTime meshTime, ServiceTime inProcessTime) {
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
            if (meshRoundTrips != null) {
                roundTrips.add(meshRoundTrips);
            }
            if (meshTime != null && inProcessTime != null) {
                timed.add(new TimedPair(viaMesh.wallNanos(), viaLibrary.wallNanos(), meshTime, inProcessTime));
            }
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
                    meshFailures, inProcessFailures, List.copyOf(differences), List.copyOf(roundTrips),
                    List.copyOf(timed));
        }
    }
}
