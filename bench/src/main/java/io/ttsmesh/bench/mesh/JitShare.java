package io.ttsmesh.bench.mesh;

/**
 * The CPU some processes' JIT compiler threads took between two readings, and all their CPU over the same span: code
 * still being compiled while something was measured, which on shared cores slows whatever runs beside it.
 */
record JitShare(long compilerNanos, long cpuNanos) {

    static final JitShare NONE = new JitShare(0, 0);

    /** The compiler threads' share of the CPU; NaN when no CPU was read. */
    double share() {
        return cpuNanos > 0 ? (double) compilerNanos / cpuNanos : Double.NaN;
    }

    JitShare plus(JitShare other) {
        return new JitShare(compilerNanos + other.compilerNanos, cpuNanos + other.cpuNanos);
    }

    /** Reads both clocks now; {@link Since#now()} is the share from here to then. */
    static Since since(CpuClock compiler, CpuClock cpu) {
        return new Since(compiler, cpu, compiler.cpuNanos(), cpu.cpuNanos());
    }

    record Since(CpuClock compiler, CpuClock cpu, long compilerAtStart, long cpuAtStart) {
        JitShare now() {
            return new JitShare(compiler.cpuNanos() - compilerAtStart, cpu.cpuNanos() - cpuAtStart);
        }
    }
}
