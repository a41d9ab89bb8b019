package io.ttsmesh.bench.eval;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.bench.BenchCommand;
import io.ttsmesh.bench.eval.execution.InProcessEngines;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.testbed.ExpressionTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tts-bench eval} in-process on a file that mixes Countdown and arithmetic questions, with the real models of
 * both tasks: rules+prm stacks over the Countdown PRM, every search graded by its task, the grader's reading of the
 * chosen solution agreeing with the search's own answer key, and a rerun doing nothing.
 *
 * <p>The Countdown models are those in models/countdown (system property {@value #MODELS} names another folder, e.g.
 * a provisional pair). Without them this test fails: it is not skipped.
 */
class CountdownEvalTest {

    static final String MODELS = "ttsmesh.countdown.models.dir";
    private static final ObjectMapper JSON = BenchJson.MAPPER;

    @TempDir
    Path dir;

    static Path countdownModels() {
        String configured = System.getProperty(MODELS);
        Path models = configured != null && !configured.isBlank() ? Path.of(configured)
                : BundledModels.root().resolve("countdown");
        assertThat(InProcessEngines.hasModels(models)).as("Countdown models in %s (generator/, prm/): copy them there or "
                + "set -D%s", models, MODELS).isTrue();
        return models;
    }

    @Test
    void gradesCountdownWithItsTaskBesideArithmeticAndResumes() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(BundledModels.root().resolve("countdown/eval/heldout.jsonl"))
                .subList(0, 6));
        lines.add("{\"id\": \"ar-1\", \"question\": \"7+(8*2)\", \"answer\": \"23\"}");
        lines.add("{\"id\": \"ar-2\", \"task\": \"arithmetic\", \"question\": \"(12-5)*3\"}");
        Path questions = Files.write(dir.resolve("mixed.jsonl"), lines);
        Path config = Files.writeString(dir.resolve("config.json"), """
                { "runs": [
                    { "name": "sc", "strategy": { "name": "self_consistency", "params": { "n": 4 } } },
                    { "name": "bon+rules+prm", "strategy": { "name": "best_of_n", "params": { "n": 4 } }, "verifier": "rules+prm" },
                    { "name": "beam+rules+prm", "strategy": { "name": "beam_search", "params": { "n": 4, "width": 2 } },
                      "verifier": "rules+prm" } ] }
                """);
        Path out = dir.resolve("out");
        String[] args = {"eval", "-q", questions.toString(), "-c", config.toString(), "-o", out.toString(),
                "--models", BundledModels.root().toString(), "--countdown-models", countdownModels().toString(),
                "--concurrency", "8"};
        assertThat(run(args)).isZero();

        List<QuestionResult> results = ResultLog.read(out.resolve("results.jsonl"));
        assertThat(results).hasSize(24);
        Map<String, JsonNode> records = new HashMap<>();
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            records.put(n.get("id").asText(), n);
        }
        Map<String, String> fingerprints = new HashMap<>();
        for (QuestionResult r : results) {
            JsonNode record = records.get(r.id());
            assertThat(r.stopReason()).as(r.run() + " " + r.id()).isEqualTo("COMPLETED");
            assertThat(r.generatedTokens()).isPositive();
            // the task's grader reads the chosen solution as the search read it
            assertThat(r.graderAnswer()).as(r.run() + " " + r.id()).isEqualTo(r.answer());
            if (r.run().equals("sc")) {
                assertThat(r.verifierCalls()).as(r.run()).isZero();
            } else {
                assertThat(r.verifierCalls()).as(r.run()).isPositive();
            }
            if (r.id().startsWith("ar-")) {
                assertThat(r.task()).isEqualTo("arithmetic");
                long truth = ExpressionTree.parse(record.get("question").asText()).evaluate();
                assertThat(r.correct()).isEqualTo(Long.toString(truth).equals(r.answer()));
                assertThat(r.backend()).startsWith("in-process models ");
            } else {
                assertThat(r.task()).isEqualTo("countdown");
                assertThat(r.expected()).isNull();
                assertThat(r.difficulty()).isEqualTo(record.get("numbers").size());
                assertThat(r.backend()).startsWith("in-process countdown models ");
                if (r.correct()) {
                    assertThat(solves(r.answer(), record)).as("%s %s: %s", r.run(), r.id(), r.answer()).isTrue();
                }
            }
            String before = fingerprints.putIfAbsent(r.run() + "/" + r.task(), r.fingerprint());
            assertThat(before == null || before.equals(r.fingerprint())).isTrue();
        }
        for (String runName : List.of("sc", "bon+rules+prm", "beam+rules+prm")) {
            assertThat(fingerprints.get(runName + "/countdown")).isNotEqualTo(fingerprints.get(runName + "/arithmetic"));
        }
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("runs")).hasSize(3);
        assertThat(summary.get("runs").get(0).get("by_difficulty").fieldNames()).toIterable()
                .contains("arithmetic 2", "countdown 3", "countdown 4", "countdown 5");

        long before = Files.size(out.resolve("results.jsonl"));
        assertThat(run(args)).isZero();
        assertThat(Files.size(out.resolve("results.jsonl"))).isEqualTo(before);
    }

    @Test
    void countdownQuestionsWithoutCountdownModelsAreAClearError() throws Exception {
        Path questions = Files.write(dir.resolve("cd.jsonl"),
                List.of("{\"task\": \"countdown\", \"numbers\": [3, 7, 9], \"target\": 24}"));
        Path config = Files.writeString(dir.resolve("c.json"), """
                { "runs": [ { "name": "sc", "strategy": { "name": "self_consistency", "params": { "n": 2 } } } ] }
                """);
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            assertThat(run("eval", "-q", questions.toString(), "-c", config.toString(), "-o", dir.resolve("o").toString(),
                    "--models", dir.toString() + "/no-models", "--countdown-models", dir.resolve("nothing").toString()))
                    .isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(captured.toString()).contains("task countdown").contains("nothing");
    }

    /**
     * Whether a vote key ("a op b = c" steps, sorted) is a solution of the record's question: every step's arithmetic
     * right with values 1..99, each number used once, the last value the target. Independent of the task's code.
     */
    static boolean solves(String key, JsonNode record) {
        if (key == null) {
            return false;
        }
        List<Integer> pool = new ArrayList<>();
        record.get("numbers").forEach(n -> pool.add(n.asInt()));
        List<String> steps = new ArrayList<>(List.of(key.split(",")));
        // the key is sorted, not in order: apply any step whose operands are available until none is left
        boolean progress = true;
        while (!steps.isEmpty() && progress) {
            progress = false;
            for (String s : List.copyOf(steps)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([-+*/])(\\d+)=(\\d+)").matcher(s);
                if (!m.matches()) {
                    return false;
                }
                int a = Integer.parseInt(m.group(1));
                int b = Integer.parseInt(m.group(3));
                int c = Integer.parseInt(m.group(4));
                List<Integer> next = new ArrayList<>(pool);
                if (!next.remove(Integer.valueOf(a)) || !next.remove(Integer.valueOf(b))) {
                    continue;
                }
                int value = switch (m.group(2)) {
                    case "+" -> a + b;
                    case "-" -> a - b;
                    case "*" -> a * b;
                    default -> b != 0 && a % b == 0 ? a / b : -1;
                };
                if (value != c || c < 1 || c > 99) {
                    return false;
                }
                next.add(c);
                pool.clear();
                pool.addAll(next);
                steps.remove(s);
                progress = true;
            }
        }
        return steps.isEmpty() && pool.size() == 1 && pool.get(0) == record.get("target").asInt();
    }

    private static int run(String... args) {
        return new CommandLine(new BenchCommand()).execute(args);
    }
}
