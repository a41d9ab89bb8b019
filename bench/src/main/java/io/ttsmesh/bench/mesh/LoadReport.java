package io.ttsmesh.bench.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ttsmesh.search.MethodSpec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/** The result of {@code tts-bench mesh-load}: throughput and latency per number of concurrent clients. */
record LoadReport(RunContext context, MethodSpec strategy, int questions, long seed, double windowSeconds,
                  int goalClients, double goalSpeedup, List<LoadLevel> levels) {

    Optional<LoadLevel> level(int clients) {
        return levels.stream().filter(l -> l.clients() == clients).findFirst();
    }

    /** throughput(goalClients) / throughput(1), NaN when either level was not run. */
    double speedup() {
        return level(goalClients).flatMap(g -> level(1).map(one -> LatencyStats.ratio(g.run().throughput(), one.run().throughput())))
                .orElse(Double.NaN);
    }

    /** The same ratio per service CPU-second: the gain of batching apart from how many cores the services got. */
    double cpuNormalizedSpeedup() {
        return level(goalClients).flatMap(g -> level(1).map(one -> LatencyStats.ratio(g.run().searchesPerCpuSecond(),
                one.run().searchesPerCpuSecond()))).orElse(Double.NaN);
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Mesh under load: throughput at 1 to 64 concurrent clients\n\n");
        md.append(String.format(Locale.ROOT, "%s with %s through the mesh (three processes, loopback gRPC, Kafka off). "
                        + "Each client is a virtual thread that runs one search after another, looping over %d held-out "
                        + "questions (seeded subset, seed %d), for a %.0f s window per level; throughput counts the searches "
                        + "that finished inside the window, latencies are those of every search started in it. The "
                        + "orchestrator runs at its shipped admission bounds (64 running, 128 queued).\n\n",
                strategy.name(), params(strategy), questions, seed, windowSeconds));
        md.append(context.markdown()).append('\n');
        double speedup = speedup();
        md.append(String.format(Locale.ROOT, "## Result: goal throughput(%d) / throughput(1) >= %.1fx\n\n", goalClients, goalSpeedup));
        md.append(String.format(Locale.ROOT, "Measured: **%.2fx** (%s).\n\n", speedup,
                Double.isNaN(speedup) ? "not measured" : speedup >= goalSpeedup ? "met" : "missed"));
        md.append(String.format(Locale.ROOT, "Per CPU-second the services used (searches completed / service CPU s), "
                + "%d clients over 1: %.2fx.\n\n", goalClients, cpuNormalizedSpeedup()));
        md.append("| clients | completed in window | searches/s | p50 ms | p99 ms | mean ms | rejected (RESOURCE_EXHAUSTED) | "
                + "failed | generator rows per decode step | generated tokens/s | service CPU s | cores used by services | "
                + "searches per service CPU s |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (LoadLevel l : levels) {
            md.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.0f | %.0f | %.0f | %d | %d | %s | %.0f | %.1f | %.2f | %.2f |\n",
                    l.clients(), l.run().completedInWindow(), l.run().throughput(), l.run().latency().p50Ms(), l.run().latency().p99Ms(),
                    l.run().latency().meanMs(), l.run().rejected(), l.run().failed(),
                    Double.isNaN(l.batchRowsMean()) ? "n/a" : String.format(Locale.ROOT, "%.1f", l.batchRowsMean()),
                    l.generatedTokensPerSecond(), l.run().cpuSeconds(), l.run().coresUsed(), l.run().searchesPerCpuSecond()));
        }
        md.append("\n\"Generator rows per decode step\" is the mean of the generator's `tts_generator_batch_size` "
                + "summary over the level (branches of all searches decoded together per step): the batch occupancy.\n");
        return md.toString();
    }

    ObjectNode json(ObjectMapper m) {
        ObjectNode root = m.createObjectNode();
        root.put("benchmark", "mesh-load");
        root.set("run", context.json(m));
        root.put("strategy", strategy.name());
        ObjectNode p = root.putObject("params");
        new TreeMap<>(strategy.params()).forEach(p::put);
        root.put("questions", questions);
        root.put("seed", seed);
        FiniteJson.put(root, "window_s", windowSeconds);
        root.put("goal_clients", goalClients);
        FiniteJson.put(root, "goal_min_speedup", goalSpeedup);
        FiniteJson.put(root, "speedup", speedup());
        FiniteJson.put(root, "cpu_normalized_speedup", cpuNormalizedSpeedup());
        root.put("goal_met", speedup() >= goalSpeedup);
        ArrayNode list = root.putArray("levels");
        for (LoadLevel l : levels) {
            ObjectNode o = list.addObject();
            o.put("clients", l.clients());
            o.put("completed_in_window", l.run().completedInWindow());
            o.put("completed", l.run().completed());
            FiniteJson.put(o, "searches_per_s", l.run().throughput());
            o.set("latency", OverheadReport.stats(m, l.run().latency()));
            o.put("rejected_resource_exhausted", l.run().rejected());
            o.put("failed", l.run().failed());
            FiniteJson.put(o, "generator_batch_rows_mean", l.batchRowsMean());
            FiniteJson.put(o, "generated_tokens_per_s", l.generatedTokensPerSecond());
            FiniteJson.put(o, "level_s", l.run().levelSeconds());
            FiniteJson.put(o, "service_cpu_s", l.run().cpuSeconds());
            FiniteJson.put(o, "service_cores_used", l.run().coresUsed());
            FiniteJson.put(o, "searches_per_service_cpu_s", l.run().searchesPerCpuSecond());
        }
        return root;
    }

    private static String params(MethodSpec spec) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(spec.params()).forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(" = ").append(v));
        return b.isEmpty() ? "default parameters" : b.toString();
    }
}
