package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.ChildProcess;
import io.ttsmesh.mesh.local.LocalMesh;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time per process of the mesh, so that what a mesh search costs beyond an in-process one can be placed: the
 * services by name, and this JVM as their {@value #CLIENT}.
 */
final class ProcessCpu {

    static final String CLIENT = "client";

    private final LocalMesh mesh;
    private final CpuClock thisJvm = CpuClock.thisJvm();

    ProcessCpu(LocalMesh mesh) {
        this.mesh = mesh;
    }

    /** CPU nanoseconds used so far, by process. */
    Map<String, Long> read() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ChildProcess c : mesh.children()) {
            out.merge(c.name(), c.cpuNanos(), Long::sum);
        }
        out.put(CLIENT, thisJvm.cpuNanos());
        return out;
    }

    /** CPU seconds each process used since {@code before}, in the order they were read. */
    Map<String, Double> secondsSince(Map<String, Long> before) {
        Map<String, Double> out = new LinkedHashMap<>();
        read().forEach((name, now) -> out.put(name, (now - before.getOrDefault(name, 0L)) / 1e9));
        return out;
    }
}
