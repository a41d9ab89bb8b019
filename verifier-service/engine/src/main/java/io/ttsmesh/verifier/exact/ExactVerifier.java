package io.ttsmesh.verifier.exact;

import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.StepRules;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.verifier.CandidateInput;
import io.ttsmesh.verifier.CandidateResult;
import io.ttsmesh.verifier.Limits;
import io.ttsmesh.verifier.StatusCode;
import io.ttsmesh.verifier.StepVerifier;
import io.ttsmesh.verifier.TaskQuestion;
import io.ttsmesh.verifier.VerifierException;
import io.ttsmesh.verifier.VerifierInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Verifiers that score with a task's own step labels instead of a model: a step scores 1 when its label is
 * true, else 0. They need no model and answer at once, for every task of the registry that has the labels.
 * <ul>
 * <li>{@code rules}: the task's rule checker ({@link Task#rules()}), decided from the question and the steps
 *     alone; fair to use for choosing answers, and the usual first member of a stack ("rules+prm").</li>
 * <li>{@code oracle} ({@code exact} is its old name): the task's oracle ({@link Task#oracle()}), which may
 *     solve the question. It draws upper bounds (what a perfect verifier would reach) and tests the mesh; never
 *     use it to pick answers in an evaluation that reports accuracy.</li>
 * </ul>
 */
public final class ExactVerifier implements StepVerifier {

    private static final String RULES_DESCRIPTION = "the task's rule checker: 1 when the step and all before it "
            + "break no rule of the task, else 0; decided from the question and the steps alone, silent about "
            + "whether a valid step leads to the answer";
    private static final String ORACLE_DESCRIPTION = "the task's oracle, for upper bounds and tests only: 1 when "
            + "the step and all before it are right and the question can still be solved from there, else 0; it "
            + "may solve the question, so never use it to pick answers in an evaluation that reports accuracy";

    private final String name;
    private final String description;
    private final String labelsName;
    private final Function<Task, Optional<StepRules>> labels;
    private final TaskRegistry tasks;
    private final Limits limits;

    private ExactVerifier(String name, String description, String labelsName,
                          Function<Task, Optional<StepRules>> labels, TaskRegistry tasks, Limits limits) {
        this.name = name;
        this.description = description;
        this.labelsName = labelsName;
        this.labels = labels;
        this.tasks = tasks;
        this.limits = limits;
    }

    /** {@code rules}: the task's rule checker. */
    public static ExactVerifier rules(TaskRegistry tasks, Limits limits) {
        return new ExactVerifier("rules", RULES_DESCRIPTION, "rule checker", Task::rules, tasks, limits);
    }

    /** {@code oracle}: the task's oracle. */
    public static ExactVerifier oracle(TaskRegistry tasks, Limits limits) {
        return new ExactVerifier("oracle", ORACLE_DESCRIPTION, "oracle", Task::oracle, tasks, limits);
    }

    /** {@code exact}: the old name of {@code oracle}, same scores, kept so that existing clients still work. */
    public static ExactVerifier exact(TaskRegistry tasks, Limits limits) {
        return new ExactVerifier("exact", "old name of oracle: " + ORACLE_DESCRIPTION, "oracle", Task::oracle,
                tasks, limits);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public VerifierInfo info() {
        return new VerifierInfo(name, description, "", 0, limits.maxCandidates(), limits.maxSteps(), servedTasks());
    }

    private List<String> servedTasks() {
        return tasks.all().stream().filter(t -> labels.apply(t).isPresent()).map(Task::name).toList();
    }

    @Override
    public void checkTask(Task task) {
        if (labels.apply(task).isEmpty()) {
            List<String> served = servedTasks();
            throw new VerifierException(StatusCode.INVALID_ARGUMENT, "task: task '" + task.name() + "' has no "
                    + labelsName + ", so verifier '" + name + "' cannot score it ("
                    + (served.isEmpty() ? "no task here has one" : "tasks with one: " + String.join(", ", served))
                    + ")");
        }
    }

    @Override
    public CompletableFuture<List<CandidateResult>> score(TaskQuestion question, List<CandidateInput> candidates,
                                                          Instant deadline) {
        checkTask(question.task());
        StepRules rules = labels.apply(question.task()).orElseThrow();
        List<CandidateResult> results = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            results.add(score(rules, question, i, candidates.get(i)));
        }
        return CompletableFuture.completedFuture(results);
    }

    private CandidateResult score(StepRules rules, TaskQuestion question, int i, CandidateInput c) {
        String field = "candidates[" + i + "] (id '" + c.id() + "')";
        int steps = c.steps().size();
        if (steps == 0) {
            return reject(c, StatusCode.INVALID_ARGUMENT, field + ": steps is empty, nothing to score");
        }
        if (steps > limits.maxSteps()) {
            return reject(c, StatusCode.INVALID_ARGUMENT, field + ": " + steps + " steps, at most "
                    + limits.maxSteps() + " (tts.verifier.limits.max-steps)");
        }
        List<Boolean> stepLabels;
        try {
            stepLabels = rules.labels(question.text(), c.steps());
        } catch (InvalidQuestion e) {
            return reject(c, StatusCode.INVALID_ARGUMENT, field + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return reject(c, StatusCode.INTERNAL, field + ": the " + labelsName + " of task '"
                    + question.task().name() + "' failed: " + e);
        }
        if (stepLabels.size() != steps) {
            return reject(c, StatusCode.INTERNAL, field + ": the " + labelsName + " of task '"
                    + question.task().name() + "' gave " + stepLabels.size() + " labels for " + steps + " steps");
        }
        if (c.lastStepOnly()) {
            return CandidateResult.scored(c.id(), new float[] {stepLabels.getLast() ? 1f : 0f});
        }
        float[] scores = new float[steps];
        for (int j = 0; j < steps; j++) {
            scores[j] = stepLabels.get(j) ? 1f : 0f;
        }
        return CandidateResult.scored(c.id(), scores);
    }

    private static CandidateResult reject(CandidateInput c, StatusCode code, String message) {
        return CandidateResult.rejected(c.id(), code, message);
    }
}
