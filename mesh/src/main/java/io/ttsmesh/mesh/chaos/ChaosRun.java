package io.ttsmesh.mesh.chaos;

import io.ttsmesh.mesh.batch.KafkaBatch;
import io.ttsmesh.mesh.batch.ResultRecords;
import io.ttsmesh.mesh.local.JavaCommand;
import io.ttsmesh.mesh.local.LocalMesh;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.local.PrometheusText;
import io.ttsmesh.mesh.local.ServiceProcess;
import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.SolveRequest;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A Kafka batch while a {@link KillSchedule} SIGKILLs and restarts a generator, a verifier, the orchestrator and the
 * broker. The mesh runs a second generator and a second verifier beside the local mesh's own (the orchestrator gets
 * both pairs), as a service with replicas would: a killed generator's branches move to the other one (failover with
 * re-prefill), a killed verifier's calls are retried on the other one; the orchestrator and the broker are single and
 * come back from Kafka (uncommitted requests redelivered, already answered ones suppressed by the result index).
 * The victims are always the mesh's own generator and verifier; the replicas stay up.
 */
public final class ChaosRun {

    private final MeshLayout layout;
    private final LocalMesh.Options options;
    private final MeshPorts ports;
    private final String task;
    private final Duration readyTimeout;
    private final PrintStream out;

    /**
     * @param options the mesh (with its broker); its ports are set here
     * @param task    the task of the batch: the one whose generator and verifier get a replica and are killed
     */
    public ChaosRun(MeshLayout layout, LocalMesh.Options options, MeshPorts ports, String task, Duration readyTimeout, PrintStream out) {
        this.layout = layout;
        this.options = options.ports(ports);
        this.ports = ports;
        this.task = task;
        this.readyTimeout = readyTimeout;
        this.out = out;
    }

    /**
     * What one kill did.
     *
     * @param killedAtS     seconds from the first request sent
     * @param readyAfterS   from the kill to the victim ready again (its down time included)
     * @param longestGapS   the longest time without a new result between the kill and 10 s after it was ready again
     */
    public record KillOutcome(KillSchedule.Kill kill, double killedAtS, double readyAfterS, double longestGapS) {
    }

    /** What the batch got. */
    public record Outcome(int questions, KafkaBatch.Outcome batch, Map<String, Integer> recordsFromBeginning,
                          double elapsedS, List<KillOutcome> kills, Map<String, Double> orchestratorCounters) {

        public Map<String, SolveResult> results() {
            return batch.results();
        }

        /** Questions with exactly one result record on tts.results, read from the beginning. */
        public long exactlyOnce() {
            return recordsFromBeginning.values().stream().filter(c -> c == 1).count();
        }

        public Map<String, Integer> notExactlyOnce() {
            return recordsFromBeginning.entrySet().stream().filter(e -> e.getValue() != 1)
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, java.util.TreeMap::new));
        }

        public Map<String, Long> stopReasons() {
            return batch.results().values().stream().collect(Collectors.groupingBy(r -> r.getStopReason().name(), java.util.TreeMap::new, Collectors.counting()));
        }
    }

    public Outcome run(List<SolveRequest> requests, KillSchedule schedule, Duration timeout) {
        Path replicaDir;
        try {
            replicaDir = Files.createTempDirectory("tts-mesh-chaos-replicas-");
            Files.createDirectories(replicaDir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JavaCommand java = new JavaCommand(layout.watchdogAgent(), replicaDir.resolve("tmp"));
        int[] free = MeshPorts.freePorts(4);
        List<ServiceProcess> replicas = new ArrayList<>();
        boolean ok = false;
        try {
            // The replicas start while the mesh's own pods and broker do; the orchestrator gets both of each.
            out.printf("Starting generator-2 (gRPC %d) and verifier-2 (gRPC %d), the replicas that stay up ...%n", free[1], free[3]);
            replicas.add(ServiceProcess.launch("generator-2", layout.serviceJar(MeshService.GENERATOR), java,
                    Map.of("tts.generator.model-dir", layout.generatorModel(task).toString()), free[0], free[1],
                    replicaDir.resolve("generator-2.log"), replicaDir));
            replicas.add(ServiceProcess.launch("verifier-2", layout.serviceJar(MeshService.VERIFIER), java,
                    Map.of("tts.verifier.model.dir", layout.prmModel(task).toString(), "tts.verifier.task", task), free[2], free[3],
                    replicaDir.resolve("verifier-2.log"), replicaDir));
            boolean defaultTask = LocalMesh.orchestratorDefaultTask(ports).equals(task);
            String prefix = defaultTask ? "tts.orchestrator." : "tts.orchestrator.tasks." + task + ".";
            options.serviceProperty(MeshService.ORCHESTRATOR, prefix + "generators.addresses",
                    "localhost:" + ports.pod(task).generatorGrpc() + ",localhost:" + free[1]);
            options.serviceProperty(MeshService.ORCHESTRATOR, prefix + "verifiers.addresses",
                    "localhost:" + ports.pod(task).verifierGrpc() + ",localhost:" + free[3]);
            try (LocalMesh mesh = options.start()) {
                for (ServiceProcess r : replicas) {
                    r.awaitReady(readyTimeout);
                }
                Outcome outcome = batch(mesh, requests, schedule, timeout);
                ok = true;
                return outcome;
            }
        } finally {
            replicas.forEach(r -> r.child().stop(Duration.ofSeconds(20)));
            if (ok) {
                deleteQuietly(replicaDir);
            } else {
                out.println("the replicas' logs are kept in " + replicaDir);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var all = Files.walk(dir)) {
            all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // a leftover temp dir is harmless
        }
    }

    private Outcome batch(LocalMesh mesh, List<SolveRequest> requests, KillSchedule schedule, Duration timeout) {
        long start = System.nanoTime();
        List<Long> resultTimes = new CopyOnWriteArrayList<>();
        List<KillOutcome> kills = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> crashes = new CopyOnWriteArrayList<>();
        Map<Integer, List<KillSchedule.Kill>> byMoment = schedule.kills().stream()
                .collect(Collectors.groupingBy(KillSchedule.Kill::afterResults, java.util.TreeMap::new, Collectors.toList()));
        AtomicInteger received = new AtomicInteger();
        OrchestratorCounters counters = new OrchestratorCounters(mesh);
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("chaos-scraper").unstarted(r));
        scraper.scheduleWithFixedDelay(counters::scrape, 0, 1, TimeUnit.SECONDS);
        out.printf("%nChaos batch: %d questions, kills (seed %d): %s%n", requests.size(), schedule.seed(), describe(schedule));
        KafkaBatch batch = new KafkaBatch(mesh.bootstrapServers(), "tts.requests", "tts.results", "tts.requests.dlq");
        KafkaBatch.Outcome outcome;
        try {
            outcome = batch.run(requests, timeout, Duration.ofSeconds(5), r -> {
                resultTimes.add(System.nanoTime());
                int n = received.incrementAndGet();
                if (n % Math.max(1, requests.size() / 10) == 0) {
                    out.printf("  %d/%d results (%.0f s)%n", n, requests.size(), (System.nanoTime() - start) / 1e9);
                }
                List<KillSchedule.Kill> moment = byMoment.get(n);
                if (moment != null) {
                    // Off the reading thread: the batch goes on reading while victims go down and come back.
                    for (KillSchedule.Kill k : moment) {
                        crashes.add(CompletableFuture.runAsync(() -> kills.add(crashAndRestart(mesh, k, start, resultTimes, counters))));
                    }
                }
            });
            CompletableFuture.allOf(crashes.toArray(CompletableFuture[]::new)).join();
        } finally {
            scraper.shutdownNow();
        }
        counters.scrape();
        Map<String, Integer> fromBeginning = ResultRecords.countPerKey(mesh.bootstrapServers(), "tts.results",
                requests.stream().map(SolveRequest::getRequestId).toList());
        List<KillOutcome> ordered = new ArrayList<>(kills);
        ordered.sort(java.util.Comparator.comparingDouble(KillOutcome::killedAtS));
        // the gaps need the results after each restart, so they are taken now that the batch is done
        List<KillOutcome> withGaps = ordered.stream().map(k -> withGap(k, start, resultTimes)).toList();
        return new Outcome(requests.size(), outcome, fromBeginning, outcome.elapsed().toMillis() / 1e3, withGaps, counters.totals());
    }

    private KillOutcome crashAndRestart(LocalMesh mesh, KillSchedule.Kill k, long start, List<Long> resultTimes, OrchestratorCounters counters) {
        ChildPause.sleep(Duration.ofMillis(k.delayMs()));
        if (k.victim() == Victim.orchestrator) {
            counters.scrape(); // the dead orchestrator's counters are gone with it: read them last thing before
        }
        long killed = System.nanoTime();
        switch (k.victim()) {
            case broker -> mesh.broker().kill();
            case generator -> mesh.kill(MeshService.GENERATOR);
            case verifier -> mesh.kill(MeshService.VERIFIER);
            case orchestrator -> mesh.kill(MeshService.ORCHESTRATOR);
        }
        out.printf("  %s killed (SIGKILL) after %d results%s; down for %.1f s%n", k.victim(), k.afterResults(),
                k.overlapping() ? " (overlapping)" : "", k.downMs() / 1e3);
        ChildPause.sleep(Duration.ofMillis(k.downMs())); // the fault's length: a supervisor restarting it later
        switch (k.victim()) {
            case broker -> mesh.broker().restart(readyTimeout);
            case generator -> mesh.restart(MeshService.GENERATOR);
            case verifier -> mesh.restart(MeshService.VERIFIER);
            case orchestrator -> mesh.restart(MeshService.ORCHESTRATOR);
        }
        long ready = System.nanoTime();
        out.printf("  %s ready again %.1f s after the kill%n", k.victim(), (ready - killed) / 1e9);
        return new KillOutcome(k, (killed - start) / 1e9, (ready - killed) / 1e9, Double.NaN);
    }

    private static KillOutcome withGap(KillOutcome k, long start, List<Long> resultTimes) {
        long from = start + (long) (k.killedAtS() * 1e9);
        long to = from + (long) ((k.readyAfterS() + 10) * 1e9);
        long previous = from;
        long longest = 0;
        for (long t : resultTimes.stream().sorted().toList()) {
            if (t < from) {
                continue;
            }
            if (t > to) {
                longest = Math.max(longest, t - previous);
                previous = -1;
                break;
            }
            longest = Math.max(longest, t - previous);
            previous = t;
        }
        if (previous >= 0) {
            longest = Math.max(longest, Math.min(to, System.nanoTime()) - previous);
        }
        return new KillOutcome(k.kill(), k.killedAtS(), k.readyAfterS(), longest / 1e9);
    }

    private static String describe(KillSchedule schedule) {
        return schedule.kills().stream().map(k -> k.victim() + " after " + k.afterResults() + " results"
                + (k.delayMs() > 0 ? " +" + k.delayMs() + " ms" : "") + " (down " + k.downMs() + " ms)").collect(Collectors.joining(", "));
    }

    /**
     * The orchestrator's own counters of the resilience machinery, summed over its incarnations (a restarted one
     * counts from 0): duplicate requests suppressed, generator failovers, re-prefilled tokens, retries per guarded
     * call. Scraped every second; what an incarnation counted between its last scrape and its SIGKILL is lost
     * (the kill of the orchestrator scrapes right before it).
     */
    static final class OrchestratorCounters {
        private static final Map<String, String[]> SERIES = new LinkedHashMap<>();

        static {
            SERIES.put("duplicates suppressed", new String[] {"tts_orchestrator_kafka_requests_total", "outcome=\"duplicate\""});
            SERIES.put("requests solved", new String[] {"tts_orchestrator_kafka_requests_total", "outcome=\"solved\""});
            SERIES.put("generator failovers", new String[] {"tts_orchestrator_generator_failovers_total", ""});
            SERIES.put("re-prefilled tokens", new String[] {"tts_orchestrator_generator_reprefill_tokens_total", ""});
            SERIES.put("verifier call retries", new String[] {"ft_retry_retries_total", "method=\"verifier ScoreSteps\""});
            SERIES.put("result write retries", new String[] {"ft_retry_retries_total", "method=\"write to tts.results\""});
        }

        private final LocalMesh mesh;
        /** Per orchestrator pid, the last value read of each series. */
        private final Map<Long, Map<String, Double>> byIncarnation = new ConcurrentHashMap<>();

        OrchestratorCounters(LocalMesh mesh) {
            this.mesh = mesh;
        }

        synchronized void scrape() {
            ServiceProcess o = mesh.service(MeshService.ORCHESTRATOR);
            if (o == null || !o.child().isAlive()) {
                return;
            }
            String text;
            try {
                text = o.metrics();
            } catch (RuntimeException notUp) {
                return;
            }
            Map<String, Double> values = byIncarnation.computeIfAbsent(o.child().pid(), p -> new ConcurrentHashMap<>());
            SERIES.forEach((name, s) -> PrometheusText.value(text, s[0], s[1]).ifPresent(v -> values.merge(name, v, Math::max)));
        }

        Map<String, Double> totals() {
            Map<String, Double> sum = new LinkedHashMap<>();
            SERIES.keySet().forEach(k -> sum.put(k, 0.0));
            byIncarnation.values().forEach(m -> m.forEach((k, v) -> sum.merge(k, v, Double::sum)));
            sum.put("orchestrator incarnations", (double) byIncarnation.size());
            return sum;
        }
    }

    /** The fault schedule's waits (a kill's delay, a victim's down time): part of the experiment, not synchronisation. */
    private static final class ChildPause {
        static void sleep(Duration d) {
            if (!d.isZero() && !d.isNegative()) {
                io.ttsmesh.mesh.local.ChildProcess.pause(d);
            }
        }
    }
}
