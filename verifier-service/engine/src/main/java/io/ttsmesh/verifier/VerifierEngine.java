package io.ttsmesh.verifier;

import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.verifier.batching.BatchSettings;
import io.ttsmesh.verifier.confidence.ConfidenceVerifier;
import io.ttsmesh.verifier.exact.ExactVerifier;
import io.ttsmesh.verifier.prefix.PrefixCache;
import io.ttsmesh.verifier.prm.OutcomeVerifier;
import io.ttsmesh.verifier.prm.PrmModel;
import io.ttsmesh.verifier.prm.PrmVerifier;
import io.ttsmesh.verifier.prm.ScoringConvention;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The verifier as a library: the verifiers behind ScoreSteps, selected per request, with the call-level
 * checks (request id, question, candidate count, verifier name). The gRPC service and the in-process
 * adapter both sit on this.
 */
public final class VerifierEngine implements AutoCloseable {

    public static final String DEFAULT_VERIFIER = "prm";

    private final Map<String, StepVerifier> verifiers;
    private final List<String> names;
    private final PrmVerifier prm;
    private final Limits limits;
    private final ScoringMetrics metrics;

    private VerifierEngine(PrmVerifier prm, List<StepVerifier> others, Limits limits, ScoringMetrics metrics) {
        this.prm = prm;
        this.limits = limits;
        this.metrics = metrics;
        Map<String, StepVerifier> map = new LinkedHashMap<>();
        map.put(prm.name(), prm);
        for (StepVerifier v : others) {
            map.put(v.name(), v);
        }
        this.verifiers = Map.copyOf(map);
        this.names = List.copyOf(map.keySet());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores one call. Results come in candidate order; a candidate that cannot be scored carries its own
     * error.
     *
     * @param deadline when the caller stops waiting; candidates still queued then are not run
     * @throws VerifierException INVALID_ARGUMENT for a malformed call, RESOURCE_EXHAUSTED when the queue is
     *                           full; the future fails with DEADLINE_EXCEEDED or UNAVAILABLE
     */
    public CompletableFuture<List<CandidateResult>> score(ScoringRequest request, Instant deadline) {
        if (deadline != null && Instant.now().isAfter(deadline)) {
            throw new VerifierException(StatusCode.DEADLINE_EXCEEDED, "the call's deadline passed before scoring began");
        }
        if (request.requestId() == null || request.requestId().isBlank()) {
            throw invalid("request_id is required");
        }
        if (request.question() == null || request.question().isBlank()) {
            throw invalid("question is required");
        }
        int n = request.candidates().size();
        if (n == 0) {
            throw invalid("candidates is empty: send 1 to " + limits.maxCandidates() + " candidates");
        }
        if (n > limits.maxCandidates()) {
            throw invalid("candidates: " + n + " given, at most " + limits.maxCandidates()
                    + " per call (tts.verifier.limits.max-candidates)");
        }
        String name = request.verifier() == null || request.verifier().isBlank() ? DEFAULT_VERIFIER
                : request.verifier();
        StepVerifier verifier = verifiers.get(name);
        if (verifier == null) {
            throw invalid("verifier '" + name + "' is unknown; known: " + String.join(", ", names));
        }
        return verifier.score(request.question(), request.candidates(), deadline).thenApply(results -> {
            int scored = 0;
            for (CandidateResult r : results) {
                if (r.ok()) {
                    scored++;
                } else {
                    metrics.rejected(name, r.code());
                }
            }
            metrics.scored(name, scored);
            return results;
        });
    }

    private static VerifierException invalid(String message) {
        return new VerifierException(StatusCode.INVALID_ARGUMENT, message);
    }

    public List<VerifierInfo> describe() {
        List<VerifierInfo> out = new ArrayList<>();
        for (String name : names) {
            out.add(verifiers.get(name).info());
        }
        return out;
    }

    public List<String> verifierNames() {
        return names;
    }

    public String modelId() {
        return prm.model().id();
    }

    /** Candidates waiting for a PRM run. */
    public int queued() {
        return prm.queued();
    }

    /** The prefix cache, or null when prefix reuse is off. */
    public PrefixCache cache() {
        return prm.cache();
    }

    @Override
    public void close() {
        prm.close();
        prm.model().close();
    }

    /** Builds an engine; only the model directory is required. */
    public static final class Builder {
        private Path modelDir;
        private String convention = ScoringConvention.BUNDLED;
        private ExecutionProvider provider = ExecutionProvider.CPU;
        private int intraOpThreads;
        private int maxTokens;
        private BatchSettings batch = BatchSettings.DEFAULTS;
        private long cacheBytes = 256L << 20;
        private Limits limits = Limits.DEFAULTS;
        private ScoringMetrics metrics = ScoringMetrics.NONE;
        private final List<StepVerifier> extra = new ArrayList<>();

        /** The PRM directory (Optimum layout: config.json, tokenizer.json, model.onnx). */
        public Builder modelDir(Path dir) {
            this.modelDir = dir;
            return this;
        }

        /** A built-in convention name ({@link ScoringConvention#BUILT_IN}) or a .properties path. */
        public Builder convention(String nameOrPath) {
            this.convention = nameOrPath;
            return this;
        }

        public Builder executionProvider(ExecutionProvider provider) {
            this.provider = provider;
            return this;
        }

        /** Threads one operator may use; 0 lets ONNX Runtime decide. */
        public Builder intraOpThreads(int threads) {
            this.intraOpThreads = threads;
            return this;
        }

        /** Longest candidate accepted, in tokens; 0 = the model's context. */
        public Builder maxTokens(int tokens) {
            this.maxTokens = tokens;
            return this;
        }

        public Builder batch(BatchSettings settings) {
            this.batch = settings;
            return this;
        }

        /** Bytes the prefix cache may hold; 0 turns prefix reuse off. */
        public Builder cacheBytes(long bytes) {
            this.cacheBytes = bytes;
            return this;
        }

        public Builder limits(Limits limits) {
            this.limits = limits;
            return this;
        }

        public Builder metrics(ScoringMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** Another verifier to offer beside prm, orm, exact and confidence (e.g. a checker of another task). */
        public Builder add(StepVerifier verifier) {
            extra.add(verifier);
            return this;
        }

        public VerifierEngine build() {
            Objects.requireNonNull(modelDir, "modelDir");
            PrmModel model = PrmModel.open(ModelDirectory.open(modelDir), ScoringConvention.load(convention),
                    provider, intraOpThreads, maxTokens);
            try {
                PrefixCache cache = cacheBytes > 0 ? new PrefixCache(cacheBytes) : null;
                PrmVerifier prm = new PrmVerifier(model, cache, batch, limits, metrics);
                List<StepVerifier> others = new ArrayList<>();
                others.add(new OutcomeVerifier(prm));
                others.add(new ExactVerifier(limits));
                others.add(new ConfidenceVerifier(limits));
                others.addAll(extra);
                return new VerifierEngine(prm, others, limits, metrics);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
    }
}
