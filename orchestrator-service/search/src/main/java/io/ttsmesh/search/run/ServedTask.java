package io.ttsmesh.search.run;

import io.ttsmesh.search.answer.AnswerFormat;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.task.Task;

import java.util.List;
import java.util.Objects;

/**
 * One task a runner serves: its generator pods, its verifier pods and its settings (prompt, answer format,
 * verifier names; the limits are the same for every task of a runner).
 */
public record ServedTask(Task task, GenerationSessions generators, StepScorer scorer, SearchSettings settings) {

    public ServedTask {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(generators, "generators");
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(settings, "settings");
    }

    /** With {@link #settingsFor the task's settings} made from {@code base}. */
    public static ServedTask of(Task task, GenerationSessions generators, StepScorer scorer, SearchSettings base) {
        return new ServedTask(task, generators, scorer, settingsFor(task, base));
    }

    /**
     * {@code base} with answers read by the task's own answer key, and without the verifier names the task cannot
     * back: "rules" needs the task's rule checker, "oracle" (and its old name "exact") its oracle.
     */
    public static SearchSettings settingsFor(Task task, SearchSettings base) {
        List<String> verifiers = base.verifiers().stream().filter(v -> switch (v) {
            case "rules" -> task.rules().isPresent();
            case "oracle", "exact" -> task.oracle().isPresent();
            default -> true;
        }).toList();
        return base.toBuilder()
                .answerFormat(AnswerFormat.of(task))
                .verifiers(verifiers)
                .build();
    }

    public String name() {
        return task.name();
    }
}
