package io.ttsmesh.orchestrator.solving;

import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.prompt.ChatPrompt;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.answer.AnswerFormat;
import io.ttsmesh.search.answer.Canonicalizer;
import io.ttsmesh.search.answer.PatternAnswerFormat;
import io.ttsmesh.search.run.ServedTask;
import io.ttsmesh.task.Task;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.settings.ComputeOptimalTable;
import io.ttsmesh.search.settings.RoutingTable;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The search engine's settings from {@code tts.orchestrator.search.*} and {@code tts.orchestrator.limits.*}, and
 * per served task ({@code tts.orchestrator.tasks.<name>.search.*}).
 */
@ApplicationScoped
public class SearchSettingsFactory {

    private final OrchestratorConfig config;
    private final SearchSettings settings;

    SearchSettingsFactory(OrchestratorConfig config, ChatPrompt chatPrompt) {
        this.config = config;
        this.settings = chatPrompt.applyTo(of(config));
    }

    /** The settings every task shares (limits, prompt, step delimiter, quotas, sampling). */
    public SearchSettings settings() {
        return settings;
    }

    /**
     * The settings of one served task: answers read by the task's answer key, except for the default task
     * ({@code tts.orchestrator.task}, the model of the top-level pods) when
     * {@code search.answer-pattern} or {@code search.answer-canonicalizer} is configured (a real model's own
     * answer form); the verifier names of the task's pods, without those the task cannot back.
     */
    public SearchSettings settings(Task task) {
        SearchSettings base = settings;
        var own = config.tasks().get(task.name());
        if (own != null) {
            var b = base.toBuilder();
            own.search().verifiers().ifPresent(b::verifiers);
            own.search().defaultVerifier().ifPresent(b::defaultVerifier);
            try {
                base = b.build();
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("tts.orchestrator.tasks." + task.name() + ".search: " + e.getMessage(), e);
            }
        }
        SearchSettings forTask;
        try {
            forTask = ServedTask.settingsFor(task, base);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("task " + task.name() + ": " + e.getMessage(), e);
        }
        var s = config.search();
        boolean pattern = s.answerPattern().isPresent() || s.answerCanonicalizer().isPresent();
        return pattern && task.name().equals(config.task().strip())
                ? forTask.toBuilder().answerFormat(settings.answerFormat()).build()
                : forTask;
    }

    public static SearchSettings of(OrchestratorConfig config) {
        var s = config.search();
        var limits = config.limits();
        SearchSettings defaults = SearchSettings.defaults();
        var b = defaults.toBuilder()
                .maxQuestionChars(limits.maxQuestionChars())
                .maxDeadline(limits.maxDeadline())
                .maxBudgetTokens(limits.maxBudgetTokens())
                .maxBudgetVerifierCalls(limits.maxBudgetVerifierCalls())
                .degradedMode(config.degradedMode().enabled());
        s.promptTemplate().ifPresent(b::promptTemplate);
        if (s.answerPattern().isPresent() || s.answerCanonicalizer().isPresent()) {
            PatternAnswerFormat testBed = AnswerFormat.testBed();
            b.answerFormat(AnswerFormat.of(
                    s.answerPattern().orElse(testBed.pattern().pattern()),
                    s.answerCanonicalizer().map(Canonicalizer::parse).orElse(testBed.canonicalizer())));
        }
        s.stepDelimiter().ifPresent(b::stepDelimiter);
        s.stepTokens().ifPresent(b::stepTokens);
        s.solutionTokens().ifPresent(b::solutionTokens);
        s.maxN().ifPresent(b::maxN);
        s.maxWidth().ifPresent(b::maxWidth);
        s.maxIterations().ifPresent(b::maxIterations);
        SamplingParams sampling = defaults.defaultSampling();
        b.defaultSampling(new SamplingParams(
                s.temperature().orElse(sampling.temperature()),
                s.topP().orElse(sampling.topP()),
                s.topK().isPresent() ? Integer.valueOf(s.topK().getAsInt()) : sampling.topK(),
                sampling.seed(), sampling.topLogprobs()));
        s.verifiers().ifPresent(b::verifiers);
        s.defaultVerifier().ifPresent(b::defaultVerifier);
        s.answerCue().ifPresent(b::answerCue);
        s.continuationCue().ifPresent(b::continuationCue);
        s.probeTokens().ifPresent(b::probeTokens);
        s.maxTopLogprobs().ifPresent(b::maxTopLogprobs);
        s.scoreAhead().ifPresent(b::scoreAhead);
        s.computeOptimalTable().map(SearchSettingsFactory::table).ifPresent(b::computeOptimalTable);
        s.routingTable().map(SearchSettingsFactory::routingTable).ifPresent(b::routingTable);
        return b.build();
    }

    private static ComputeOptimalTable table(String location) {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length());
            try (InputStream in = SearchSettingsFactory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("tts.orchestrator.search.compute-optimal-table: no resource " + resource);
                }
                return ComputeOptimalTable.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("tts.orchestrator.search.compute-optimal-table: " + location, e);
            }
        }
        return ComputeOptimalTable.read(Path.of(location));
    }

    private static RoutingTable routingTable(String location) {
        String key = "tts.orchestrator.search.routing-table";
        try {
            if (location.startsWith("classpath:")) {
                String resource = location.substring("classpath:".length());
                try (InputStream in = SearchSettingsFactory.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new IllegalStateException(key + ": no resource " + resource);
                    }
                    return RoutingTable.read(in);
                }
            }
            return RoutingTable.read(Path.of(location));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + " (" + location + "): " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(key + ": " + location, e);
        }
    }
}
