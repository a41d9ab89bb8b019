package io.ttsmesh.verifier.prm;

import io.ttsmesh.task.Task;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.StepVerifier;
import io.ttsmesh.verifier.TaskQuestion;
import io.ttsmesh.verifier.VerifierInfo;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@code orm} verifier: one outcome reward per candidate, defined as the PRM's score of its last step.
 * The PRM scores a step as "this step and all before it are correct", so on a finished solution (its last
 * step the answer line) that is the probability that the whole solution is right; on a partial one it
 * rates the solution so far. Always one score per candidate, whatever {@code last_step_only} says; it
 * shares the PRM's batches and prefix cache.
 */
public final class OutcomeVerifier implements StepVerifier {

    private final PrmVerifier prm;

    public OutcomeVerifier(PrmVerifier prm) {
        this.prm = prm;
    }

    @Override
    public String name() {
        return "orm";
    }

    @Override
    public VerifierInfo info() {
        VerifierInfo p = prm.info();
        return new VerifierInfo(name(), "outcome reward: one score per candidate, the PRM's score of its last step "
                + "(the whole solution so far is correct)", p.model(), p.contextLength(), p.maxCandidates(),
                p.maxSteps(), p.tasks());
    }

    @Override
    public void checkTask(Task task) {
        prm.checkTask(task);
    }

    @Override
    public boolean oneScorePerCandidate() {
        return true;
    }

    @Override
    public CompletableFuture<List<CandidateResult>> score(TaskQuestion question, List<CandidateInput> candidates,
                                                          Instant deadline) {
        List<CandidateInput> lastOnly = candidates.stream()
                .map(c -> new CandidateInput(c.id(), c.steps(), true, c.logprobs()))
                .toList();
        return prm.score(question, lastOnly, deadline);
    }
}
