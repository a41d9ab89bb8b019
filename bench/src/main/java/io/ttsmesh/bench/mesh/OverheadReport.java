package io.ttsmesh.bench.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of {@code tts-bench mesh-overhead}: per strategy, wall time per search through the mesh and in
 * this process, their ratio against the goal, and whether both gave the same searches.
 *
 * @param questionsPlanned questions asked for; {@code questionsDone} fewer when the time limit stopped the run
 */
record OverheadReport(RunContext context, int n, int questionsPlanned, int questionsDone, int warmupQuestions, long seed,
                      double goal, List<StrategyOverhead> strategies) {

    /** Sum of mean wall times through the mesh over the same sum in-process: every strategy weighted by its cost. */
    double overallRatio() {
        double mesh = 0;
        double inProcess = 0;
        for (StrategyOverhead s : strategies) {
            mesh += s.mesh().meanMs();
            inProcess += s.inProcess().meanMs();
        }
        return LatencyStats.ratio(mesh, inProcess);
    }

    long strategiesMeetingGoal() {
        return strategies.stream().filter(s -> s.meanRatio() <= goal).count();
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# Mesh overhead: three processes over gRPC vs in-process library mode\n\n");
        md.append(String.format(Locale.ROOT, "Every strategy of the orchestrator's catalog at N = %d on %d held-out questions "
                        + "(seeded subset of models/eval/heldout.jsonl, seed %d; %d more questions per strategy as warm-up, "
                        + "not counted). Each question runs once through the mesh (client -> orchestrator gRPC Solve -> "
                        + "generator and verifier services, each its own JVM, loopback gRPC, Kafka off) and once in this "
                        + "JVM (SearchRunner over the in-process engines), with the same seed, interleaved question by "
                        + "question and alternating which goes first, so both see the same machine noise. Searches run "
                        + "one at a time. Wall time is what the caller waits for one search.\n\n",
                n, questionsDone, seed, warmupQuestions));
        if (questionsDone < questionsPlanned) {
            md.append(String.format(Locale.ROOT, "**Stopped early by the time limit: %d of %d questions done.**\n\n",
                    questionsDone, questionsPlanned));
        }
        md.append(context.markdown()).append('\n');
        md.append(String.format(Locale.ROOT, "## Result: goal mesh/in-process <= %.2fx\n\n", goal));
        md.append(String.format(Locale.ROOT, "Overall (sum of means): **%.3fx**; %d of %d strategies within the goal "
                + "(by ratio of means).\n\n", overallRatio(), strategiesMeetingGoal(), strategies.size()));
        md.append("| strategy | params | mesh mean ms | mesh p50 ms | in-process mean ms | in-process p50 ms | "
                + "ratio (means) | ratio (p50) | goal | same answer | same search | failures mesh/in-process |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
        for (StrategyOverhead s : strategies) {
            LatencyStats m = s.mesh();
            LatencyStats l = s.inProcess();
            md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.3fx | %.3fx | %s | %d/%d | %d/%d | %d/%d |\n",
                    s.spec().name(), params(s.spec().params()), m.meanMs(), m.p50Ms(), l.meanMs(), l.p50Ms(),
                    s.meanRatio(), s.p50Ratio(), s.meanRatio() <= goal ? "met" : "missed",
                    s.sameAnswer(), s.compared(), s.sameSearch(), s.compared(), s.meshFailures(), s.inProcessFailures()));
        }
        md.append("\n\"Same search\": same answer, same chosen steps, same generated tokens, verifier calls and stop "
                + "reason for the same seed.\n");
        boolean anyDifference = strategies.stream().anyMatch(s -> !s.differences().isEmpty());
        if (anyDifference) {
            md.append("\nSearches that differed (first few per strategy):\n\n");
            for (StrategyOverhead s : strategies) {
                for (String d : s.differences()) {
                    md.append("- ").append(s.spec().name()).append(' ').append(d).append('\n');
                }
            }
        }
        return md.toString();
    }

    ObjectNode json(ObjectMapper m) {
        ObjectNode root = m.createObjectNode();
        root.put("benchmark", "mesh-overhead");
        root.set("run", context.json(m));
        root.put("n", n);
        root.put("questions_planned", questionsPlanned);
        root.put("questions_done", questionsDone);
        root.put("warmup_questions", warmupQuestions);
        root.put("seed", seed);
        FiniteJson.put(root, "goal_max_ratio", goal);
        FiniteJson.put(root, "overall_ratio", overallRatio());
        ArrayNode list = root.putArray("strategies");
        for (StrategyOverhead s : strategies) {
            ObjectNode o = list.addObject();
            o.put("strategy", s.spec().name());
            ObjectNode p = o.putObject("params");
            new TreeMap<>(s.spec().params()).forEach(p::put);
            o.set("mesh", stats(m, s.mesh()));
            o.set("in_process", stats(m, s.inProcess()));
            FiniteJson.put(o, "ratio_mean", s.meanRatio());
            FiniteJson.put(o, "ratio_p50", s.p50Ratio());
            o.put("goal_met", s.meanRatio() <= goal);
            o.put("compared", s.compared());
            o.put("same_answer", s.sameAnswer());
            o.put("same_search", s.sameSearch());
            o.put("mesh_failures", s.meshFailures());
            o.put("in_process_failures", s.inProcessFailures());
            ArrayNode d = o.putArray("differences");
            s.differences().forEach(d::add);
            ArrayNode mw = o.putArray("mesh_wall_ms");
            s.meshNanos().forEach(x -> mw.add(Math.round(x / 1e4) / 100.0));
            ArrayNode lw = o.putArray("in_process_wall_ms");
            s.inProcessNanos().forEach(x -> lw.add(Math.round(x / 1e4) / 100.0));
        }
        return root;
    }

    static ObjectNode stats(ObjectMapper m, LatencyStats s) {
        ObjectNode n = m.createObjectNode();
        n.put("count", s.count());
        FiniteJson.put(n, "mean_ms", s.meanMs());
        FiniteJson.put(n, "p50_ms", s.p50Ms());
        FiniteJson.put(n, "p99_ms", s.p99Ms());
        FiniteJson.put(n, "min_ms", s.minMs());
        FiniteJson.put(n, "max_ms", s.maxMs());
        return n;
    }

    private static String params(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }
}
