package io.ttsmesh.verifier;

import io.ttsmesh.runtime.ExecutionProvider;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.verifier.batching.BatchSettings;
import io.ttsmesh.verifier.confidence.ConfidenceVerifier;
import io.ttsmesh.verifier.exact.ExactVerifier;
import io.ttsmesh.verifier.prefix.PrefixCache;
import io.ttsmesh.verifier.prm.OutcomeVerifier;
import io.ttsmesh.verifier.prm.PrmModel;
import io.ttsmesh.verifier.prm.PrmVerifier;
import io.ttsmesh.verifier.prm.ScoringConvention;
import io.ttsmesh.verifier.stack.VerifierStack;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The verifier as a library: the verifiers behind ScoreSteps, selected per request (one by name, or a stack
 * such as "rules+prm"), with the call-level checks (request id, question in its task's canonical form,
 * candidate count, verifier name, task). The gRPC service and the in-process adapter both sit on this.
 *
 * <p>Tasks come from a {@link TaskRegistry} (by default the task plug-ins on the class path); the engine never
 * knows a task's classes. The PRM, and with it orm and confidence, serves the one task it was trained for
 * ({@link Builder#task}); rules and oracle serve every task that has them.
 */
public final class VerifierEngine implements AutoCloseable {

    public static final String DEFAULT_VERIFIER = "prm";
    /** The stacks Describe lists unless configured otherwise. */
    public static final List<String> DEFAULT_STACKS = List.of("rules+prm", "rules+orm");

    private final Map<String, StepVerifier> verifiers;
    private final List<String> names;
    private final List<VerifierStack> stacks;
    private final PrmVerifier prm;
    private final TaskRegistry tasks;
    private final ModelTask task;
    private final Limits limits;
    private final ScoringMetrics metrics;

    private VerifierEngine(PrmVerifier prm, List<StepVerifier> others, List<String> stacks, TaskRegistry tasks,
                           ModelTask task, Limits limits, ScoringMetrics metrics) {
        this.prm = prm;
        this.tasks = tasks;
        this.task = task;
        this.limits = limits;
        this.metrics = metrics;
        Map<String, StepVerifier> map = new LinkedHashMap<>();
        map.put(prm.name(), prm);
        for (StepVerifier v : others) {
            if (VerifierStack.isStack(v.name())) {
                throw new IllegalArgumentException("verifier name '" + v.name() + "' holds '" + VerifierStack.SEPARATOR
                        + "', which writes stacks");
            }
            if (map.putIfAbsent(v.name(), v) != null) {
                throw new IllegalArgumentException("verifier '" + v.name() + "' is added twice");
            }
        }
        this.verifiers = Collections.unmodifiableMap(map);
        this.names = List.copyOf(map.keySet());
        List<VerifierStack> offered = new ArrayList<>();
        for (String s : stacks) {
            try {
                offered.add(VerifierStack.parse(s.strip(), verifiers, metrics));
            } catch (VerifierException e) {
                throw new IllegalArgumentException("stacks: " + e.getMessage(), e);
            }
        }
        this.stacks = List.copyOf(offered);
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
                : request.verifier().strip();
        StepVerifier verifier = verifier(name);
        Task requested;
        TaskQuestion question;
        try {
            requested = tasks.get(request.task());
            verifier.checkTask(requested);
            question = TaskQuestion.of(requested, request.question());
        } catch (InvalidQuestion e) {
            throw invalid(e.getMessage());
        } catch (IllegalArgumentException e) { // a task plug-in that refused without naming the field
            throw invalid("question: " + e.getMessage());
        }
        String metricName = verifier.name(); // the normalised name: "rules + prm" counts as rules+prm
        return verifier.score(question, request.candidates(), deadline).thenApply(results -> {
            int scored = 0;
            for (CandidateResult r : results) {
                if (r.ok()) {
                    scored++;
                } else {
                    metrics.rejected(metricName, r.code());
                }
            }
            metrics.scored(metricName, scored);
            return results;
        });
    }

    /** A verifier by name, or the stack a name writes. */
    private StepVerifier verifier(String name) {
        if (VerifierStack.isStack(name)) {
            for (VerifierStack s : stacks) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            return VerifierStack.parse(name, verifiers, metrics);
        }
        StepVerifier v = verifiers.get(name);
        if (v == null) {
            throw invalid("verifier '" + name + "' is unknown; known: " + String.join(", ", names)
                    + ", or a stack of them joined by '" + VerifierStack.SEPARATOR + "' (e.g. rules+prm)");
        }
        return v;
    }

    private static VerifierException invalid(String message) {
        return new VerifierException(StatusCode.INVALID_ARGUMENT, message);
    }

    /** The verifiers, then the stacks offered by default. */
    public List<VerifierInfo> describe() {
        List<VerifierInfo> out = new ArrayList<>();
        for (String name : names) {
            out.add(verifiers.get(name).info());
        }
        for (VerifierStack s : stacks) {
            out.add(s.info());
        }
        return out;
    }

    /** The single verifiers' names (any stack of them is accepted too). */
    public List<String> verifierNames() {
        return names;
    }

    /** The stacks Describe lists. */
    public List<String> stackNames() {
        return stacks.stream().map(VerifierStack::name).toList();
    }

    /** The task the PRM was trained for: the one prm, orm and confidence serve. */
    public String task() {
        return task.name();
    }

    /** The tasks this engine knows. */
    public TaskRegistry tasks() {
        return tasks;
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
        private String graphFile;
        private String convention = ScoringConvention.BUNDLED;
        private ExecutionProvider provider = ExecutionProvider.CPU;
        private int intraOpThreads;
        private int maxTokens;
        private BatchSettings batch = BatchSettings.DEFAULTS;
        private long cacheBytes = 256L << 20;
        private Limits limits = Limits.DEFAULTS;
        private ScoringMetrics metrics = ScoringMetrics.NONE;
        private String task = TaskRegistry.DEFAULT;
        private TaskRegistry tasks;
        private List<String> stacks = DEFAULT_STACKS;
        private final List<StepVerifier> extra = new ArrayList<>();

        /** The task the PRM was trained for ("arithmetic" unless set): prm, orm and confidence serve it only. */
        public Builder task(String name) {
            this.task = name;
            return this;
        }

        /** Where tasks are looked up; the plug-ins on the class path ({@link TaskRegistry#load()}) unless set. */
        public Builder tasks(TaskRegistry registry) {
            this.tasks = registry;
            return this;
        }

        /** The stacks Describe lists ({@link #DEFAULT_STACKS} unless set); requests may name any stack. */
        public Builder stacks(List<String> names) {
            this.stacks = List.copyOf(names);
            return this;
        }

        /** The PRM directory (Optimum layout: config.json, tokenizer.json, model.onnx). */
        public Builder modelDir(Path dir) {
            this.modelDir = dir;
            return this;
        }

        /** The PRM graph inside the model directory; null: model.onnx. */
        public Builder graphFile(String file) {
            this.graphFile = file;
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

        /** Another verifier to offer beside prm, orm, rules, oracle, exact and confidence. */
        public Builder add(StepVerifier verifier) {
            extra.add(verifier);
            return this;
        }

        public VerifierEngine build() {
            Objects.requireNonNull(modelDir, "modelDir");
            TaskRegistry registry = tasks != null ? tasks : TaskRegistry.load();
            if (task == null || !registry.contains(task)) {
                throw new IllegalArgumentException("task '" + task + "' (the PRM's task) is not registered; tasks on "
                        + "the class path: " + String.join(", ", registry.names()));
            }
            ModelTask modelTask = new ModelTask(task);
            PrmModel model = PrmModel.open(ModelDirectory.open(modelDir, graphFile), ScoringConvention.load(convention),
                    provider, intraOpThreads, maxTokens);
            PrmVerifier prm = null;
            try {
                PrefixCache cache = cacheBytes > 0 ? new PrefixCache(cacheBytes) : null;
                prm = new PrmVerifier(model, modelTask, cache, batch, limits, metrics);
                List<StepVerifier> others = new ArrayList<>();
                others.add(new OutcomeVerifier(prm));
                others.add(ExactVerifier.rules(registry, limits));
                others.add(ExactVerifier.oracle(registry, limits));
                others.add(ExactVerifier.exact(registry, limits));
                others.add(new ConfidenceVerifier(limits, modelTask));
                others.addAll(extra);
                return new VerifierEngine(prm, others, stacks, registry, modelTask, limits, metrics);
            } catch (RuntimeException e) {
                if (prm != null) {
                    prm.close();
                }
                model.close();
                throw e;
            }
        }
    }
}
