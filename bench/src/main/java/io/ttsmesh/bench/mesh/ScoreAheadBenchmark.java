package io.ttsmesh.bench.mesh;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.bench.BenchJson;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.catalog.MethodInfo;
import io.ttsmesh.search.catalog.ParamInfo;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tts-bench score-ahead}: what scoring ahead (SearchSettings.scoreAhead) does to a search's latency, in this
 * JVM, side by side: two library paths (engines configured as the services are, each with its own verifier cache), one
 * with it and one without, the same question and seed on both, alternating which goes first, every verifier-guided
 * strategy at N. Searches one at a time, as a lone search on an idle pod sees it. After a warm-up on other questions.
 * Each strategy gets its own seeds; the small test-bed model still samples many of the same steps for a question, which
 * the verifier's cache then answers for the strategies after the first, on both paths alike.
 */
@Command(name = "score-ahead", mixinStandardHelpOptions = true,
        description = "Search latency with scoring ahead on vs off, in-process, side by side.")
public class ScoreAheadBenchmark implements Callable<Integer> {

    private static final Budget BUDGET = new Budget(100_000, 10_000, Duration.ofMinutes(1));

    @Option(names = "--models", description = "The bundled models folder (default: found like the tests do).")
    Path models;

    @Option(names = "--n", description = "Compute size N of every strategy (default: ${DEFAULT-VALUE}).")
    int n = 16;

    @Option(names = "--questions", description = "Held-out questions measured (default: ${DEFAULT-VALUE}).")
    int questions = 40;

    @Option(names = "--warmup-questions", description = "Other held-out questions the warm-up runs (default: ${DEFAULT-VALUE}).")
    int warmupQuestions = 40;

    @Option(names = "--strategies", split = ",", description = "Strategies measured (default: every one that needs the verifier).")
    List<String> only;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads of each engine (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(names = "--seed", description = "Seed of the question subset and of the searches (default: ${DEFAULT-VALUE}).")
    long seed = 20261204;

    @Option(names = "--out", description = "Results folder (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("bench/results");

    /** One strategy's searches on both paths, paired by question, and whether each pair was the same search. */
    record Row(MethodSpec spec, List<Long> offNanos, List<Long> onNanos, List<Double> offVerifierMs,
               List<Double> onVerifierMs, List<Boolean> sameSearches) {

        long sameSearch() {
            return sameSearches.stream().filter(Boolean::booleanValue).count();
        }

        double ratioOfMeans() {
            return LatencyStats.ofNanos(onNanos).meanMs() / LatencyStats.ofNanos(offNanos).meanMs();
        }

        /** The median over questions of on / off: a question's own length and difficulty divided out. */
        double medianPairedRatio() {
            double[] ratios = new double[onNanos.size()];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = onNanos.get(i) / (double) offNanos.get(i);
            }
            Arrays.sort(ratios);
            return LatencyStats.percentile(ratios, 50);
        }

        static double mean(List<Double> values) {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }
    }

    @Override
    public Integer call() throws Exception {
        Path root = models != null ? models : BundledModels.root();
        List<Question> drawn = QuestionFile.sample(root.resolve("eval/heldout.jsonl"), questions + warmupQuestions, seed);
        List<Question> measured = drawn.subList(0, questions);
        List<Question> warmup = drawn.subList(questions, drawn.size());
        try (LibraryPath off = new LibraryPath(root, threads, false);
             LibraryPath on = new LibraryPath(root, threads, true)) {
            List<MethodSpec> specs = new ArrayList<>();
            for (MethodInfo info : on.catalog().strategies()) {
                if (info.needsVerifier() && (only == null || only.contains(info.name())) && !info.name().equals("routed")) {
                    specs.add(StrategySizing.at(info.name(), info.params().stream().map(ParamInfo::name).toList(), n));
                }
            }
            if (specs.isEmpty()) {
                throw new IllegalArgumentException("no strategies to measure among " + only);
            }
            long t0 = System.nanoTime();
            for (int q = 0; q < warmup.size(); q++) {
                for (int s = 0; s < specs.size(); s++) {
                    SearchRequest r = request("warm", warmup.get(q), specs.get(s), q, s);
                    off.solve(r);
                    on.solve(r);
                }
            }
            System.out.printf(Locale.ROOT, "warm-up: %d questions x %d strategies per path in %.0f s%n", warmup.size(),
                    specs.size(), (System.nanoTime() - t0) / 1e9);
            List<Row> rows = new ArrayList<>();
            for (int s = 0; s < specs.size(); s++) {
                rows.add(new Row(specs.get(s), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                        new ArrayList<>()));
            }
            for (int q = 0; q < measured.size(); q++) {
                for (int s = 0; s < specs.size(); s++) {
                    SearchRequest r = request("m", measured.get(q), specs.get(s), q, s);
                    boolean offFirst = (q + s) % 2 == 0;
                    Timed first = timed(offFirst ? off : on, r);
                    Timed second = timed(offFirst ? on : off, r);
                    Timed a = offFirst ? first : second;
                    Timed b = offFirst ? second : first;
                    Row row = rows.get(s);
                    row.offNanos().add(a.outcome().wallNanos());
                    row.onNanos().add(b.outcome().wallNanos());
                    row.offVerifierMs().add(a.verifierMs());
                    row.onVerifierMs().add(b.verifierMs());
                    row.sameSearches().add(a.outcome().sameSearchAs(b.outcome()));
                }
                System.out.printf(Locale.ROOT, "question %d/%d%n", q + 1, measured.size());
            }
            write(rows);
        }
        return 0;
    }

    private record Timed(SearchOutcome outcome, double verifierMs) {
    }

    private static Timed timed(LibraryPath path, SearchRequest request) {
        ServiceTime before = path.modelTime();
        SearchOutcome outcome = path.solve(request);
        if (outcome.failed()) {
            throw new IllegalStateException(request.strategy() + " failed on " + request.question() + ": "
                    + outcome.stopDetail());
        }
        return new Timed(outcome, path.modelTime().minus(before).verifierMs());
    }

    private SearchRequest request(String phase, Question q, MethodSpec strategy, int question, int strategyIndex) {
        long searchSeed = seed + 1000L * question + strategyIndex;
        return new SearchRequest("ahead-" + phase + "-" + strategy.name() + "-" + q.id(), q.question(), strategy, List.of(),
                BUDGET, new SamplingParams(null, null, null, searchSeed, 0), "", Aggregation.LAST);
    }

    private void write(List<Row> rows) throws Exception {
        Files.createDirectories(out);
        String command = "java -XX:CompileThresholdScaling=0.1 --enable-native-access=ALL-UNNAMED -jar bench/target/tts-bench.jar "
                + "score-ahead --n " + n + " --questions " + questions + " --warmup-questions " + warmupQuestions
                + " --threads " + threads + (only == null ? "" : " --strategies " + String.join(",", only));
        StringBuilder md = new StringBuilder("# Scoring ahead: on vs off, in-process, side by side\n\n");
        md.append("Two library paths in one JVM (the engines configured as the services are, each with its own verifier "
                + "cache), one scoring ahead (`SearchSettings.scoreAhead`) and one not; the same question and seed on both, "
                + "alternating which goes first; searches one at a time. Every verifier-guided strategy at N = ")
                .append(n).append(", each with its own seeds (the test-bed model still samples many of the same steps for "
                        + "a question, which the verifier's cache answers for the strategies after the first, on both paths "
                        + "alike). ").append(warmupQuestions).append(" other questions warm both paths first.\n\n");
        md.append("Command (from the repository root):\n\n```\n").append(command).append("\n```\n\n");
        md.append("- Run ").append(Instant.now()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.vm.version")).append("\n\n");
        md.append("| strategy | params | questions | off mean ms | on mean ms | on / off, means | on / off, median of "
                + "per-question ratios | verifier model ms per search, off / on | same search |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        ObjectNode json = BenchJson.MAPPER.createObjectNode();
        json.put("benchmark", "score-ahead");
        json.put("command", command);
        json.put("n", n);
        ArrayNode list = json.putArray("strategies");
        double offTotal = 0;
        double onTotal = 0;
        for (Row r : rows) {
            LatencyStats a = LatencyStats.ofNanos(r.offNanos());
            LatencyStats b = LatencyStats.ofNanos(r.onNanos());
            offTotal += a.meanMs();
            onTotal += b.meanMs();
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | **%.3fx** | %.3fx | %.1f / %.1f | %d/%d |\n",
                    r.spec().name(), r.spec().params(), a.count(), a.meanMs(), b.meanMs(), r.ratioOfMeans(),
                    r.medianPairedRatio(), Row.mean(r.offVerifierMs()), Row.mean(r.onVerifierMs()), r.sameSearch(), a.count()));
            ObjectNode o = list.addObject();
            o.put("strategy", r.spec().name());
            o.put("questions", a.count());
            o.put("off_mean_ms", a.meanMs());
            o.put("on_mean_ms", b.meanMs());
            o.put("off_p50_ms", a.p50Ms());
            o.put("on_p50_ms", b.p50Ms());
            o.put("ratio_of_means", r.ratioOfMeans());
            o.put("median_paired_ratio", r.medianPairedRatio());
            o.put("off_verifier_model_ms", Row.mean(r.offVerifierMs()));
            o.put("on_verifier_model_ms", Row.mean(r.onVerifierMs()));
            o.put("same_search", r.sameSearch());
        }
        md.append(String.format(Locale.ROOT, "| **all** | | | %.1f | %.1f | **%.3fx** | | | |\n", offTotal, onTotal,
                onTotal / offTotal));
        json.put("ratio_of_summed_means", onTotal / offTotal);
        Files.writeString(out.resolve("score-ahead.md"), md);
        BenchJson.PRETTY.writeValue(out.resolve("score-ahead.json").toFile(), json);
        System.out.println("wrote " + out.resolve("score-ahead.md") + " and .json");
    }
}
