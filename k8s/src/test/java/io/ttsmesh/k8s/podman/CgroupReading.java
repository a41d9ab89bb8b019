package io.ttsmesh.k8s.podman;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * The memory limit, peak memory and CPU quota the kernel applies to a container, read from its cgroup (v1 or v2),
 * i.e. what the manifest's limits became, not what podman says it asked for.
 */
record CgroupReading(long memoryLimit, long memoryPeak, BigDecimal cpus) {

    static CgroupReading of(String container) {
        boolean v2 = Podman.exec("exec", container, "test", "-f", "/sys/fs/cgroup/cgroup.controllers").exitCode() == 0;
        if (v2) {
            String[] cpuMax = read(container, "/sys/fs/cgroup/cpu.max").split("\\s+");
            return new CgroupReading(Long.parseLong(read(container, "/sys/fs/cgroup/memory.max")),
                    Long.parseLong(read(container, "/sys/fs/cgroup/memory.peak")), ratio(cpuMax[0], cpuMax[1]));
        }
        return new CgroupReading(Long.parseLong(read(container, "/sys/fs/cgroup/memory/memory.limit_in_bytes")),
                Long.parseLong(read(container, "/sys/fs/cgroup/memory/memory.max_usage_in_bytes")),
                ratio(read(container, "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), read(container, "/sys/fs/cgroup/cpu/cpu.cfs_period_us")));
    }

    private static String read(String container, String file) {
        return Podman.ok("exec", container, "cat", file).strip();
    }

    private static BigDecimal ratio(String quota, String period) {
        return new BigDecimal(quota).divide(new BigDecimal(period), MathContext.DECIMAL64).stripTrailingZeros();
    }
}
