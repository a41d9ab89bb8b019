package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.ChildProcess;
import io.ttsmesh.mesh.local.LocalMesh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** CPU time used so far by the processes that do a path's work, all their threads together. */
@FunctionalInterface
interface CpuClock {

    long cpuNanos();

    /** This JVM: the in-process engines and searches, or the gRPC client of mesh searches. */
    static CpuClock thisJvm() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os::getProcessCpuTime;
    }

    /** The mesh's service JVMs (read from /proc through {@link ProcessHandle}). */
    static CpuClock services(LocalMesh mesh) {
        return () -> mesh.children().stream().mapToLong(ChildProcess::cpuNanos).sum();
    }

    /** Everything a mesh search costs: the services and this JVM, which is their client. */
    static CpuClock servicesAndThisJvm(LocalMesh mesh) {
        return services(mesh).plus(thisJvm());
    }

    default CpuClock plus(CpuClock other) {
        return () -> cpuNanos() + other.cpuNanos();
    }

    /**
     * The JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre") of the mesh's services: code still being
     * compiled while a level is measured. 0 where /proc cannot be read.
     */
    static CpuClock compilerThreadsOf(LocalMesh mesh) {
        return compilerThreads(() -> mesh.children().stream().map(ChildProcess::pid).toList());
    }

    /** The JIT compiler threads of this JVM. */
    static CpuClock compilerThreadsOfThisJvm() {
        return compilerThreads(() -> List.of(ProcessHandle.current().pid()));
    }

    private static CpuClock compilerThreads(Supplier<List<Long>> pids) {
        return () -> pids.get().stream().mapToLong(CpuClock::compilerThreadNanos).sum();
    }

    /** /proc/PID/task/TID/stat: the name in parentheses, utime and stime (fields 14 and 15) in clock ticks of 10 ms. */
    private static long compilerThreadNanos(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.mapToLong(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                        return 0;
                    }
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
                } catch (IOException | RuntimeException gone) {
                    return 0; // the thread ended meanwhile
                }
            }).sum();
        } catch (IOException | RuntimeException noProc) {
            return 0;
        }
    }
}
