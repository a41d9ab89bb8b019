package io.ttsmesh.search;

import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.run.ServedTask;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import io.ttsmesh.task.Grade;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A prompt made per question by a function (a chat template that transforms the user's content), the string
 * template still working beside it; and a verifier that needs labels a task does not have is refused naming why.
 */
class PromptFormatTest {

    @Test
    void aPromptFormatWinsOverTheTemplateAndTheTemplatePathStillWorks() {
        SearchSettings template = SearchSettings.defaults().toBuilder().promptTemplate("<u>{question}</u>").build();
        assertThat(template.prompt("What is 2?")).isEqualTo("<u>What is 2?</u>");

        SearchSettings format = template.toBuilder().promptFormat(q -> "<u>" + q.toUpperCase() + "</u>").build();
        assertThat(format.prompt("What is 2?")).as("a transform a {question} slot cannot express")
                .isEqualTo("<u>WHAT IS 2?</u>");
        assertThat(format.toBuilder().stepTokens(8).build().prompt("x")).as("kept by toBuilder").isEqualTo("<u>X</u>");
        assertThat(format.toBuilder().promptTemplate("Q: {question}\n").build().prompt("x"))
                .as("a template set later replaces the format").isEqualTo("Q: x\n");
        assertThat(SearchSettings.defaults().prompt("1+2")).isEqualTo("Q: 1+2\n");
    }

    @Test
    void aVerifierNeedingLabelsTheTaskLacksIsRefusedSayingSo() {
        Task text = new TextOnly();
        SearchRunner runner = new SearchRunner(new TaskRegistry(List.of(text)), "text-only", List.of(
                ServedTask.of(text, new SimulatedGenerator(0.1), SimulatedPrm.standard(), SearchSettings.defaults())));
        for (String verifier : List.of("rules", "prm+oracle", "exact")) {
            SearchRequest r = new SearchRequest("p-1", "What is 2?", MethodSpec.of("best_of_n", Map.of("n", "2")),
                    List.of(), new Budget(1000, 10, Duration.ofSeconds(5)), new SamplingParams(null, null, null, 1L, 0),
                    verifier, Aggregation.MIN, "text-only");
            assertThatThrownBy(() -> runner.validate(r)).isInstanceOfSatisfying(InvalidSearchRequest.class, e -> {
                assertThat(e.field()).isEqualTo("verifier");
                assertThat(e.getMessage()).contains("task text-only has no " + (verifier.equals("rules") ? "rule checker"
                        : "oracle") + ", so verifier '" + verifier.replace("prm+", "") + "' cannot score it")
                        .contains("known: prm, orm, confidence");
            });
        }
    }

    /** A task with neither rule checker nor oracle. */
    private static final class TextOnly implements Task {
        @Override
        public String name() {
            return "text-only";
        }

        @Override
        public String description() {
            return "any text";
        }

        @Override
        public String canonicalQuestion(String question) {
            return question.strip();
        }

        @Override
        public String questionText(Map<String, Object> record) {
            throw new InvalidQuestion("question", "not read from files");
        }

        @Override
        public String answerKey(String completion) {
            return null;
        }

        @Override
        public Grade grade(String question, String completion, String expectedAnswer) {
            return new Grade(null, false, List.of());
        }
    }
}
