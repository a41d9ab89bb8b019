package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.config.InvalidConfig;
import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.bench.eval.grading.AnswerGrader;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.task.Grade;
import io.ttsmesh.task.TaskRegistry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs every question of a file through every run of a config on a backend: at most {@code concurrency}
 * searches at once (virtual threads; in-process the generator batches across them), each graded by its
 * question's task and appended
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
    private final TaskRegistry tasks;

    /** With the tasks on the class path. */
    public Evaluation(SearchBackend backend, Settings settings) {
        this(backend, settings, TaskRegistry.load());
    }

    /** @param tasks grade each question with its task */
    public Evaluation(SearchBackend backend, Settings settings, TaskRegistry tasks) {
        this.backend = backend;
        this.settings = settings;
        this.tasks = tasks;
    }

    /** One search to run: a question in a run. */
    public record Job(Question question, RunConfig run) {
    }

    private record Pending(Job job, String fingerprint) {
    }

    /**
     * Runs what the results file does not hold yet of every question in every run, and returns their results.
     *
     * @throws InvalidConfig when a run is invalid, or the file holds results of a run with another fingerprint
     * @throws BackendUnavailable when the backend kept failing
     */
    public List<QuestionResult> run(String label, List<Question> questions, EvalConfig config, ResultLog log)
            throws InterruptedException {
        List<Job> jobs = new ArrayList<>();
        for (Question q : questions) {
            for (RunConfig run : config.runs()) {
                jobs.add(new Job(q, run));
            }
        }
        return run(label, jobs, log);
    }

    /**
     * Runs the jobs the results file does not hold yet (a run may cover some questions only, and each question
     * may be in different runs) and returns the results of all of them.
     *
     * @throws InvalidConfig when a run is invalid, or the file holds results of a run with another fingerprint
     * @throws BackendUnavailable when the backend kept failing
     */
    public List<QuestionResult> run(String label, List<Job> jobs, ResultLog log) throws InterruptedException {
        Map<String, RunConfig> runs = new LinkedHashMap<>();
        Map<String, Question> firstOfTask = new LinkedHashMap<>();
        for (Job j : jobs) {
            RunConfig before = runs.putIfAbsent(j.run().name(), j.run());
            if (before != null && !before.equals(j.run())) {
                throw new IllegalArgumentException("two runs are named '" + j.run().name() + "'");
            }
            firstOfTask.putIfAbsent(j.question().task(), j.question());
        }
        for (QuestionResult r : log.results()) {
            RunConfig run = runs.get(r.run());
            if (run == null || !firstOfTask.containsKey(r.taskName())) {
                continue;
            }
            String expected = fingerprint(run, r.taskName());
            if (!expected.equals(r.fingerprint()) && !settings.redoStale()) {
                throw new InvalidConfig("results file " + log.file() + " holds results of run '" + r.run()
                        + "' made with another configuration, base seed or models (fingerprint " + r.fingerprint()
                        + ", now " + expected + "); write to another --out, or delete that run's lines to redo it");
            }
        }
        Set<String> validated = new HashSet<>();
        for (Job j : jobs) {
            if (validated.add(j.run().name() + '\u0000' + j.question().task())) {
                backend.validate(j.run(), request(j.run(), j.question()));
            }
        }
        List<Pending> pending = new ArrayList<>();
        for (Job j : jobs) {
            String fingerprint = fingerprint(j.run(), j.question().task());
            if (!log.isDone(j.run().name(), j.question().id(), fingerprint)) {
                pending.add(new Pending(j, fingerprint));
            }
        }
        long total = jobs.size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger unavailableInARow = new AtomicInteger();
        AtomicReference<RuntimeException> abort = new AtomicReference<>();
        if (!pending.isEmpty()) {
            try (Progress progress = new Progress(label, total, total - pending.size())) {
                List<Thread> workers = new ArrayList<>();
                for (int w = 0; w < Math.min(settings.concurrency(), pending.size()); w++) {
                    workers.add(Thread.ofVirtual().name("eval-" + w).start(() -> {
                        int i;
                        while (abort.get() == null && (i = next.getAndIncrement()) < pending.size()) {
                            Pending p = pending.get(i);
                            try {
                                QuestionResult r = search(p);
                                log.append(r);
                                unavailableInARow.set(0);
                                progress.searched(r.correct(), !r.done());
                            } catch (BackendUnavailable e) {
                                if (unavailableInARow.incrementAndGet() >= settings.maxConsecutiveUnavailable()) {
                                    abort.compareAndSet(null, e);
                                }
                                progress.searched(false, true);
                            } catch (InterruptedException e) {
                                return;
                            } catch (RuntimeException e) { // an invalid run, a grader that failed: stop, keep what is done
                                abort.compareAndSet(null, e);
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
        Map<String, String> expected = new HashMap<>();
        for (Job j : jobs) {
            expected.put(key(j.run().name(), j.question().id()), fingerprint(j.run(), j.question().task()));
        }
        return log.results().stream().filter(r -> r.fingerprint().equals(expected.get(key(r.run(), r.id())))).toList();
    }

    private String fingerprint(RunConfig run, String task) {
        return Fingerprint.of(run, settings.baseSeed(), backend.identity(task), task);
    }

    private static String key(String run, String id) {
        return run + '\u0000' + id;
    }

    SearchRequest request(RunConfig run, Question q) {
        long seed = Seeds.of(settings.baseSeed(), q.id(), run.seedKey());
        return new SearchRequest(requestId(run.name(), q.id()), q.question(), run.strategy(), run.policies(),
                run.budget(), run.sampling().withSeed(seed), run.verifier(),
                run.aggregation() == null ? null : Aggregation.parse(run.aggregation()), q.task());
    }

    private QuestionResult search(Pending p) throws InterruptedException {
        Question q = p.job().question();
        RunConfig run = p.job().run();
        SearchRequest request = request(run, q);
        long start = System.nanoTime();
        SearchOutcome outcome = backend.solve(run, request);
        long latency = (System.nanoTime() - start) / 1_000_000;
        SearchResult r = outcome.result();
        Grade grade = AnswerGrader.grade(tasks.get(q.task()), q.question(), r.steps(), q.answer());
        return new QuestionResult(run.name(), p.fingerprint(), q.id(), q.task(), q.difficulty(), q.answer(), r.answer(),
                grade.correct(), grade.answer(), r.spend().generatedTokens(), r.spend().prefillTokens(),
                r.spend().verifierCalls(), r.spend().branches(), latency, r.spend().wallMillis(), r.stopReason().name(),
                r.stopDetail(), r.errorCode(), request.sampling().seed(), r.score(), outcome.chosenStrategy(),
                outcome.difficultyEstimate(), outcome.difficultyTokens(), backend.identity(q.task()), Instant.now().toString());
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
