package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.ChildProcess;
import io.ttsmesh.mesh.local.LocalMesh;

import java.lang.management.ManagementFactory;

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
        CpuClock services = services(mesh);
        CpuClock own = thisJvm();
        return () -> services.cpuNanos() + own.cpuNanos();
    }
}
