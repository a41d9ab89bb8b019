package io.ttsmesh.bench.eval;

import io.ttsmesh.bench.BenchJson;
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

    private static final ObjectMapper JSON = BenchJson.MAPPER;

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

    /**
     * A file written by hand (bench/src/test/resources/handwritten.jsonl): ids missing or given, answers as strings with
     * signs and leading zeros or as numbers, difficulties given, derived or absent, extra fields, a blank line. Every
     * search is graded against the file's own answer, canonicalized, and the model solves some of them.
     */
    @Test
    void gradesAHandWrittenFileAgainstItsOwnAnswers() throws Exception {
        Path questions = Path.of(EvalCommandTest.class.getResource("/handwritten.jsonl").toURI());
        Path config = Files.writeString(dir.resolve("sc.json"), """
                { "runs": [ { "name": "sc", "strategy": { "name": "self_consistency" }, "sweep": { "n": [1, 4] } } ] }
                """);
        Path out = dir.resolve("handwritten");
        assertThat(run("eval", "-q", questions.toString(), "-c", config.toString(), "-o", out.toString(),
                "--models", BundledModels.root().toString(), "--concurrency", "8")).isZero();

        java.util.Map<String, String> expected = java.util.Map.of("hw-1", "23", "hw-2", "21", "line-3", "25", "hw-4", "18",
                "hw-5", "-17", "hw-6", "35", "hw-7", "81");
        List<QuestionResult> results = ResultLog.read(out.resolve("results.jsonl"));
        assertThat(results).hasSize(14);
        for (QuestionResult r : results) {
            assertThat(r.expected()).as(r.id()).isEqualTo(expected.get(r.id()));
            boolean right = r.answer() != null && r.answer().matches("-?\\d+")
                    && Long.parseLong(r.answer()) == Long.parseLong(expected.get(r.id()));
            assertThat(r.correct()).as("%s %s: answer %s", r.run(), r.id(), r.answer()).isEqualTo(right);
        }
        assertThat(results).filteredOn(QuestionResult::correct).hasSizeGreaterThanOrEqualTo(4);
        assertThat(results).filteredOn(r -> r.id().equals("line-3")).allSatisfy(r -> assertThat(r.difficulty()).isEqualTo(2));
        assertThat(results).filteredOn(r -> r.id().equals("hw-7")).allSatisfy(r -> assertThat(r.difficulty()).isEqualTo(1));
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).startsWith("sc@1,sc,1,7,");
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
