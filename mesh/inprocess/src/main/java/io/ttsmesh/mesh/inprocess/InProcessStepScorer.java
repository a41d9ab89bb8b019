package io.ttsmesh.mesh.inprocess;

import io.ttsmesh.search.generation.TokenLogprob;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.ScoringException;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.status.StatusCode;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.ScoringRequest;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.VerifierException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The search's {@link StepScorer} port over the verifier engine in this JVM (library mode): the same
 * micro-batching and prefix cache as the service, without gRPC. Blocks the calling (virtual) thread until
 * the engine answers or the deadline passes; candidates still queued at the deadline are not run. One scorer
 * serves one task (as a verifier pod does): its questions are sent to the engine under that task's name.
 */
public final class InProcessStepScorer implements StepScorer {

    /** Deadline of a call that gives none. */
    private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private final VerifierEngine engine;
    private final String task;

    /** For the default task (arithmetic). */
    public InProcessStepScorer(VerifierEngine engine) {
        this(engine, TaskRegistry.DEFAULT);
    }

    public InProcessStepScorer(VerifierEngine engine, String task) {
        this.engine = engine;
        this.task = task;
    }

    @Override
    public List<CandidateScores> score(String requestId, String verifier, String question, List<Candidate> candidates,
                                       Instant deadline) {
        Instant until = deadline != null ? deadline : Instant.now().plus(DEFAULT_DEADLINE);
        List<CandidateInput> inputs = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            inputs.add(new CandidateInput(c.id(), c.steps(), c.lastStepOnly(), logprobs(c.logprobs())));
        }
        CompletableFuture<List<CandidateResult>> pending;
        try {
            pending = engine.score(new ScoringRequest(requestId, verifier, question, inputs, task), until);
        } catch (VerifierException e) {
            throw new ScoringException(StatusCode.named(e.code().name()), e.getMessage(), e);
        }
        List<CandidateResult> results;
        try {
            long nanos = Duration.between(Instant.now(), until).toNanos();
            results = pending.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ScoringException(StatusCode.DEADLINE_EXCEEDED, "scoring did not finish before the deadline " + until);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScoringException(StatusCode.CANCELLED, "interrupted while waiting for scores", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VerifierException v) {
                throw new ScoringException(StatusCode.named(v.code().name()), v.getMessage(), v);
            }
            throw new ScoringException(StatusCode.INTERNAL, "scoring failed: " + e.getCause(), e.getCause());
        }
        List<CandidateScores> out = new ArrayList<>(results.size());
        for (CandidateResult r : results) {
            out.add(r.ok() ? new CandidateScores(r.id(), r.scores(), null, null)
                    : new CandidateScores(r.id(), r.scores(), r.code().name(), r.error()));
        }
        return out;
    }

    private static List<List<io.ttsmesh.verifier.TokenLogprob>> logprobs(List<List<TokenLogprob>> steps) {
        if (steps == null || steps.isEmpty()) {
            return List.of();
        }
        List<List<io.ttsmesh.verifier.TokenLogprob>> out = new ArrayList<>(steps.size());
        for (List<TokenLogprob> step : steps) {
            List<io.ttsmesh.verifier.TokenLogprob> tokens = new ArrayList<>(step.size());
            for (TokenLogprob t : step) {
                float[] top = new float[t.top() == null ? 0 : t.top().size()];
                for (int i = 0; i < top.length; i++) {
                    top[i] = t.top().get(i).logprob();
                }
                tokens.add(new io.ttsmesh.verifier.TokenLogprob(t.logprob(), top));
            }
            out.add(tokens);
        }
        return out;
    }
}
