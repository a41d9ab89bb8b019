package io.ttsmesh.mesh.inprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.generator.engine.EngineSettings;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.runtime.chat.ChatMessage;
import io.ttsmesh.runtime.chat.ChatTemplate;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.run.SearchRunner;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.run.ServedTask;
import io.ttsmesh.search.StopReason;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.GenerationSession;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;
import io.ttsmesh.task.math.MathTask;
import io.ttsmesh.verifier.VerifierEngine;
import io.ttsmesh.verifier.batching.BatchSettings;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mesh's engines on the Qwen2-shaped fixture pair (models/fixtures/qwen2 with Optimum's merged decoder,
 * models/fixtures/qwen2-prm in the Qwen2.5-Math-PRM convention), each loaded from its directory by settings alone,
 * driven by the search runner: a beam search on a question in words (the math task). The weights are random, so
 * the answer is noise; what is checked is the plumbing: the prompt is the model's chat template rendered (as jinja2 rendered it),
 * steps end at the blank-line delimiter, every step of every branch gets a PRM score, the token budget holds and
 * the search's events are published.
 */
class RealModelFixtureMeshTest {

    @Test
    void aBeamSearchRunsOnTheQwen2FixturePairThroughTheChatTemplateAndThePrm() throws Exception {
        Path generatorDir = BundledModels.fixture("qwen2");
        JsonNode chat = new ObjectMapper().readTree(Files.readString(generatorDir.resolve("reference.json")))
                .get("chat").get(0);
        String question = chat.get("messages").get(0).get("content").asText();
        // what the orchestrator's prompt package does at start: the template rendered around the question slot
        String promptTemplate = ChatTemplate.read(generatorDir.resolve("tokenizer_config.json"))
                .render(List.of(new ChatMessage("user", "{question}")), true);
        Task math = new MathTask();
        List<String> prompts = Collections.synchronizedList(new ArrayList<>());
        try (GeneratorEngine generator = GeneratorEngine.start(EngineSettings.forModel(generatorDir)
                .graphFile("decoder_model_merged.onnx").stepDelimiter("\n\n").intraOpThreads(1).build());
             VerifierEngine verifier = VerifierEngine.builder().modelDir(BundledModels.fixture("qwen2-prm"))
                     .convention("qwen2.5-math-prm").batch(BatchSettings.DEFAULTS.withMaxWait(Duration.ofMillis(1)))
                     .intraOpThreads(1).tasks(new TaskRegistry(List.of(math))).task(MathTask.NAME).build()) {
            GenerationSessions sessions = recordingPrompts(new InProcessGenerationSessions(generator), prompts);
            SearchSettings settings = SearchSettings.defaults().toBuilder().promptTemplate(promptTemplate)
                    .stepDelimiter("\n\n").stepTokens(24).solutionTokens(96).build();
            SearchRunner runner = new SearchRunner(new TaskRegistry(List.of(math)), MathTask.NAME,
                    List.of(ServedTask.of(math, sessions, new InProcessStepScorer(verifier, MathTask.NAME), settings)));
            Budget budget = new Budget(400, 200, Duration.ofSeconds(120));
            List<SearchEvent> events = Collections.synchronizedList(new ArrayList<>());
            SearchResult result = runner.run(new SearchRequest("fixture-mesh", question,
                    MethodSpec.of("beam_search", Map.of("n", "4", "width", "2")), List.of(), budget,
                    SamplingParams.defaults().withSeed(18L), "prm", Aggregation.LAST), events::add);

            assertThat(result.stopReason()).as(result.stopDetail()).isNotEqualTo(StopReason.FAILED);
            assertThat(prompts).as("the chat template applied, byte for byte as jinja2 rendered it")
                    .isNotEmpty().allSatisfy(p -> assertThat(p).isEqualTo(chat.get("rendered").asText()));
            List<SearchEvent.Payload> payloads = events.stream().map(SearchEvent::payload).toList();
            assertThat(payloads.getFirst()).isInstanceOf(SearchEvent.Started.class);
            assertThat(payloads.getLast()).isInstanceOf(SearchEvent.Finished.class);
            int promptTokens = generator.tokenizer().encode(chat.get("rendered").asText()).length;
            assertThat(payloads).filteredOn(SearchEvent.BranchesStarted.class::isInstance)
                    .allSatisfy(p -> assertThat(((SearchEvent.BranchesStarted) p).promptTokens()).isEqualTo(promptTokens));

            List<SearchEvent.BranchStep> steps = payloads.stream().filter(SearchEvent.BranchStep.class::isInstance)
                    .map(SearchEvent.BranchStep.class::cast).toList();
            assertThat(steps).as("some step ended at the blank line (seed 18)").anyMatch(s -> s.end().equals("delimiter"));
            for (SearchEvent.BranchStep step : steps) {
                String text = step.text();
                int inner = text.indexOf("\n\n");
                assertThat(inner == -1 || (step.end().equals("delimiter") && inner == text.length() - 2))
                        .as("a step holds no blank line except the delimiter that ends it: %s", text).isTrue();
            }
            List<SearchEvent.BranchScored> scores = payloads.stream().filter(SearchEvent.BranchScored.class::isInstance)
                    .map(SearchEvent.BranchScored.class::cast).toList();
            assertThat(scores).isNotEmpty().allSatisfy(s -> assertThat(s.score()).isBetween(0.0, 1.0));
            // A search the token budget stopped ends inside an extend, whose completed steps are not scored; which
            // steps those are depends on how the engine batched the branches.
            boolean budgetStopped = result.stopReason() == StopReason.TOKEN_BUDGET;
            Map<Long, Integer> lastStep = new HashMap<>();
            steps.forEach(s -> lastStep.merge(s.branchId(), s.stepIndex(), Math::max));
            for (SearchEvent.BranchStep step : steps) {
                boolean cutShort = budgetStopped && step.stepIndex() == lastStep.get(step.branchId());
                if (!step.end().equals("quota") && !step.end().equals("cancelled") && !cutShort) {
                    assertThat(scores).as("a PRM score for branch %d step %d", step.branchId(), step.stepIndex())
                            .anyMatch(s -> s.branchId() == step.branchId() && s.stepIndex() == step.stepIndex());
                }
            }
            assertThat(result.spend().generatedTokens()).as("token budget").isLessThanOrEqualTo(budget.maxTokens());
            assertThat(result.spend().verifierCalls()).isPositive().isLessThanOrEqualTo(budget.maxVerifierCalls());
            System.out.printf("fixture mesh: %s after %d generated tokens, %d verifier calls, %d steps (%d ended at the "
                            + "blank line), %d PRM scores%n", result.stopReason(), result.spend().generatedTokens(),
                    result.spend().verifierCalls(), steps.size(),
                    steps.stream().filter(s -> s.end().equals("delimiter")).count(), scores.size());
        }
    }

    /** The sessions, recording every prompt a search starts branches from. */
    private static GenerationSessions recordingPrompts(GenerationSessions sessions, List<String> prompts) {
        return (requestId, deadline) -> {
            GenerationSession session = sessions.open(requestId, deadline);
            return (GenerationSession) Proxy.newProxyInstance(GenerationSession.class.getClassLoader(),
                    new Class<?>[] {GenerationSession.class}, (proxy, method, args) -> {
                        if (method.getName().equals("start") || method.getName().equals("startAhead")) {
                            prompts.add((String) args[0]);
                        }
                        try {
                            return method.invoke(session, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        };
    }
}
