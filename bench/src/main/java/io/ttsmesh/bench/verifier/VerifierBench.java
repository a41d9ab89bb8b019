package io.ttsmesh.bench.verifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.runtime.BundledModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code tts-bench verifier}: the verifier service's throughput, measured through gRPC on loopback against
 * the real service (the Quarkus jar, started once per configuration), side by side in one run:
 * <ul>
 * <li>micro-batching on vs off: candidates scored per second at 1, 8, 32 and 128 concurrent callers, each
 *     call one full held-out sample (a search scoring one branch), prefix cache off in both;</li>
 * <li>prefix cache on vs off on a beam-search-like workload: each caller extends 4 held-out samples of a
 *     question one step per call (4 candidates, newest step only), micro-batching on in both.</li>
 * </ul>
 * Writes {@code verifier-bench.md} and {@code verifier-bench.json} to the results folder.
 */
@Command(name = "verifier", mixinStandardHelpOptions = true,
        description = "Verifier throughput through gRPC: micro-batching on/off and prefix cache on/off, side by side.")
public class VerifierBench implements Callable<Integer> {

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

    @Option(names = "--seconds", description = "Measured seconds per point (after a warm-up). Default: ${DEFAULT-VALUE}")
    double seconds = 8;

    @Option(names = "--warmup", description = "Warm-up seconds per point. Default: ${DEFAULT-VALUE}")
    double warmup = 2;

    @Option(names = "--max-batch", description = "tts.verifier.batch.max-size when batching is on. Default: ${DEFAULT-VALUE}")
    int maxBatch = 64;

    @Option(names = "--max-wait-ms", description = "tts.verifier.batch.max-wait when batching is on. Default: ${DEFAULT-VALUE}")
    int maxWaitMs = 2;

    @Option(names = "--out", description = "Results folder. Default: ${DEFAULT-VALUE}")
    Path out = Path.of("bench/results");

    @Override
    public Integer call() throws Exception {
        Path modelsDir = models != null ? models : BundledModels.root();
        Workload work = Workload.load(modelsDir.resolve("eval/heldout-samples.jsonl"));
        System.out.printf("workload: %d samples of %d questions, %d beams of 4%n", work.samples().size(),
                work.questions(), work.beams().size());
        ServiceConfig batched = new ServiceConfig("batched", maxBatch, maxWaitMs, false);
        ServiceConfig unbatched = new ServiceConfig("unbatched", 1, 0, false);
        ServiceConfig cached = new ServiceConfig("batched+cache", maxBatch, maxWaitMs, true);

        List<Point> throughput = new ArrayList<>();
        Point beamNoCache;
        Point beamCache;
        try (ServiceProcess s = ServiceProcess.start(serviceJar, modelsDir.resolve("prm"), unbatched)) {
            for (int c : callers) {
                throughput.add(Load.singles(s, c, work, warmup, seconds));
            }
        }
        try (ServiceProcess s = ServiceProcess.start(serviceJar, modelsDir.resolve("prm"), batched)) {
            for (int c : callers) {
                throughput.add(Load.singles(s, c, work, warmup, seconds));
            }
            beamNoCache = Load.beams(s, beamCallers, work, warmup, seconds);
        }
        try (ServiceProcess s = ServiceProcess.start(serviceJar, modelsDir.resolve("prm"), cached)) {
            beamCache = Load.beams(s, beamCallers, work, warmup, seconds);
        }
        write(throughput, beamNoCache, beamCache, work);
        return 0;
    }

    private void write(List<Point> throughput, Point beamOff, Point beamOn, Workload work) throws Exception {
        Files.createDirectories(out);
        String when = Instant.now().toString();
        String command = "./mvnw -B -q -pl verifier-service/app,bench -am package -DskipTests && "
                + "java -jar bench/target/tts-bench.jar verifier" + (seconds != 8 ? " --seconds " + seconds : "");
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder md = new StringBuilder();
        md.append("# Verifier service throughput\n\n");
        md.append("Measured ").append(when).append(" on ").append(cores).append(" CPU cores (shared machine), ")
                .append("bundled PRM (").append(work.questions()).append(" held-out questions' generator samples), ")
                .append("through gRPC on loopback against the real service jar, one service process per ")
                .append("configuration, client in the same machine.\n\n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append("## Micro-batching on vs off\n\n");
        md.append("Each call scores one full sample (all steps); prefix cache off in both. On: max-size ")
                .append(maxBatch).append(", max-wait ").append(maxWaitMs).append(" ms. Off: max-size 1.\n\n");
        md.append("| callers | off: candidates/s | on: candidates/s | on/off | on: mean batch | off: p50 ms | on: p50 ms | on: p99 ms |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int c : callers) {
            Point off = find(throughput, "unbatched", c);
            Point on = find(throughput, "batched", c);
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.1f | **%.2fx** | %.1f | %.1f | %.1f | %.1f |%n",
                    c, off.rate(), on.rate(), on.rate() / off.rate(), on.meanBatch(), off.p50Ms(), on.p50Ms(),
                    on.p99Ms()));
        }
        md.append("\n## Prefix cache on vs off (beam-search-like)\n\n");
        md.append("Each of ").append(beamCallers).append(" callers extends 4 samples of a question one step per call ")
                .append("(4 candidates, newest step only) until they end, then takes the next question; ")
                .append("micro-batching on in both.\n\n");
        md.append("| cache | candidates/s | mean batch | p50 ms | p99 ms | lookups full/prefix/miss |\n");
        md.append("|---|---:|---:|---:|---:|---|\n");
        for (Point p : List.of(beamOff, beamOn)) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %s |%n",
                    p.config().cache() ? "on" : "off", p.rate(), p.meanBatch(), p.p50Ms(), p.p99Ms(), p.cacheLookups()));
        }
        md.append(String.format(Locale.ROOT, "%nCache on/off: **%.2fx**%n", beamOn.rate() / beamOff.rate()));
        Path mdFile = out.resolve("verifier-bench.md");
        Files.writeString(mdFile, md.toString());

        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("measured", when);
        root.put("command", command);
        root.put("cores", cores);
        root.put("transport", "gRPC loopback, service jar in its own JVM");
        root.put("questions", work.questions());
        ArrayNode tp = root.putArray("batching");
        for (int c : callers) {
            Point off = find(throughput, "unbatched", c);
            Point on = find(throughput, "batched", c);
            ObjectNode row = tp.addObject();
            row.put("callers", c);
            row.set("off", off.json(json));
            row.set("on", on.json(json));
            row.put("ratio", on.rate() / off.rate());
        }
        ObjectNode beam = root.putObject("beam_cache");
        beam.put("callers", beamCallers);
        beam.set("off", beamOff.json(json));
        beam.set("on", beamOn.json(json));
        beam.put("ratio", beamOn.rate() / beamOff.rate());
        Files.writeString(out.resolve("verifier-bench.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        System.out.println(md);
        System.out.println("written: " + mdFile.toAbsolutePath() + " and verifier-bench.json");
    }

    private static Point find(List<Point> points, String config, int callers) {
        return points.stream().filter(p -> p.config().name().equals(config) && p.callers() == callers).findFirst()
                .orElseThrow();
    }

    /** One measured point. */
    record Point(ServiceConfig config, String workload, int callers, long candidates, double seconds, double meanBatch,
                 double p50Ms, double p99Ms, String cacheLookups) {

        double rate() {
            return candidates / seconds;
        }

        JsonNode json(ObjectMapper m) {
            ObjectNode n = m.createObjectNode();
            n.put("service", config.name());
            n.put("max_batch", config.maxBatch());
            n.put("max_wait_ms", config.maxWaitMs());
            n.put("cache", config.cache());
            n.put("workload", workload);
            n.put("callers", callers);
            n.put("candidates", candidates);
            n.put("seconds", seconds);
            n.put("candidates_per_second", rate());
            n.put("mean_batch", meanBatch);
            n.put("p50_ms", p50Ms);
            n.put("p99_ms", p99Ms);
            n.put("cache_lookups_full_prefix_miss", cacheLookups);
            return n;
        }
    }

    /** How the service under test is configured. */
    record ServiceConfig(String name, int maxBatch, int maxWaitMs, boolean cache) {
    }
}
