package io.ttsmesh.search.run;

import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.answer.AnswerFormat;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.Extension;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.generation.ProbeResult;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.generation.SessionTotals;
import io.ttsmesh.search.generation.Step;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.scoring.Candidate;
import io.ttsmesh.search.scoring.CandidateScores;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.sim.Recorded;
import io.ttsmesh.search.sim.ScriptedGenerator;
import io.ttsmesh.search.sim.SimulatedGenerator;
import io.ttsmesh.search.sim.SimulatedPrm;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A runner serving two tasks (the test bed's arithmetic and Countdown, found on the class path as in the
 * services): each request is checked by its task, reaches its task's ports, and is answered by its task's key.
 */
class TasksTest {

    private static final TaskRegistry TASKS = TaskRegistry.load();
    private static final Budget BUDGET = new Budget(10_000, 1_000, Duration.ofSeconds(30));
    private static final String QUESTION = "3 5 2 -> 16";
    /** Two spellings of one solution (same steps, other order of the operands) and a wrong one. */
    private static final List<String> RIGHT = List.of("3+5=8; 2 8", "8*2=16; 16", "A: 16");
    private static final List<String> RIGHT_AGAIN = List.of("5+3=8; 2 8", "2*8=16; 16", "A: 16");
    private static final List<String> WRONG = List.of("3*5=15; 2 15", "15+2=17; 17", "A: 17");

    private final Task countdown = TASKS.get("countdown");
    private final Prompts arithmeticGenerator = new Prompts(new SimulatedGenerator(0.1));
    private final RuleScorer arithmeticScorer = new RuleScorer(TASKS.get("arithmetic"));
    private final Prompts countdownGenerator = new Prompts(new ScriptedGenerator(
            id -> id % 3 == 1 ? RIGHT : id % 3 == 2 ? WRONG : RIGHT_AGAIN));
    private final RuleScorer countdownScorer = new RuleScorer(countdown);
    private final SearchRunner runner = new SearchRunner(TASKS, List.of(
            ServedTask.of(TASKS.get("arithmetic"), arithmeticGenerator, arithmeticScorer, SearchSettings.defaults()),
            ServedTask.of(countdown, countdownGenerator, countdownScorer, SearchSettings.defaults())));

    private static SearchRequest request(String task, String question, String strategy, String verifier) {
        return new SearchRequest("t-1", question, MethodSpec.of(strategy, Map.of("n", "6")), List.of(), BUDGET,
                new SamplingParams(null, null, null, 7L, 0), verifier, Aggregation.MIN, task);
    }

    private static void refused(SearchRunner runner, SearchRequest r, String field, String... messageParts) {
        assertThatThrownBy(() -> runner.validate(r)).isInstanceOfSatisfying(InvalidSearchRequest.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            for (String part : messageParts) {
                assertThat(e.getMessage()).contains(part);
            }
        });
        assertThatThrownBy(() -> runner.run(r, e -> {
            throw new AssertionError("no event for an invalid request");
        })).isInstanceOf(InvalidSearchRequest.class);
    }

    @Test
    void aCountdownRequestReachesTheCountdownPortsOnlyAndIsAnsweredByItsKey() {
        Recorded events = new Recorded();
        SearchResult r = runner.run(request("countdown", "  3  5 2 ->  16 ", "best_of_n", "rules"), events);
        events.assertWellFormed(r);

        assertThat(countdownGenerator.prompts).containsExactly("Q: " + QUESTION + "\n");
        assertThat(countdownScorer.questions).isNotEmpty().allMatch(QUESTION::equals);
        assertThat(countdownScorer.verifiers).containsOnly("rules");
        assertThat(arithmeticGenerator.prompts).isEmpty();
        assertThat(arithmeticScorer.questions).isEmpty();

        SearchEvent.Started started = events.of(SearchEvent.Started.class).getFirst();
        assertThat(started.task()).isEqualTo("countdown");
        assertThat(started.question()).isEqualTo(QUESTION);
        // The rule checker scores the wrong solution's second step 0: best-of-n takes a right one.
        assertThat(r.answer()).isEqualTo("2*8=16,3+5=8").isEqualTo(countdown.answerKey(String.join("\n", RIGHT)));
        assertThat(r.answers()).extracting(SearchResult.AnswerTally::answer)
                .containsExactlyInAnyOrder("2*8=16,3+5=8", "2+15=17,3*5=15");
        assertThat(countdown.grade(QUESTION, String.join("\n", r.steps()), null).correct()).isTrue();
    }

    @Test
    void twoSpellingsOfOneCountdownSolutionVoteTogether() {
        SearchResult r = runner.run(request("countdown", "{\"numbers\": [3, 5, 2], \"target\": 16}",
                "self_consistency", null), null);
        assertThat(r.answer()).isEqualTo("2*8=16,3+5=8");
        assertThat(r.answers().getFirst().votes()).isEqualTo(4);
        assertThat(countdownGenerator.prompts).containsExactly("Q: " + QUESTION + "\n");
    }

    @Test
    void anArithmeticRequestReachesTheArithmeticPortsOnly() {
        for (String task : new String[] {null, "", "arithmetic", " arithmetic "}) {
            Recorded events = new Recorded();
            SearchResult r = runner.run(request(task, " (17+25)*3-14 ", "best_of_n", "oracle"), events);
            assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
            assertThat(events.of(SearchEvent.Started.class).getFirst().task()).isEqualTo("arithmetic");
            assertThat(events.of(SearchEvent.Started.class).getFirst().question()).isEqualTo("(17+25)*3-14");
        }
        assertThat(arithmeticGenerator.prompts).hasSize(4).containsOnly("Q: (17+25)*3-14\n");
        assertThat(arithmeticScorer.questions).isNotEmpty().allMatch("(17+25)*3-14"::equals);
        assertThat(countdownGenerator.prompts).isEmpty();
        assertThat(countdownScorer.questions).isEmpty();
    }

    @Test
    void aCountdownQuestionOutsideItsSchemaNamesTheWrongPart() {
        refused(runner, request("countdown", "3 5 2 7 1 4 -> 16", "best_of_n", null), "question.numbers", "countdown");
        refused(runner, request("countdown", "3 13 2 -> 16", "best_of_n", null), "question.numbers");
        refused(runner, request("countdown", "3 5 2 -> 100", "best_of_n", null), "question.target");
        refused(runner, request("countdown", "{\"numbers\": [3, 5, 2, 7, 1, 4], \"target\": 16}", "best_of_n", null),
                "question.numbers");
        refused(runner, request("countdown", "what is 3+5?", "best_of_n", null), "question");
        refused(runner, request("arithmetic", QUESTION, "best_of_n", null), "question", "arithmetic");
        refused(runner, request("countdown", "(17+25)*3-14", "best_of_n", null), "question");
    }

    @Test
    void anUnknownTaskIsNamedWithTheKnownOnes() {
        refused(runner, request("chess", "e4", "best_of_n", null), "task",
                "unknown task 'chess' (known: arithmetic, countdown");
        refused(runner, request("x".repeat(5000), "e4", "best_of_n", null), "task", "unknown task (not a task name");
        refused(runner, request("Chess\u0000", "e4", "best_of_n", null), "task", "unknown task (not a task name");
        assertThatThrownBy(() -> runner.validate(request("x".repeat(5000), "e4", "best_of_n", null)))
                .hasMessageNotContaining("x".repeat(40));
    }

    @Test
    void aTaskThatExistsButIsNotServedIsSaidSo() {
        SearchRunner arithmeticOnly = new SearchRunner(arithmeticGenerator, arithmeticScorer, SearchSettings.defaults());
        refused(arithmeticOnly, request("countdown", QUESTION, "best_of_n", null), "task",
                "task countdown is not served here (served: arithmetic)");
        SearchRunner countdownOnly = new SearchRunner(TASKS, List.of(
                ServedTask.of(countdown, countdownGenerator, countdownScorer, SearchSettings.defaults())));
        refused(countdownOnly, request(null, "1+2", "best_of_n", null), "task",
                "default task arithmetic is not served here (served: countdown)");
        countdownOnly.validate(request("countdown", QUESTION, "best_of_n", null));
        assertThat(countdownOnly.settings().answerFormat().extract(String.join("\n", RIGHT))).isEqualTo("2*8=16,3+5=8");
    }

    @Test
    void aRunnerGivenCountdownAsItsDefaultAnswersUnnamedRequestsAsCountdown() {
        SearchRunner countdownOnly = new SearchRunner(TASKS, "countdown", List.of(
                ServedTask.of(countdown, countdownGenerator, countdownScorer, SearchSettings.defaults())));
        assertThat(countdownOnly.defaultTask()).isEqualTo("countdown");
        assertThat(runner.defaultTask()).isEqualTo(TaskRegistry.DEFAULT);
        for (String task : new String[] {null, " "}) {
            Recorded events = new Recorded();
            SearchResult r = countdownOnly.run(request(task, QUESTION, "best_of_n", "rules"), events);
            assertThat(events.of(SearchEvent.Started.class).getFirst().task()).isEqualTo("countdown");
            assertThat(r.answer()).isEqualTo("2*8=16,3+5=8");
            assertThat(countdownOnly.canonical(request(task, QUESTION, "best_of_n", null)).task()).isEqualTo("countdown");
        }
        assertThat(countdownGenerator.prompts).hasSize(2).containsOnly("Q: " + QUESTION + "\n");
        refused(countdownOnly, request(null, "1+2", "best_of_n", null), "question");
        refused(countdownOnly, request("arithmetic", "1+2", "best_of_n", null), "task",
                "task arithmetic is not served here (served: countdown)");

        SearchRunner both = new SearchRunner(TASKS, "countdown", List.of(
                ServedTask.of(TASKS.get("arithmetic"), arithmeticGenerator, arithmeticScorer, SearchSettings.defaults()),
                ServedTask.of(countdown, countdownGenerator, countdownScorer, SearchSettings.defaults())));
        assertThat(both.catalog().tasks()).extracting(SearchCatalog.TaskInfo::name).containsExactly("countdown", "arithmetic");
        assertThat(both.served()).extracting(ServedTask::name).containsExactly("countdown", "arithmetic");
        assertThat(both.canonical(request(null, QUESTION, "best_of_n", null)).task()).isEqualTo("countdown");
        assertThat(both.canonical(request("arithmetic", "1+2", "best_of_n", null)).task()).isEqualTo("arithmetic");

        assertThatThrownBy(() -> new SearchRunner(TASKS, "arithmetic", List.of(
                ServedTask.of(countdown, countdownGenerator, countdownScorer, SearchSettings.defaults()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the default task arithmetic is not served (served: countdown)");
    }

    @Test
    void verifiersAreTheTasksOwnAndStackAsAPlusB() {
        for (String v : List.of("rules", "oracle", "exact", "rules+prm", "rules+oracle", "prm", "confidence")) {
            runner.validate(request("countdown", QUESTION, "best_of_n", v));
        }
        refused(runner, request("countdown", QUESTION, "best_of_n", "rules+judge"), "verifier",
                "unknown verifier 'judge'", "for task countdown");
        refused(runner, request("countdown", QUESTION, "best_of_n", "rules+rules"), "verifier", "stacked twice");
        refused(runner, request("countdown", QUESTION, "best_of_n", "+prm"), "verifier", "empty verifier name");
    }

    @Test
    void theCatalogListsTheServedTasksDefaultFirst() {
        SearchRunner reversed = new SearchRunner(TASKS, List.of(
                ServedTask.of(countdown, countdownGenerator, countdownScorer, SearchSettings.defaults()),
                ServedTask.of(TASKS.get("arithmetic"), arithmeticGenerator, arithmeticScorer, SearchSettings.defaults())));
        assertThat(reversed.catalog().tasks()).extracting(SearchCatalog.TaskInfo::name).containsExactly("arithmetic", "countdown");
        assertThat(reversed.served()).extracting(ServedTask::name).containsExactly("arithmetic", "countdown");
        SearchCatalog.TaskInfo info = reversed.catalog().tasks().get(1);
        assertThat(info.description()).isEqualTo(countdown.description());
        assertThat(info.verifiers()).contains("rules", "oracle", "prm").startsWith("prm");
        assertThat(info.defaultVerifier()).isEqualTo("prm");
        assertThatThrownBy(() -> new SearchRunner(TASKS, List.of(
                ServedTask.of(countdown, countdownGenerator, countdownScorer, SearchSettings.defaults()),
                ServedTask.of(countdown, countdownGenerator, countdownScorer, SearchSettings.defaults()))))
                .hasMessageContaining("countdown is served twice");
    }

    @Test
    void aTasksAnswerKeyReadsAProbeWithTheStepsBeforeIt() {
        AnswerFormat format = AnswerFormat.of(countdown);
        String steps = String.join("\n", RIGHT.subList(0, 2)) + "\n";
        assertThat(format.probeAnswer(steps, "A: 16")).isEqualTo("2*8=16,3+5=8");
        assertThat(format.extract("A: 16")).isNull();
        assertThat(AnswerFormat.testBed().probeAnswer("1+1=2\nA: 3\n", "A: 2")).isEqualTo("2");
    }

    @Test
    void withoutADefaultTaskOnTheClassPathQuestionsAreTakenAsWritten() {
        SearchSettings settings = SearchSettings.defaults();
        Task asWritten = SearchRunner.defaultTask(new TaskRegistry(List.of()), settings);
        assertThat(asWritten.name()).isEqualTo(TaskRegistry.DEFAULT);
        assertThat(asWritten.canonicalQuestion("what is 1 plus 2?")).isEqualTo("what is 1 plus 2?");
        assertThat(asWritten.answerKey("1+2=3\nA: 3")).isEqualTo("3");
        assertThat(SearchRunner.defaultTask(TASKS, settings)).isSameAs(TASKS.get("arithmetic"));
    }

    /** Scores each step by the task's rule checker (1 or 0), as the verifier's "rules" does; records what it saw. */
    private static final class RuleScorer implements StepScorer {
        private final Task task;
        final List<String> questions = new ArrayList<>();
        final List<String> verifiers = new ArrayList<>();

        RuleScorer(Task task) {
            this.task = task;
        }

        @Override
        public synchronized List<CandidateScores> score(String requestId, String verifier, String question,
                                                        List<Candidate> candidates, Instant deadline) {
            questions.add(question);
            verifiers.add(verifier);
            List<CandidateScores> out = new ArrayList<>();
            for (Candidate c : candidates) {
                List<Boolean> labels = task.rules().orElseThrow().labels(question, c.steps());
                List<Boolean> asked = c.lastStepOnly() ? labels.subList(labels.size() - 1, labels.size()) : labels;
                float[] scores = new float[asked.size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = asked.get(i) ? 1f : 0f;
                }
                out.add(new CandidateScores(c.id(), scores, null, null));
            }
            return out;
        }
    }

    /** Records the prompt each session starts with. */
    private static final class Prompts implements GenerationSessions {
        private final GenerationSessions generator;
        final List<String> prompts = new ArrayList<>();

        Prompts(GenerationSessions generator) {
            this.generator = generator;
        }

        @Override
        public GenerationSession open(String requestId, Instant deadline) {
            GenerationSession session = generator.open(requestId, deadline);
            return new GenerationSession() {
                @Override
                public int start(String prompt, List<Long> branchIds, SamplingParams sampling) {
                    prompts.add(prompt);
                    return session.start(prompt, branchIds, sampling);
                }

                @Override
                public void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep) {
                    session.extend(branchIds, extension, onStep);
                }

                @Override
                public void fork(long parentId, List<Long> childIds, List<Long> childSeeds) {
                    session.fork(parentId, childIds, childSeeds);
                }

                @Override
                public void cancel(Collection<Long> branchIds) {
                    session.cancel(branchIds);
                }

                @Override
                public ProbeResult probe(long branchId, String cue, int maxTokens, String stop) {
                    return session.probe(branchId, cue, maxTokens, stop);
                }

                @Override
                public int append(long branchId, String text) {
                    return session.append(branchId, text);
                }

                @Override
                public SessionTotals close() {
                    return session.close();
                }
            };
        }
    }
}
