package io.ttsmesh.bench.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ttsmesh.bench.BenchCommand;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.results.ResultLog;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.testbed.ArithmeticProblem;
import io.ttsmesh.testbed.ExpressionTree;
import io.ttsmesh.testbed.ProblemGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tts-bench eval} end to end, in-process, with the real bundled models on a question file drawn with a seed
 * no committed set uses: every search is graded against the expression's own value, the outputs are written, and a
 * rerun does nothing.
 */
class EvalCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void evaluatesAFileItHasNeverSeenAndResumes() throws Exception {
        List<String> lines = new ArrayList<>();
        for (ArithmeticProblem p : new ProblemGenerator(90210).problemSet(4, "unseen")) {
            lines.add(JSON.writeValueAsString(java.util.Map.of("id", p.id(), "question", p.question(), "answer", p.answer())));
        }
        lines.add("{\"question\": \"2*3+4\", \"answer\": \"+010\"}"); // hand-written: no id, an uncanonical answer
        Path questions = Files.write(dir.resolve("unseen.jsonl"), lines);
        Path config = Files.writeString(dir.resolve("config.json"), """
                { "runs": [
                    { "name": "sc", "strategy": { "name": "self_consistency" }, "sweep": { "n": [1, 2] } },
                    { "name": "bon2+prune", "strategy": { "name": "best_of_n", "params": { "n": 2 } },
                      "policies": [ { "name": "prune", "params": { "floor": 1 } } ], "baseline": "sc@2" } ] }
                """);
        Path out = dir.resolve("out");
        String[] args = {"eval", "-q", questions.toString(), "-c", config.toString(), "-o", out.toString(),
                "--models", BundledModels.root().toString(), "--concurrency", "8"};

        assertThat(run(args)).isZero();
        List<QuestionResult> results = ResultLog.read(out.resolve("results.jsonl"));
        assertThat(results).hasSize(15);
        for (QuestionResult r : results) {
            String question = questionOf(lines, r.id());
            long truth = ExpressionTree.parse(question).evaluate();
            assertThat(r.expected()).isEqualTo(Long.toString(truth));
            boolean right = r.answer() != null && r.answer().matches("-?\\d+") && Long.parseLong(r.answer()) == truth;
            assertThat(r.correct()).as("%s %s: answer %s, truth %d", r.run(), r.id(), r.answer(), truth).isEqualTo(right);
            assertThat(r.generatedTokens()).isPositive();
            assertThat(r.stopReason()).isIn("COMPLETED", "EARLY_EXIT");
            assertThat(r.latencyMs()).isPositive();
        }
        assertThat(results).filteredOn(r -> r.run().equals("bon2+prune")).allSatisfy(r -> assertThat(r.verifierCalls()).isPositive());
        assertThat(results).filteredOn(r -> r.id().equals("line-5")).hasSize(3)
                .allSatisfy(r -> assertThat(r.expected()).isEqualTo("10"));
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("runs")).hasSize(3);
        assertThat(summary.get("comparisons")).hasSize(1);
        for (String png : List.of("accuracy-vs-tokens.png", "accuracy-by-difficulty.png", "policy-savings.png")) {
            assertThat(ImageIO.read(out.resolve(png).toFile())).as(png).isNotNull();
        }

        long before = Files.size(out.resolve("results.jsonl"));
        assertThat(run(args)).isZero();
        assertThat(Files.size(out.resolve("results.jsonl"))).isEqualTo(before);
    }

    @Test
    void aBadConfigIsAClearErrorBeforeAnyModelLoads() throws Exception {
        Path questions = Files.writeString(dir.resolve("q.jsonl"), "{\"question\": \"1+1\", \"answer\": \"2\"}\n");
        Path config = Files.writeString(dir.resolve("bad.json"), "{ \"runs\": [ { \"name\": \"x\", \"strategy\": {} } ] }");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err));
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(captured, true));
        try {
            assertThat(cli.execute("eval", "-q", questions.toString(), "-c", config.toString(), "-o",
                    dir.resolve("o").toString())).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(captured.toString()).contains("run 'x'.strategy.name: required");
    }

    private static int run(String... args) {
        return new CommandLine(new BenchCommand()).execute(args);
    }

    private static String questionOf(List<String> lines, String id) throws Exception {
        for (int i = 0; i < lines.size(); i++) {
            JsonNode n = JSON.readTree(lines.get(i));
            String lineId = n.has("id") ? n.get("id").asText() : "line-" + (i + 1);
            if (lineId.equals(id)) {
                return n.get("question").asText();
            }
        }
        throw new AssertionError("no question " + id);
    }
}
