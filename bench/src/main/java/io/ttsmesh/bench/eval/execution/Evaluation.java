package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.grading.AnswerGrader;
import io.ttsmesh.bench.eval.questions.Question;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.scoring.Aggregation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs every question of a file through every run of a config on a backend: at most {@code concurrency}
 * searches at once (virtual threads; in-process the generator batches across them), each graded and appended
 * to the results file as it finishes, so a rerun does only what is missing. Every search is seeded from the
 * base seed, the question and the run ({@link Seeds}); the order and concurrency change nothing but time.
 */
public final class Evaluation {

    /**
     * @param baseSeed seeds every search (with the question id and the run's seed key)
     * @param concurrency searches in flight at once
     * @param maxConsecutiveUnavailable backend failures in a row that end the evaluation (a dead orchestrator
     *                                  must not turn a thousand questions into a thousand failures)
     * @param redoStale results of a run whose fingerprint changed are redone (the new lines supersede them)
     *                  instead of refused; for a pipeline that owns its results file, like the report
     */
    public record Settings(long baseSeed, int concurrency, int maxConsecutiveUnavailable, boolean redoStale) {
        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
            }
        }
    }

    private final SearchBackend backend;
    private final Settings settings;

    public Evaluation(SearchBackend backend, Settings settings) {
        this.backend = backend;
        this.settings = settings;
    }

    private record Task(Question question, RunConfig run, String fingerprint) {
    }

    /**
     * Runs what the results file does not hold yet and returns the results of these questions and runs.
     *
     * @throws InvalidConfig when a run is invalid, or the file holds results of a run with another fingerprint
     * @throws BackendUnavailable when the backend kept failing
     */
    public List<QuestionResult> run(String task, List<Question> questions, EvalConfig config, ResultLog log)
            throws InterruptedException {
        Map<String, String> fingerprints = new HashMap<>();
        for (RunConfig run : config.runs()) {
            fingerprints.put(run.name(), Fingerprint.of(run, settings.baseSeed(), backend.identity()));
        }
        for (QuestionResult r : log.results()) {
            String expected = fingerprints.get(r.run());
            if (expected != null && !expected.equals(r.fingerprint()) && !settings.redoStale()) {
                throw new InvalidConfig("results file " + log.file() + " holds results of run '" + r.run()
                        + "' made with another configuration, base seed or models (fingerprint " + r.fingerprint()
                        + ", now " + expected + "); write to another --out, or delete that run's lines to redo it");
            }
        }
        for (RunConfig run : config.runs()) {
            backend.validate(run, request(run, questions.get(0)));
        }
        List<Task> tasks = new ArrayList<>();
        for (Question q : questions) {
            for (RunConfig run : config.runs()) {
                if (!log.isDone(run.name(), q.id(), fingerprints.get(run.name()))) {
                    tasks.add(new Task(q, run, fingerprints.get(run.name())));
                }
            }
        }
        long total = (long) questions.size() * config.runs().size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger unavailableInARow = new AtomicInteger();
        AtomicReference<RuntimeException> abort = new AtomicReference<>();
        if (!tasks.isEmpty()) {
            try (Progress progress = new Progress(task, total, total - tasks.size())) {
                List<Thread> workers = new ArrayList<>();
                for (int w = 0; w < Math.min(settings.concurrency(), tasks.size()); w++) {
                    workers.add(Thread.ofVirtual().name("eval-" + w).start(() -> {
                        int i;
                        while (abort.get() == null && (i = next.getAndIncrement()) < tasks.size()) {
                            Task t = tasks.get(i);
                            try {
                                QuestionResult r = search(t);
                                log.append(r);
                                unavailableInARow.set(0);
                                progress.searched(r.correct(), !r.done());
                            } catch (BackendUnavailable e) {
                                if (unavailableInARow.incrementAndGet() >= settings.maxConsecutiveUnavailable()) {
                                    abort.compareAndSet(null, e);
                                }
                                progress.searched(false, true);
                            } catch (InvalidConfig e) {
                                abort.compareAndSet(null, e);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }));
                }
                try {
                    for (Thread t : workers) {
                        t.join();
                    }
                } catch (InterruptedException e) {
                    workers.forEach(Thread::interrupt);
                    throw e;
                }
            }
        }
        if (abort.get() != null) {
            throw abort.get();
        }
        Set<String> ids = new HashSet<>(questions.stream().map(Question::id).toList());
        Set<String> runs = new HashSet<>(config.runs().stream().map(RunConfig::name).toList());
        return log.results().stream().filter(r -> ids.contains(r.id()) && runs.contains(r.run())
                && r.fingerprint().equals(fingerprints.get(r.run()))).toList();
    }

    SearchRequest request(RunConfig run, Question q) {
        long seed = Seeds.of(settings.baseSeed(), q.id(), run.seedKey());
        return new SearchRequest(requestId(run.name(), q.id()), q.question(), run.strategy(), run.policies(),
                run.budget(), run.sampling().withSeed(seed), run.verifier(),
                run.aggregation() == null ? null : Aggregation.parse(run.aggregation()));
    }

    private QuestionResult search(Task t) throws InterruptedException {
        SearchRequest request = request(t.run(), t.question());
        long start = System.nanoTime();
        SearchOutcome outcome = backend.solve(t.run(), request);
        long latency = (System.nanoTime() - start) / 1_000_000;
        SearchResult r = outcome.result();
        Question q = t.question();
        return new QuestionResult(t.run().name(), t.fingerprint(), q.id(), q.difficulty(), q.answer(), r.answer(),
                AnswerGrader.isCorrect(q.answer(), r.answer()), AnswerGrader.answerOfSolution(r.steps()),
                r.spend().generatedTokens(), r.spend().prefillTokens(), r.spend().verifierCalls(), r.spend().branches(),
                latency, r.spend().wallMillis(), r.stopReason().name(), r.stopDetail(), r.errorCode(),
                request.sampling().seed(), r.score(), outcome.chosenStrategy(), outcome.difficultyEstimate(), outcome.difficultyTokens(),
                backend.identity(), Instant.now().toString());
    }

    /** A request id the orchestrator accepts (1-128 characters of [A-Za-z0-9._:-]). */
    static String requestId(String run, String questionId) {
        String raw = (run + ":" + questionId).replaceAll("[^A-Za-z0-9._:-]", "_");
        if (raw.length() <= 128) {
            return raw;
        }
        String hash = Fingerprint.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16);
        return raw.substring(0, 111) + ":" + hash;
    }
}
