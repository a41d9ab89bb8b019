package io.ttsmesh.bench.eval.execution;

import io.ttsmesh.bench.eval.config.RunConfig;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.task.TaskRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run's results depend on, hashed: its method, budget, sampling, verifier, aggregation, seed key, the
 * base seed, the backend (which models), the content of its compute-optimal table and the questions' task (the
 * default task adds nothing, so fingerprints from before tasks existed still match). A results file resumed with
 * a run whose fingerprint changed is refused, so a report never mixes two configurations or two models.
 */
public final class Fingerprint {

    private Fingerprint() {
    }

    public static String of(RunConfig run, long baseSeed, String backend) {
        return of(run, baseSeed, backend, TaskRegistry.DEFAULT);
    }

    /** The fingerprint of a run on the questions of one task, answered by {@code backend}. */
    public static String of(RunConfig run, long baseSeed, String backend, String task) {
        StringBuilder sb = new StringBuilder();
        sb.append("strategy=").append(method(run.strategy())).append('\n');
        for (MethodSpec p : run.policies()) {
            sb.append("policy=").append(method(p)).append('\n');
        }
        sb.append("budget=").append(run.budget().maxTokens()).append('/').append(run.budget().maxVerifierCalls())
                .append('/').append(run.budget().deadline().toMillis()).append('\n');
        var s = run.sampling();
        sb.append("sampling=").append(s.temperature()).append('/').append(s.topP()).append('/').append(s.topK())
                .append('/').append(s.topLogprobs()).append('\n');
        sb.append("verifier=").append(run.verifier()).append("\naggregation=").append(run.aggregation()).append('\n');
        sb.append("seed_key=").append(run.seedKey()).append("\nbase_seed=").append(baseSeed).append('\n');
        sb.append("backend=").append(backend).append('\n');
        if (run.computeOptimalTable() != null) {
            sb.append("table=").append(fileHash(run.computeOptimalTable())).append('\n');
        }
        if (!TaskRegistry.DEFAULT.equals(task)) {
            sb.append("task=").append(task).append('\n');
        }
        return sha256(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static String method(MethodSpec m) {
        Map<String, String> sorted = new TreeMap<>(m.params());
        return m.name() + sorted;
    }

    /** SHA-256 of a file's content, in hex. */
    public static String fileHash(Path file) {
        try {
            return sha256(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
