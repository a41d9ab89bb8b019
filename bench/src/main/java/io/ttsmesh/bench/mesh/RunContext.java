package io.ttsmesh.bench.mesh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Where and how a benchmark ran: the exact command, the machine, its load meanwhile, and the ONNX Runtime
 * threads given to each engine.
 */
record RunContext(String command, Instant started, Duration elapsed, MachineFacts machine, MachineLoad.Summary load,
                  int threads) {

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Command (from the repository root):\n\n```\n").append(command).append("\n```\n\n");
        md.append("- Started ").append(started).append(", took ").append(elapsed.toSeconds()).append(" s\n");
        md.append("- Machine: ").append(machine.cores()).append(" cores (").append(machine.cpu()).append("), ")
                .append(machine.memoryMiB()).append(" MiB, ").append(machine.os()).append('\n');
        md.append("- JDK: ").append(machine.jdk()).append("; JIT compile thresholds: ").append(machine.jit().describe()).append('\n');
        md.append("- ONNX Runtime intra-op threads per engine: ").append(threads == 0 ? "ONNX Runtime's choice" : threads)
                .append(" (generator and verifier, in every mode)\n");
        md.append(String.format(Locale.ROOT, "- Load average (1 min) during the run: %.2f at start, mean %.2f, max %.2f, "
                        + "%.2f at the end (%d samples). **The cores are shared**: the benchmark's own four JVMs, and whatever else "
                        + "runs on the machine. A load above %d means processes were waiting for a core, so absolute times "
                        + "are inflated and noisy; only comparisons taken side by side in this run are meaningful.\n",
                load.first(), load.mean(), load.max(), load.last(), load.samples(), machine.cores()));
        return md.toString();
    }

    ObjectNode json(ObjectMapper m) {
        ObjectNode n = m.createObjectNode();
        n.put("command", command);
        n.put("started", started.toString());
        n.put("elapsed_s", elapsed.toMillis() / 1000.0);
        ObjectNode mach = n.putObject("machine");
        mach.put("cores", machine.cores());
        mach.put("cpu", machine.cpu());
        mach.put("memory_mib", machine.memoryMiB());
        mach.put("jdk", machine.jdk());
        mach.put("os", machine.os());
        mach.put("compile_threshold_scaling", machine.jit().scaling());
        mach.put("shared", true);
        ObjectNode l = n.putObject("load_average_1m");
        l.put("samples", load.samples());
        FiniteJson.put(l, "first", load.first());
        FiniteJson.put(l, "mean", load.mean());
        FiniteJson.put(l, "max", load.max());
        FiniteJson.put(l, "last", load.last());
        n.put("onnx_intra_op_threads", threads);
        return n;
    }
}
