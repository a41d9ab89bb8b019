package io.ttsmesh.mesh.soak;

import io.ttsmesh.mesh.MeshOptions;
import io.ttsmesh.mesh.SearchSpec;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.questions.Question;
import io.ttsmesh.mesh.questions.QuestionFile;
import io.ttsmesh.proto.orchestrator.Detail;
import io.ttsmesh.task.TaskRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code tts-mesh soak}: the local mesh (broker, generator, verifier, orchestrator as child JVMs) under a steady
 * Kafka load for a long time, sampled every few seconds, to see whether anything drifts. First it measures the
 * mesh's capacity with the same mix of strategies (a closed loop keeping the orchestrator's Kafka consumer full),
 * then sends requests as a Poisson stream at a fraction of it, then stops sending and watches the mesh go idle.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Soak test: drives the local mesh through Kafka at a fraction of its measured capacity with a mix "
                + "of strategies, samples memory, live branches, KV bytes, sessions, queues, consumer lag and latency, "
                + "and writes CSV/JSON, plots and a verdict (RSS slope after warm-up, live branches back to 0 when idle). "
                + "Starts its own mesh."})
public class SoakCommand implements Callable<Integer> {

    @Option(names = "--minutes", defaultValue = "30", description = "length of the load phase (default: ${DEFAULT-VALUE})")
    double minutes;
    @Option(names = "--warmup-minutes", defaultValue = "5", description = "start of the load phase left out of the slopes (default: ${DEFAULT-VALUE})")
    double warmupMinutes;
    @Option(names = "--load", defaultValue = "0.7", description = "request rate as a fraction of the measured capacity (default: ${DEFAULT-VALUE})")
    double loadFraction;
    @Option(names = "--capacity-seconds", defaultValue = "60", description = "capacity measurement window (default: ${DEFAULT-VALUE})")
    int capacitySeconds;
    @Option(names = "--capacity-warmup-seconds", defaultValue = "20", description = "closed-loop warm-up before the window (default: ${DEFAULT-VALUE})")
    int capacityWarmupSeconds;
    @Option(names = "--capacity-outstanding", defaultValue = "16", description = "requests kept outstanding while measuring "
            + "capacity (twice the orchestrator's Kafka max-in-flight, 8) (default: ${DEFAULT-VALUE})")
    int capacityOutstanding;
    @Option(names = "--sample-seconds", defaultValue = "10", description = "sampling interval (default: ${DEFAULT-VALUE})")
    int sampleSeconds;
    @Option(names = "--idle-seconds", defaultValue = "60", description = "sampling after the last result, no load (default: ${DEFAULT-VALUE})")
    int idleSeconds;
    @Option(names = "--mix", split = ",", defaultValue = "beam_search:n=8,best_of_n:n=8,weighted_best_of_n:n=8,self_consistency:n=8,"
            + "dvts:n=8,mcts:iterations=8,best_first:max_expansions=8",
            description = "strategies drawn at random per request, strategy[:param=value...] (default: ${DEFAULT-VALUE})")
    List<String> mix;
    @Option(names = "--max-tokens", defaultValue = "4096", description = "token budget per question (default: ${DEFAULT-VALUE})")
    long maxTokens;
    @Option(names = "--max-verifier-calls", defaultValue = "256", description = "(default: ${DEFAULT-VALUE})")
    int maxVerifierCalls;
    @Option(names = "--deadline-ms", defaultValue = "60000", description = "(default: ${DEFAULT-VALUE})")
    int deadlineMs;
    @Option(names = "--seed", defaultValue = "22", description = "questions, strategies and arrivals (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--out", defaultValue = "bench/results/soak", description = "samples, plots (relative: to the repository) (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--report", defaultValue = "bench/results/soak.md", description = "the verdict in markdown (default: ${DEFAULT-VALUE})")
    Path report;
    @Mixin
    MeshOptions mesh;

    static List<SearchSpec> parseMix(List<String> entries, long maxTokens, int maxVerifierCalls, int deadlineMs) {
        List<SearchSpec> specs = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.strip().split(":");
            if (parts[0].isBlank()) {
                throw new IllegalArgumentException("--mix: empty strategy in '" + entry + "'");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                if (kv.length != 2 || kv[0].isBlank()) {
                    throw new IllegalArgumentException("--mix: '" + parts[i] + "' in '" + entry + "' is not param=value");
                }
                params.put(kv[0].strip(), kv[1].strip());
            }
            specs.add(new SearchSpec(parts[0].strip(), params, maxTokens, maxVerifierCalls, deadlineMs));
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("--mix: no strategy");
        }
        return specs;
    }

    @Override
    public Integer call() throws Exception {
        if (loadFraction <= 0 || loadFraction > 1.5) {
            throw new IllegalArgumentException("--load must be in (0, 1.5], got " + loadFraction);
        }
        List<SearchSpec> specs = parseMix(mix, maxTokens, maxVerifierCalls, deadlineMs);
        MeshLayout layout = MeshLayout.discover();
        TaskRegistry registry = TaskRegistry.load();
        List<String> tasks = List.of(TaskRegistry.DEFAULT);
        List<Question> questions = QuestionFile.read(layout.heldout(TaskRegistry.DEFAULT), registry);
        Path outDir = layout.repo().resolve(out);
        Path reportFile = layout.repo().resolve(report);
        String command = "java -jar mesh/target/tts-mesh.jar soak " + String.join(" ", commandLine());
        Instant started = Instant.now();
        SplittableRandom random = new SplittableRandom(seed);
        String run = "soak-" + Long.toString(System.currentTimeMillis(), 36);

        try (LocalMesh running = mesh.toOptions(layout, tasks).start();
             KafkaLoad load = new KafkaLoad(running.bootstrapServers(), "tts.requests", "tts.results", "tts.requests.dlq");
             MeshSampler sampler = new MeshSampler(running, "tts.requests")) {
            SoakRecorder recorder = new SoakRecorder(load, sampler, System.nanoTime());
            ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("soak-sampler").unstarted(r));
            every.scheduleAtFixedRate(recorder::record, sampleSeconds, sampleSeconds, TimeUnit.SECONDS);
            long[] counter = {0};
            java.util.function.Supplier<io.ttsmesh.proto.orchestrator.SolveRequest> next = () -> {
                Question q = questions.get(random.nextInt(questions.size()));
                SearchSpec spec = specs.get(random.nextInt(specs.size()));
                return spec.request(run + "." + (counter[0]++) + "." + q.id(), q.task(), q.question(), Detail.RESULT_ONLY);
            };

            // 1. capacity: a closed loop keeping the consumer full, the same mix
            System.out.printf("%nSoak %s: capacity first (%d s warm-up + %d s window, %d outstanding), mix %s%n",
                    run, capacityWarmupSeconds, capacitySeconds, capacityOutstanding, mix);
            recorder.phase("capacity");
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(capacityWarmupSeconds);
            long windowEnd = warmEnd + TimeUnit.SECONDS.toNanos(capacitySeconds);
            while (System.nanoTime() < windowEnd) {
                load.awaitOutstandingBelow(capacityOutstanding, Duration.ofNanos(Math.max(1, windowEnd - System.nanoTime())));
                if (System.nanoTime() < windowEnd && load.outstanding() < capacityOutstanding) {
                    load.send(next.get());
                }
            }
            long inWindow = recorder.completionsBetween(warmEnd, windowEnd);
            double capacity = inWindow / (double) capacitySeconds;
            if (inWindow == 0) {
                throw new IllegalStateException("no request finished in the capacity window: is the mesh answering? (logs: " + running.children().getFirst().log().getParent() + ")");
            }
            double rate = loadFraction * capacity;
            System.out.printf("capacity: %d results in %d s = %.2f requests/s; soak at %.0f%% = %.2f requests/s for %.1f min%n",
                    inWindow, capacitySeconds, capacity, loadFraction * 100, rate, minutes);
            // let the closed loop's backlog drain so the soak starts from its own steady state
            load.awaitOutstandingBelow(1, Duration.ofSeconds(120));

            // 2. soak: Poisson arrivals at the rate
            recorder.phase("soak");
            long soakStart = System.nanoTime();
            long soakEnd = soakStart + (long) (minutes * 60e9);
            long nextArrival = soakStart;
            while (true) {
                nextArrival += (long) (-Math.log(1 - random.nextDouble()) / rate * 1e9);
                if (nextArrival >= soakEnd) {
                    break;
                }
                long wait;
                while ((wait = nextArrival - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait); // the arrival schedule itself, not a synchronisation
                }
                load.send(next.get());
            }
            long lastSent = System.nanoTime();
            System.out.printf("load stopped after %.1f min, %d requests sent; waiting for the %d outstanding%n",
                    (lastSent - soakStart) / 60e9, load.sent(), load.outstanding());
            recorder.phase("drain");
            boolean drained = load.awaitOutstandingBelow(1, Duration.ofSeconds(Math.max(120, deadlineMs / 1000 * 2)));
            long idleStart = System.nanoTime();
            recorder.phase("idle");
            long idleEnd = idleStart + TimeUnit.SECONDS.toNanos(idleSeconds);
            while (System.nanoTime() < idleEnd) {
                LockSupport.parkNanos(idleEnd - System.nanoTime());
            }
            every.shutdown();
            every.awaitTermination(30, TimeUnit.SECONDS);
            recorder.record(); // the last idle sample, after the full idle period

            SoakResult result = new SoakResult(command, started, Instant.now(), run, mix, seed, capacity, inWindow, capacitySeconds,
                    loadFraction, rate, minutes, warmupMinutes, sampleSeconds, idleSeconds, load.sent(), drained,
                    load.duplicates(), recorder.samples(), recorder.completions(), soakStart, lastSent, idleStart,
                    recorder.startNanos());
            SoakReport.write(result, outDir, reportFile, layout.repo());
            System.out.printf("%nwrote %s and %s%n", reportFile, outDir);
            System.out.println(result.verdictLines());
            return result.passed() ? 0 : 3;
        }
    }

    private List<String> commandLine() {
        if (spec == null) {
            return List.of();
        }
        List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!args.isEmpty() && args.getFirst().equals("soak")) {
            args.removeFirst();
        }
        return args;
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
}
