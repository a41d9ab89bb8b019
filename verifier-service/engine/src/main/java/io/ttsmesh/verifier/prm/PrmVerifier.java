package io.ttsmesh.verifier.prm;

import io.ttsmesh.task.Task;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.ModelTask;
import io.ttsmesh.verifier.ScoringMetrics;
import io.ttsmesh.verifier.ScoringMetrics.CacheOutcome;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.StepVerifier;
import io.ttsmesh.verifier.TaskQuestion;
import io.ttsmesh.verifier.VerifierException;
import io.ttsmesh.verifier.VerifierInfo;
import io.ttsmesh.verifier.batching.BatchSettings;
import io.ttsmesh.verifier.batching.MicroBatcher;
import io.ttsmesh.verifier.batching.PaddedBatches;
import io.ttsmesh.verifier.prefix.KvSegment;
import io.ttsmesh.verifier.prefix.PrefixCache;
import io.ttsmesh.verifier.prefix.PrefixHash;
import io.ttsmesh.verifier.prefix.PrefixState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The {@code prm} verifier: step scores from a process reward model, micro-batched across callers, with
 * prefix reuse.
 *
 * <p>Prefix reuse, and why two ways. The bundled PRM is exported with a KV past and is step-causal: the
 * keys and values of a prefix that ends at a step boundary do not depend on what follows. So the state
 * worth keeping after scoring a candidate is its KV through its last step (plus its step scores): a
 * search that then asks for one more step (beam search, particle filtering, every strategy that extends
 * branches) runs only that step's tokens on top of the cached past, instead of the whole question and
 * solution again. The question's own KV is kept too, so the N first steps of a question share it.
 * Public PRM exports take no past (plain {@code input_ids}/{@code attention_mask} -> {@code logits}); for
 * them nothing short of the whole sequence can produce a new score, so the cache keeps only the scores of
 * prefixes already seen, which answers repeated questions about the same prefix without a model run.
 * States are keyed by the hash of the exact token prefix and verified token by token; the cache is an LRU
 * bounded in bytes ({@link PrefixCache}).
 */
public final class PrmVerifier implements StepVerifier, AutoCloseable {

    private final PrmModel model;
    private final ModelTask task;
    private final PrefixCache cache;
    private final Limits limits;
    private final ScoringMetrics metrics;
    private final MicroBatcher<ScoringJob> batcher;
    private final double maxPadding;
    private final int maxTokens;

    /**
     * @param task  the task the model was trained for: it scores that task's questions only
     * @param cache null turns prefix reuse off
     */
    public PrmVerifier(PrmModel model, ModelTask task, PrefixCache cache, BatchSettings batch, Limits limits,
                       ScoringMetrics metrics) {
        if (limits.maxCandidates() > batch.queueCapacity()) {
            throw new IllegalArgumentException("max-candidates (" + limits.maxCandidates() + ") exceeds the queue "
                    + "capacity (" + batch.queueCapacity() + "): such a call could never be queued");
        }
        this.model = model;
        this.task = task;
        this.cache = cache;
        this.limits = limits;
        this.metrics = metrics;
        this.maxPadding = batch.maxPadding();
        this.maxTokens = batch.maxTokens();
        this.batcher = new MicroBatcher<>("prm", batch, this::run, metrics);
    }

    @Override
    public String name() {
        return "prm";
    }

    @Override
    public VerifierInfo info() {
        return new VerifierInfo(name(), "process reward model: one score per step, the probability that the step "
                + "and all before it are correct", model.id(), model.contextLength(), limits.maxCandidates(),
                limits.maxSteps(), List.of(task.name()));
    }

    @Override
    public void checkTask(Task requested) {
        task.require(requested, name());
    }

    public PrmModel model() {
        return model;
    }

    /** Candidates waiting for a model run. */
    public int queued() {
        return batcher.queued();
    }

    public PrefixCache cache() {
        return cache;
    }

    @Override
    public CompletableFuture<List<CandidateResult>> score(TaskQuestion question, List<CandidateInput> candidates,
                                                          Instant deadline) {
        checkTask(question.task());
        CandidateEncoder encoder = model.encoder();
        CandidateEncoder.QuestionPrefix prefix = encoder.question(question.text());
        CandidateResult[] results = new CandidateResult[candidates.size()];
        List<ScoringJob> jobs = new ArrayList<>();
        int[] jobOf = new int[candidates.size()];
        Arrays.fill(jobOf, -1);
        for (int i = 0; i < candidates.size(); i++) {
            CandidateInput c = candidates.get(i);
            String field = "candidates[" + i + "] (id '" + c.id() + "')";
            if (c.steps().isEmpty()) {
                results[i] = CandidateResult.rejected(c.id(), StatusCode.INVALID_ARGUMENT, field
                        + ": steps is empty, nothing to score");
                continue;
            }
            if (c.steps().size() > limits.maxSteps()) {
                results[i] = CandidateResult.rejected(c.id(), StatusCode.INVALID_ARGUMENT, field + ": "
                        + c.steps().size() + " steps, at most " + limits.maxSteps() + " (tts.verifier.limits.max-steps)");
                continue;
            }
            EncodedCandidate encoded;
            try {
                encoded = encoder.encode(prefix, c.steps());
            } catch (CandidateEncoder.CandidateRejection e) {
                results[i] = CandidateResult.rejected(c.id(), StatusCode.INVALID_ARGUMENT, field + ": " + e.getMessage());
                continue;
            }
            long[] hashes = cache == null ? null : PrefixHash.ofPrefixes(encoded.tokens(), boundaries(encoded));
            PrefixState done = cache == null ? null
                    : cache.get(model.id(), hashes[encoded.steps()], encoded.tokens(), encoded.tokens().length);
            if (done != null) {
                metrics.cache(CacheOutcome.FULL, encoded.tokens().length);
                results[i] = CandidateResult.scored(c.id(), select(done.scores(), c.lastStepOnly()));
                continue;
            }
            jobOf[i] = jobs.size();
            jobs.add(new ScoringJob(encoded, hashes, deadline));
        }
        if (jobs.isEmpty()) {
            return CompletableFuture.completedFuture(List.of(results));
        }
        batcher.submit(jobs);
        return CompletableFuture.allOf(jobs.stream().map(j -> j.scores).toArray(CompletableFuture[]::new))
                .handle((ignored, error) -> {
                    for (int i = 0; i < results.length; i++) {
                        if (jobOf[i] < 0) {
                            continue;
                        }
                        CandidateInput c = candidates.get(i);
                        CompletableFuture<float[]> f = jobs.get(jobOf[i]).scores;
                        if (!f.isCompletedExceptionally()) {
                            results[i] = CandidateResult.scored(c.id(), select(f.join(), c.lastStepOnly()));
                            continue;
                        }
                        VerifierException e = cause(f);
                        if (e.code() == StatusCode.DEADLINE_EXCEEDED || e.code() == StatusCode.UNAVAILABLE) {
                            throw e; // the call as a whole is over
                        }
                        results[i] = CandidateResult.rejected(c.id(), e.code(), e.getMessage());
                    }
                    return List.of(results);
                });
    }

    private static VerifierException cause(CompletableFuture<float[]> f) {
        try {
            f.join();
            throw new IllegalStateException("not failed");
        } catch (CompletionException e) {
            return e.getCause() instanceof VerifierException v ? v
                    : new VerifierException(StatusCode.INTERNAL, String.valueOf(e.getCause()), e.getCause());
        }
    }

    private static float[] select(float[] all, boolean lastOnly) {
        return lastOnly ? new float[] {all[all.length - 1]} : all.clone();
    }

    private static int[] boundaries(EncodedCandidate c) {
        int[] b = new int[c.steps() + 1];
        for (int j = 0; j <= c.steps(); j++) {
            b[j] = c.boundary(j);
        }
        return b;
    }

    /** The batcher's runner: prefix lookups, sub-batches of similar length, model runs, answers. */
    private void run(List<ScoringJob> batch) throws Exception {
        for (ScoringJob job : batch) {
            findPast(job);
        }
        for (List<ScoringJob> group : PaddedBatches.split(batch, ScoringJob::newTokens, maxPadding, maxTokens)) {
            runGroup(group);
        }
    }

    /** The longest cached prefix that ends at a step boundary before the last step and carries a KV past. */
    private void findPast(ScoringJob job) {
        if (cache == null) {
            return;
        }
        EncodedCandidate c = job.candidate;
        if (model.hasPast()) {
            for (int j = c.steps() - 1; j >= 0; j--) {
                int end = c.boundary(j);
                if (end <= 0) {
                    continue;
                }
                PrefixState s = cache.get(model.id(), job.prefixHashes[j], c.tokens(), end);
                if (s != null && s.hasKv()) {
                    job.startStep = j;
                    job.past = s;
                    metrics.cache(CacheOutcome.PREFIX, end);
                    return;
                }
            }
        }
        metrics.cache(CacheOutcome.MISS, 0);
    }

    private void runGroup(List<ScoringJob> group) throws Exception {
        boolean keepKv = cache != null && model.hasPast();
        List<PrmModel.Row> rows = new ArrayList<>(group.size());
        long real = 0;
        int longest = 0;
        for (ScoringJob job : group) {
            EncodedCandidate c = job.candidate;
            int[] readAt = Arrays.copyOfRange(c.scorePositions(), job.startStep, c.steps());
            int[] keep = new int[0];
            if (keepKv) {
                int q = c.boundary(0);
                boolean keepQuestion = job.past == null && q > 0
                        && !cache.contains(model.id(), job.prefixHashes[0], c.tokens(), q);
                keep = keepQuestion ? new int[] {q, job.to()} : new int[] {job.to()};
            }
            rows.add(new PrmModel.Row(c.tokens(), job.from(), job.to(), job.past == null ? null : job.past.kv(),
                    readAt, keep));
            real += job.newTokens();
            longest = Math.max(longest, job.newTokens());
        }
        long padded = (long) longest * group.size();
        long started = System.nanoTime();
        PrmModel.Output out = model.run(rows);
        metrics.batch(group.size(), padded, real, Duration.ofNanos(System.nanoTime() - started));
        for (int r = 0; r < group.size(); r++) {
            ScoringJob job = group.get(r);
            EncodedCandidate c = job.candidate;
            float[] scores = new float[c.steps()];
            if (job.past != null) {
                System.arraycopy(job.past.scores(), 0, scores, 0, job.startStep);
            }
            System.arraycopy(out.scores()[r], 0, scores, job.startStep, c.steps() - job.startStep);
            if (cache != null) {
                KvSegment[] kept = keepKv ? out.kv()[r] : null;
                if (kept != null && kept.length > 1) { // the question's own state, which the candidate's chains to
                    cache.put(model.id(), job.prefixHashes[0],
                            new PrefixState(c.tokens(), kept[0].end(), new float[0], kept[0]));
                }
                cache.put(model.id(), job.prefixHashes[c.steps()], new PrefixState(c.tokens(), c.tokens().length,
                        scores.clone(), kept == null ? null : kept[kept.length - 1]));
            }
            job.scores.complete(scores);
        }
    }

    @Override
    public void close() {
        batcher.close();
    }
}
