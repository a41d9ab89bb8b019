package io.ttsmesh.bench.generator;

import io.ttsmesh.bench.BenchJson;
import io.ttsmesh.runtime.ModelDirectory;
import io.ttsmesh.runtime.TextTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tts-bench generator}: decode throughput and time to first step of the generator at several
 * numbers of concurrent branches, for the service over gRPC, the same engine in-process, a raw ONNX
 * Runtime loop and the PyTorch eager reference, measured side by side (interleaved, repeated) in one run.
 */
@Command(name = "generator", mixinStandardHelpOptions = true,
        description = "Benchmarks the generator: service over gRPC vs raw ONNX Runtime loop vs PyTorch eager reference.")
public class GeneratorBenchmark implements Callable<Integer> {

    @Option(names = "--branches", split = ",", description = "Concurrent branches (default: ${DEFAULT-VALUE}).")
    int[] branches = {1, 16, 64, 256};

    @Option(names = "--tokens", description = "Tokens each branch generates in the timed decode (default: ${DEFAULT-VALUE}).")
    int tokens = 128;

    @Option(names = "--repeats", description = "Runs per path and batch size; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--threads", description = "Threads per model run for every path (default: the machine's cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--repo", description = "Repository root (default: ${DEFAULT-VALUE}).")
    Path repo = Path.of(".");

    @Option(names = "--model", description = "Generator model directory (default: <repo>/models/generator).")
    Path model;

    @Option(names = "--service-jar", description = "Built service (default: <repo>/generator-service/app/target/quarkus-app/quarkus-run.jar).")
    Path serviceJar;

    @Option(names = "--python", description = "Python with PyTorch and onnx (default: ${DEFAULT-VALUE}).")
    String python = "/usr/bin/python3";

    @Option(names = "--out", description = "Results folder (default: <repo>/bench/results).")
    Path out;

    @Option(names = "--prompt", description = "Prompt of every branch (default: a held-out test-bed question).")
    String prompt = "Q: 8*(8*(51-13))\n";

    private static final String SERVICE = "service";
    private static final String LIBRARY = "library";
    private static final String RAW = "raw";
    private static final String TORCH = "torch";

    @Override
    public Integer call() throws Exception {
        Path modelDir = model != null ? model : repo.resolve("models/generator");
        Path jar = serviceJar != null ? serviceJar : repo.resolve("generator-service/app/target/quarkus-app/quarkus-run.jar");
        Path results = out != null ? out : repo.resolve("bench/results");
        Files.createDirectories(results);
        ModelDirectory directory = ModelDirectory.open(modelDir);
        DecodePath.Workload workload;
        try (TextTokenizer tokenizer = directory.loadTokenizer()) {
            int[] promptTokens = Arrays.stream(tokenizer.encode(prompt)).mapToInt(Math::toIntExact).toArray();
            String delimiter = directory.config().raw().path("step_delimiter").asText("\n");
            long[] delimiterTokens = tokenizer.encode(delimiter);
            workload = new DecodePath.Workload(prompt, promptTokens, tokens, 64, (int) delimiterTokens[delimiterTokens.length - 1],
                    directory.config().eosTokenIds().stream().mapToInt(Integer::intValue).toArray(), 0.8f, 1234);
        }
        Path logs = Files.createTempDirectory("tts-bench-generator");
        System.out.printf("generator benchmark: branches %s, %d tokens each, %d repeats, %d threads, logs in %s%n",
                Arrays.toString(branches), tokens, repeats, threads, logs);

        Map<String, DecodePath> paths = new LinkedHashMap<>();
        String torchVersion;
        boolean sameWeights;
        try {
            paths.put(SERVICE, new ServiceOverGrpc(jar, modelDir, threads, logs.resolve("service.log")));
            paths.put(LIBRARY, new LibraryEngine(modelDir, threads));
            RawOnnxLoop raw = new RawOnnxLoop(modelDir, threads);
            paths.put(RAW, raw);
            PyTorchReference torch = new PyTorchReference(python, repo, modelDir, threads, logs.resolve("torch.log"));
            paths.put(TORCH, torch);
            torchVersion = torch.torchVersion();
            sameWeights = Arrays.equals(raw.greedy(workload.promptTokens(), 40), torch.greedy(workload.promptTokens(), 40));
            System.out.println("PyTorch reference decodes greedily like the ONNX graph: " + sameWeights);

            Map<String, Map<Integer, List<Measurement>>> runs = new LinkedHashMap<>();
            List<double[]> loads = new ArrayList<>();
            for (int n : branches) {
                for (DecodePath path : paths.values()) {
                    path.run(workload, n); // warm-up at this size (JIT, buffers), not counted
                }
                for (int r = 0; r < repeats; r++) {
                    for (Map.Entry<String, DecodePath> path : paths.entrySet()) {
                        double before = LoadAverage.now();
                        Measurement m = path.getValue().run(workload, n);
                        double after = LoadAverage.now();
                        loads.add(new double[] {before, after});
                        runs.computeIfAbsent(path.getKey(), k -> new LinkedHashMap<>()).computeIfAbsent(n, k -> new ArrayList<>()).add(m);
                        System.out.printf(Locale.ROOT, "  %-8s %4d branches: %9.0f tokens/s, %9.0f tokens/CPU-s, first step %8.1f ms"
                                + " (load %.2f)%n", path.getKey(), n, m.tokensPerSecond(), m.tokensPerCpuSecond(), m.ttfsMillis(), after);
                    }
                }
            }
            Report report = new Report(workload, branches, repeats, threads, torchVersion, sameWeights, runs, loads, commandLine());
            report.print();
            report.write(results.resolve("generator-throughput.md"), results.resolve("generator-throughput.json"));
            System.out.println("wrote " + results.resolve("generator-throughput.md") + " and .json");
            return 0;
        } finally {
            for (DecodePath path : paths.values()) {
                path.close();
            }
        }
    }

    private String commandLine() {
        return "java --enable-native-access=ALL-UNNAMED -jar bench/target/tts-bench.jar generator --branches "
                + String.join(",", Arrays.stream(branches).mapToObj(String::valueOf).toList()) + " --tokens " + tokens
                + " --repeats " + repeats + " --threads " + threads;
    }

    /** The 1-minute load average (the machine is shared: results are read against it). */
    static final class LoadAverage {
        static double now() {
            try {
                return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            } catch (Exception e) {
                return Double.NaN;
            }
        }
    }

    /** Medians, ratios against the goals, and the files. */
    record Report(DecodePath.Workload workload, int[] branches, int repeats, int threads, String torchVersion,
                  boolean sameWeights, Map<String, Map<Integer, List<Measurement>>> runs, List<double[]> loads,
                  String command) {

        double throughput(String path, int n) {
            return median(runs.get(path).get(n).stream().mapToDouble(Measurement::tokensPerSecond).toArray());
        }

        double perCpuSecond(String path, int n) {
            return median(runs.get(path).get(n).stream().mapToDouble(Measurement::tokensPerCpuSecond).toArray());
        }

        double ttfs(String path, int n) {
            return median(runs.get(path).get(n).stream().mapToDouble(Measurement::ttfsMillis).toArray());
        }

        static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int m = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
        }

        boolean has(int n) {
            return Arrays.stream(branches).anyMatch(b -> b == n);
        }

        List<String> goals() {
            List<String> goals = new ArrayList<>();
            if (has(64)) {
                goals.add(goal("service / raw ONNX Runtime at 64 branches", throughput(SERVICE, 64) / throughput(RAW, 64),
                        perCpuSecond(SERVICE, 64) / perCpuSecond(RAW, 64), 0.8));
                goals.add(goal("service / PyTorch eager at 64 branches", throughput(SERVICE, 64) / throughput(TORCH, 64),
                        perCpuSecond(SERVICE, 64) / perCpuSecond(TORCH, 64), 2));
                if (has(1)) {
                    goals.add(goal("service at 64 branches / at 1", throughput(SERVICE, 64) / throughput(SERVICE, 1),
                            perCpuSecond(SERVICE, 64) / perCpuSecond(SERVICE, 1), 8));
                    goals.add(String.format(Locale.ROOT, "for comparison, 64 branches / 1 of the raw ONNX Runtime loop: %.2f "
                                    + "wall-clock, %.2f per CPU-second; of PyTorch eager: %.2f, %.2f",
                            throughput(RAW, 64) / throughput(RAW, 1), perCpuSecond(RAW, 64) / perCpuSecond(RAW, 1),
                            throughput(TORCH, 64) / throughput(TORCH, 1), perCpuSecond(TORCH, 64) / perCpuSecond(TORCH, 1)));
                }
            }
            return goals;
        }

        private static String goal(String what, double wall, double cpu, double target) {
            return String.format(Locale.ROOT, "%s: %.2f wall-clock, %.2f per CPU-second (goal >= %s): %s", what, wall, cpu,
                    target == (int) target ? String.valueOf((int) target) : String.valueOf(target),
                    wall >= target ? "MET" : cpu >= target ? "met per CPU-second only" : "NOT MET");
        }

        String markdown() {
            StringBuilder md = new StringBuilder();
            md.append("# Generator benchmark: throughput and time to first step\n\n");
            md.append("Command (from the repository root, after `./mvnw -B -q -pl bench,generator-service/app -am package -DskipTests`):\n\n");
            md.append("```\n").append(command).append("\n```\n\n");
            md.append(String.format(Locale.ROOT, "Workload: N concurrent branches of the prompt `%s` (%d tokens) on the bundled "
                    + "test-bed generator; each path first decodes until every branch has completed its first step (time to first "
                    + "step = from the request to the first completed step), then exactly %d more tokens per branch with EOS "
                    + "suppressed (throughput = generated tokens / seconds of that decode). Sampling at temperature %.1f. "
                    + "%d threads per model run on every path, median of %d interleaved runs after one warm-up run per path "
                    + "and size. PyTorch %s. "
                    + "The PyTorch reference runs the ONNX graph's own weights (greedy decoding identical: %s).%n%n",
                    workload.prompt().replace("\n", "\\n"), workload.promptTokens().length,
                    workload.tokens(), workload.temperature(), threads, repeats, torchVersion, sameWeights));
            md.append("Generated tokens per second (wall clock):\n\n");
            md.append("| branches | (a) service, gRPC | engine in-process | (b) raw ORT loop | (c) PyTorch eager "
                    + "| (a)/(b) | (a)/(c) | first step ms (a) / in-process / (b) / (c) |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (int n : branches) {
                md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f | %.1f / %.1f / %.1f / %.1f |%n",
                        n, throughput(SERVICE, n), throughput(LIBRARY, n), throughput(RAW, n), throughput(TORCH, n),
                        throughput(SERVICE, n) / throughput(RAW, n), throughput(SERVICE, n) / throughput(TORCH, n),
                        ttfs(SERVICE, n), ttfs(LIBRARY, n), ttfs(RAW, n), ttfs(TORCH, n)));
            }
            md.append("\nGenerated tokens per CPU-second of the decoding process (the service process, the benchmark's JVM, "
                    + "the Python process; time spent waiting for a core on the shared machine is not counted):\n\n");
            md.append("| branches | (a) service, gRPC | engine in-process | (b) raw ORT loop | (c) PyTorch eager | (a)/(b) | (a)/(c) |\n");
            md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int n : branches) {
                md.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f |%n", n,
                        perCpuSecond(SERVICE, n), perCpuSecond(LIBRARY, n), perCpuSecond(RAW, n), perCpuSecond(TORCH, n),
                        perCpuSecond(SERVICE, n) / perCpuSecond(RAW, n), perCpuSecond(SERVICE, n) / perCpuSecond(TORCH, n)));
            }
            md.append("\nGoals:\n\n");
            goals().forEach(g -> md.append("- ").append(g).append('\n'));
            DoubleSummary load = DoubleSummary.of(loads);
            md.append(String.format(Locale.ROOT, "%nMachine: %d cores, shared; 1-minute load average during the runs %.1f to %.1f "
                    + "(mean %.1f). Results taken on a loaded machine are noisy: compare paths within a row (they ran "
                    + "interleaved), not across runs.%n", Runtime.getRuntime().availableProcessors(), load.min, load.max, load.mean));
            md.append("\nRun at ").append(Instant.now()).append(". No GPU in this environment: all paths on the CPU.\n");
            return md.toString();
        }

        void print() {
            System.out.println();
            System.out.println(markdown());
        }

        void write(Path markdownFile, Path jsonFile) throws Exception {
            Files.writeString(markdownFile, markdown());
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("command", command);
            json.put("prompt", workload.prompt());
            json.put("prompt_tokens", workload.promptTokens().length);
            json.put("tokens_per_branch", workload.tokens());
            json.put("temperature", workload.temperature());
            json.put("threads", threads);
            json.put("repeats", repeats);
            json.put("cores", Runtime.getRuntime().availableProcessors());
            json.put("torch", torchVersion);
            json.put("torch_matches_onnx_greedy", sameWeights);
            json.put("load_average_1m", loads);
            Map<String, Object> medians = new LinkedHashMap<>();
            for (String path : runs.keySet()) {
                Map<String, Object> byN = new LinkedHashMap<>();
                for (int n : branches) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("tokens_per_second", throughput(path, n));
                    m.put("tokens_per_cpu_second", perCpuSecond(path, n));
                    m.put("time_to_first_step_ms", ttfs(path, n));
                    m.put("runs", runs.get(path).get(n));
                    byN.put(String.valueOf(n), m);
                }
                medians.put(path, byN);
            }
            json.put("paths", medians);
            json.put("goals", goals());
            json.put("at", Instant.now().toString());
            BenchJson.PRETTY.writeValue(jsonFile.toFile(), json);
        }
    }

    record DoubleSummary(double min, double max, double mean) {
        static DoubleSummary of(List<double[]> pairs) {
            double[] all = pairs.stream().flatMapToDouble(Arrays::stream).filter(d -> !Double.isNaN(d)).toArray();
            return new DoubleSummary(Arrays.stream(all).min().orElse(Double.NaN), Arrays.stream(all).max().orElse(Double.NaN),
                    Arrays.stream(all).average().orElse(Double.NaN));
        }
    }
}
