package io.ttsmesh.bench.verifier;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.runtime.BundledModels;
import io.ttsmesh.verifier.batching.BatchSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code tts-bench verifier}: the verifier service's throughput, measured through gRPC on loopback against
 * the real service (the Quarkus jar in its own JVM, one per configuration), side by side in one run:
 * <ul>
 * <li>micro-batching on vs off at 1, 8, 32 and 128 concurrent callers, on two workloads: whole candidates
 *     (each call one full held-out sample, prefix cache off), and beam-like calls with the prefix cache on
 *     (the service's default);</li>
 * <li>prefix cache on vs off on the beam-like workload (each call adds one step to 4 scored prefixes of a
 *     question), micro-batching on.</li>
 * </ul>
 * Beside throughput it reports the service process's CPU time per candidate, which a shared machine's load
 * disturbs far less than wall-clock rates, and what the model alone allows (in-process, no service).
 * Writes {@code verifier-bench.md} and {@code verifier-bench.json} to the results folder.
 */
@Command(name = "verifier", mixinStandardHelpOptions = true,
        description = "Verifier throughput through gRPC: micro-batching on/off and prefix cache on/off, side by side.")
public class VerifierBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--service-jar", description = "The verifier service (build it with "
            + "./mvnw -pl verifier-service/app -am package -DskipTests). Default: ${DEFAULT-VALUE}")
    Path serviceJar = Path.of("verifier-service/app/target/quarkus-app/quarkus-run.jar");

    @Option(names = "--models", description = "The bundled models folder (default: found like the tests do).")
    Path models;

    @Option(names = "--callers", split = ",", description = "Concurrent callers for the batching comparison. "
            + "Default: ${DEFAULT-VALUE}")
    List<Integer> callers = List.of(1, 8, 32, 128);

    @Option(names = "--beam-callers", description = "Concurrent beams for the cache comparison. Default: ${DEFAULT-VALUE}")
    int beamCallers = 32;

    @Option(names = "--seconds", description = "Measured seconds per point, split over the rounds. Default: ${DEFAULT-VALUE}")
    double seconds = 9;

    @Option(names = "--warmup", description = "Warm-up seconds per window. Default: ${DEFAULT-VALUE}")
    double warmup = 1;

    @Option(names = "--rounds", description = "Windows per point, alternating with the configuration compared. "
            + "Default: ${DEFAULT-VALUE}")
    int rounds = 3;

    @Option(names = "--max-batch", description = "tts.verifier.batch.max-size when batching is on. Default: ${DEFAULT-VALUE}")
    int maxBatch = 64;

    @Option(names = "--max-wait-ms", description = "tts.verifier.batch.max-wait when batching is on. Default: ${DEFAULT-VALUE}")
    int maxWaitMs = 2;

    @Option(names = "--max-batch-tokens", description = "tts.verifier.batch.max-tokens when batching is on. "
            + "Default: ${DEFAULT-VALUE}")
    int maxBatchTokens = 512;

    @Option(names = "--intra-op-threads", description = "tts.verifier.model.intra-op-threads of every service "
            + "(0: ONNX Runtime decides). Default: ${DEFAULT-VALUE}")
    int intraOpThreads = 1;

    @Option(names = "--out", description = "Results folder. Default: ${DEFAULT-VALUE}")
    Path out = Path.of("bench/results");

    /** How the service under test is configured. */
    record ServiceConfig(String name, int maxBatch, int maxWaitMs, int maxTokens, boolean cache) {
    }

    /** One measured point. */
    record Point(ServiceConfig config, String workload, int callers, long candidates, double seconds, double meanBatch,
                 double p50Ms, double p99Ms, String cacheLookups, double cpuMsPerCandidate) {

        double rate() {
            return candidates / seconds;
        }

        JsonNode json(ObjectMapper m) {
            ObjectNode n = m.createObjectNode();
            n.put("service", config.name());
            n.put("max_batch", config.maxBatch());
            n.put("max_wait_ms", config.maxWaitMs());
            n.put("max_tokens", config.maxTokens());
            n.put("cache", config.cache());
            n.put("workload", workload);
            n.put("callers", callers);
            n.put("candidates", candidates);
            n.put("seconds", seconds);
            n.put("candidates_per_second", rate());
            n.put("service_cpu_ms_per_candidate", cpuMsPerCandidate);
            n.put("mean_batch", meanBatch);
            n.put("p50_ms", p50Ms);
            n.put("p99_ms", p99Ms);
            n.put("cache_lookups_full_prefix_miss", cacheLookups);
            return n;
        }
    }

    /** Two configurations measured in alternating windows. */
    record Pair(Point off, Point on) {
        double ratio() {
            return on.rate() / off.rate();
        }

        double cpuRatio() {
            return off.cpuMsPerCandidate() / on.cpuMsPerCandidate();
        }
    }

    /** A service under test and the beams it has been sent (none twice, so no call is a repeat). */
    private record Subject(VerifierUnderTest service, AtomicInteger beams) {
    }

    @Override
    public Integer call() throws Exception {
        Path modelsDir = models != null ? models : BundledModels.root();
        Path prm = modelsDir.resolve("prm");
        Workload work = Workload.load(modelsDir.resolve("eval/heldout-samples.jsonl"));
        System.out.printf("workload: %d samples of %d questions, %d beams of %d%n", work.samples().size(),
                work.questions(), work.beams().size(), Workload.BEAM_WIDTH);

        System.out.println("model alone, in-process ...");
        ModelCeiling.Result ceiling = ModelCeiling.measure(prm, work, Math.max(1, intraOpThreads), seconds,
                BatchSettings.DEFAULTS.maxPadding(), maxBatchTokens);

        ServiceConfig plain = new ServiceConfig("unbatched", 1, 0, 0, false);
        ServiceConfig batched = new ServiceConfig("batched", maxBatch, maxWaitMs, maxBatchTokens, false);
        ServiceConfig cached = new ServiceConfig("unbatched+cache", 1, 0, 0, true);
        ServiceConfig both = new ServiceConfig("batched+cache", maxBatch, maxWaitMs, maxBatchTokens, true);
        List<Pair> wholeCandidates = new ArrayList<>();
        List<Pair> beamsWithCache = new ArrayList<>();
        Pair cache;
        // All services run at once and the configurations compared take turns window by window, so that the
        // load of a shared machine drifts over both sides of every ratio alike.
        try (VerifierUnderTest a = VerifierUnderTest.start(serviceJar, prm, plain, intraOpThreads);
             VerifierUnderTest b = VerifierUnderTest.start(serviceJar, prm, batched, intraOpThreads);
             VerifierUnderTest c = VerifierUnderTest.start(serviceJar, prm, cached, intraOpThreads);
             VerifierUnderTest d = VerifierUnderTest.start(serviceJar, prm, both, intraOpThreads)) {
            Subject unbatchedNoCache = new Subject(a, new AtomicInteger());
            Subject batchedNoCache = new Subject(b, new AtomicInteger());
            Subject unbatchedCache = new Subject(c, new AtomicInteger());
            Subject batchedCache = new Subject(d, new AtomicInteger());
            for (int n : callers) {
                wholeCandidates.add(compare(work, "single", n, unbatchedNoCache, batchedNoCache));
            }
            for (int n : callers) {
                beamsWithCache.add(compare(work, "beam", n, unbatchedCache, batchedCache));
            }
            cache = compare(work, "beam", beamCallers, batchedNoCache, batchedCache);
        }
        write(wholeCandidates, beamsWithCache, cache, ceiling, work);
        return 0;
    }

    private Pair compare(Workload work, String workload, int n, Subject off, Subject on) throws Exception {
        double window = seconds / rounds;
        List<Load.Measurement> a = new ArrayList<>();
        List<Load.Measurement> b = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            a.add(measure(work, workload, n, off, window));
            b.add(measure(work, workload, n, on, window));
        }
        return new Pair(Load.merge(off.service().config, workload, n, a), Load.merge(on.service().config, workload, n, b));
    }

    private Load.Measurement measure(Workload work, String workload, int n, Subject s, double window) throws Exception {
        return workload.equals("single") ? Load.singles(s.service(), n, work, warmup, window)
                : Load.beams(s.service(), n, work, s.beams(), warmup, window);
    }

    private void write(List<Pair> whole, List<Pair> beams, Pair cache, ModelCeiling.Result ceiling, Workload work)
            throws Exception {
        Files.createDirectories(out);
        String when = Instant.now().toString();
        String command = "./mvnw -B -q -pl verifier-service/app,bench -am package -DskipTests && "
                + "java --enable-native-access=ALL-UNNAMED -jar bench/target/tts-bench.jar "
                + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        int cores = Runtime.getRuntime().availableProcessors();
        String load = loadAverage();
        StringBuilder md = new StringBuilder();
        md.append("# Verifier service throughput\n\n");
        md.append("Measured ").append(when).append(" on ").append(cores).append(" CPU cores shared with other work ")
                .append("(load average ").append(load).append(" at the end), with the bundled PRM on the training ")
                .append("script's generator samples of ").append(work.questions()).append(" held-out questions. ")
                .append("Through gRPC on loopback against the real service jar, one JVM per configuration, all ")
                .append("running at once; each point is ").append(rounds).append(" windows of ")
                .append(String.format(Locale.ROOT, "%.1f", seconds / rounds)).append(" s (after ").append(warmup)
                .append(" s warm-up each) taken in turns with the configuration it is compared with. ONNX Runtime ")
                .append(intraOpThreads).append(" intra-op thread(s) per service; on: max-size ").append(maxBatch)
                .append(", max-wait ").append(maxWaitMs).append(" ms, max-tokens ").append(maxBatchTokens)
                .append("; off: max-size 1. CPU ms/cand. is the service ")
                .append("process's CPU time per candidate scored, less disturbed by the shared machine than rates.\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append("Reading it: when the load average is well above the cores, a service's rate mostly shows how the ")
                .append("OS shares the CPU among processes (a JVM whose worker waits, e.g. for batch companions or ")
                .append("for the next calls, loses its turn), so rates swing from run to run; the CPU columns show ")
                .append("what a candidate costs the service, and the last table what the model allows on this CPU ")
                .append("at all. On a dedicated machine the rates follow the CPU columns.\n\n");

        md.append("## Micro-batching on vs off: whole candidates\n\n");
        md.append("Each call scores one full sample (all its steps); prefix cache off in both.\n\n");
        table(md, whole);
        md.append("\n## Micro-batching on vs off: beam-like calls, prefix cache on\n\n");
        md.append("Each caller extends ").append(Workload.BEAM_WIDTH).append(" samples of a question one step per call ")
                .append("(").append(Workload.BEAM_WIDTH).append(" candidates, newest step only) until they end, then ")
                .append("takes the next question; prefix cache on in both (the service's default).\n\n");
        table(md, beams);
        md.append("\n## Prefix cache on vs off: beam-like calls, micro-batching on\n\n");
        md.append("| cache | candidates/s | CPU ms/cand. | mean batch | p50 ms | p99 ms | lookups full/prefix/miss |\n");
        md.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (Point p : List.of(cache.off(), cache.on())) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.1f | %.1f | %.1f | %s |%n",
                    p.config().cache() ? "on" : "off", p.rate(), p.cpuMsPerCandidate(), p.meanBatch(), p.p50Ms(),
                    p.p99Ms(), p.cacheLookups()));
        }
        md.append(String.format(Locale.ROOT, "%nCache on/off at %d callers: **%.2fx** candidates/s, **%.2fx** less "
                + "service CPU per candidate.%n", beamCallers, cache.ratio(), cache.cpuRatio()));

        md.append("\n## What the model alone allows here\n\n");
        md.append("In-process, model time only (no gRPC, queue or cache bookkeeping), the samples the services are sent, ")
                .append("the cases taking turns in blocks of 128 candidates whose first run is not timed (it pays for the ")
                .append("caches the case before left, which a service running one case all along does not); CPU is the ")
                .append("measuring thread's (ONNX Runtime computes on it with one intra-op thread), comparable with the ")
                .append("services' CPU per candidate above.\n\n");
        md.append("| candidates per run | whole candidate, ms each | vs 1 | CPU ms each | vs 1 |\n|---|---:|---:|---:|---:|\n");
        for (int i = 0; i < ceiling.sizes().length; i++) {
            md.append(String.format(Locale.ROOT, "| %d | %.2f | %.2fx | %.2f | %.2fx |%n", ceiling.sizes()[i],
                    ceiling.msPerCandidate()[i], ceiling.msPerCandidate()[0] / ceiling.msPerCandidate()[i],
                    ceiling.cpuMsPerCandidate()[i], ceiling.cpuMsPerCandidate()[0] / ceiling.cpuMsPerCandidate()[i]));
        }
        md.append(String.format(Locale.ROOT, "| 32 gathered, cut as the service cuts them (max-padding %s, max-tokens %d): "
                        + "%.1f per run | %.2f | %.2fx | %.2f | %.2fx |%n", BatchSettings.DEFAULTS.maxPadding(), maxBatchTokens,
                ceiling.cutRunSize(), ceiling.cutMs(), ceiling.msPerCandidate()[0] / ceiling.cutMs(), ceiling.cutCpuMs(),
                ceiling.cpuMsPerCandidate()[0] / ceiling.cutCpuMs()));
        md.append(String.format(Locale.ROOT, "%nNewest step of a candidate, 32 per run: the whole candidate %.2f ms, the "
                + "newest step on the cached past of the others %.2f ms each (%.2fx).%n", ceiling.fullMs(),
                ceiling.pastMs(), ceiling.fullMs() / ceiling.pastMs()));
        Path mdFile = out.resolve("verifier-bench.md");
        Files.writeString(mdFile, md.toString());

        ObjectMapper json = BenchJson.MAPPER;
        ObjectNode root = json.createObjectNode();
        root.put("measured", when);
        root.put("command", command);
        root.put("cores", cores);
        root.put("load_average_1m_at_end", load);
        root.put("transport", "gRPC loopback, service jar in its own JVM");
        root.put("questions", work.questions());
        root.put("intra_op_threads", intraOpThreads);
        root.set("batching_whole_candidates", pairs(json, whole));
        root.set("batching_beam_with_cache", pairs(json, beams));
        ObjectNode c = root.putObject("cache_beam_batched");
        c.set("off", cache.off().json(json));
        c.set("on", cache.on().json(json));
        c.put("ratio", cache.ratio());
        c.put("cpu_ratio", cache.cpuRatio());
        ObjectNode model = root.putObject("model_alone");
        ArrayNode perSize = model.putArray("whole_candidate_ms_by_batch");
        for (int i = 0; i < ceiling.sizes().length; i++) {
            ObjectNode row = perSize.addObject();
            row.put("batch", ceiling.sizes()[i]);
            row.put("ms_per_candidate", ceiling.msPerCandidate()[i]);
            row.put("cpu_ms_per_candidate", ceiling.cpuMsPerCandidate()[i]);
        }
        ObjectNode cut = model.putObject("whole_candidates_cut_as_the_service_cuts_32");
        cut.put("candidates_per_run", ceiling.cutRunSize());
        cut.put("ms_per_candidate", ceiling.cutMs());
        cut.put("cpu_ms_per_candidate", ceiling.cutCpuMs());
        model.put("newest_step_whole_ms", ceiling.fullMs());
        model.put("newest_step_on_past_ms", ceiling.pastMs());
        Files.writeString(out.resolve("verifier-bench.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        System.out.println(md);
        System.out.println("written: " + mdFile.toAbsolutePath() + " and verifier-bench.json");
    }

    private static void table(StringBuilder md, List<Pair> pairs) {
        md.append("| callers | off: cand./s | on: cand./s | **on/off** | off: CPU ms/cand. | on: CPU ms/cand. "
                + "| **CPU off/on** | on: mean batch | off: p50 ms | on: p50 ms | on: p99 ms |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Pair p : pairs) {
            md.append(String.format(Locale.ROOT,
                    "| %d | %.1f | %.1f | **%.2fx** | %.2f | %.2f | **%.2fx** | %.1f | %.1f | %.1f | %.1f |%n",
                    p.on().callers(), p.off().rate(), p.on().rate(), p.ratio(), p.off().cpuMsPerCandidate(),
                    p.on().cpuMsPerCandidate(), p.cpuRatio(), p.on().meanBatch(), p.off().p50Ms(), p.on().p50Ms(),
                    p.on().p99Ms()));
        }
    }

    private static ArrayNode pairs(ObjectMapper json, List<Pair> pairs) {
        ArrayNode out = json.createArrayNode();
        for (Pair p : pairs) {
            ObjectNode row = out.addObject();
            row.put("callers", p.on().callers());
            row.set("off", p.off().json(json));
            row.set("on", p.on().json(json));
            row.put("ratio", p.ratio());
            row.put("cpu_ratio", p.cpuRatio());
        }
        return out;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", 4)[0] + " (1 min)";
        } catch (Exception e) {
            return "unknown";
        }
    }
}
