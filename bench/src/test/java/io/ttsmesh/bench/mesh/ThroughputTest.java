package io.ttsmesh.bench.mesh;

import io.ttsmesh.search.SearchRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ThroughputTest {

    private static final LatencyStats LAT = LatencyStats.ofNanos(List.of(100_000_000L));

    @Test
    void searchesPerCpuSecondCountEveryCompletedSearchOverTheLevelsCpu() {
        // mesh: 300 searches on 60 CPU s (services + client) = 5/s; in-process: 320 on 40 CPU s = 8/s
        LoadRun mesh = new LoadRun(16, 15, 20, 240, 300, 0, 0, LAT, 60, 0);
        LoadRun inProcess = new LoadRun(16, 15, 16, 300, 320, 0, 0, LAT, 40, 0);
        assertThat(mesh.searchesPerCpuSecond()).isEqualTo(5.0);
        assertThat(mesh.throughput()).isEqualTo(16.0);
        assertThat(mesh.coresUsed()).isEqualTo(3.0);
        ThroughputLevel level = new ThroughputLevel(16, mesh, inProcess, 0, 0, Map.of("generator", 30.0, "client", 6.0),
                new GeneratorCounters(2400, 600, 20000, 900), new GeneratorCounters(2560, 320, 20000, 640));
        assertThat(level.perCpuSecondRatio()).isEqualTo(0.625);
        assertThat(level.throughputRatio()).isEqualTo(0.8);
        // per completed search: 200 ms of CPU through the mesh, 100 of it the generator's; 125 in-process
        assertThat(ThroughputLevel.cpuMsPerSearch(mesh)).isEqualTo(200.0);
        assertThat(ThroughputLevel.cpuMsPerSearch(inProcess)).isEqualTo(125.0);
        assertThat(level.meshCpuMsPerSearch("generator")).isEqualTo(100.0);
        assertThat(level.meshCpuMsPerSearch("verifier")).isNaN();
        // 600 steps of 4 rows for 300 mesh searches; 320 of 8 for 320 in-process
        assertThat(ThroughputLevel.decodeStepsPerSearch(mesh, level.meshDecoding())).isEqualTo(2.0);
        assertThat(ThroughputLevel.decodeStepsPerSearch(inProcess, level.inProcessDecoding())).isEqualTo(1.0);
        assertThat(level.meshDecoding().rowsPerStep()).isEqualTo(4.0);
        assertThat(ThroughputLevel.decodeMsPerSearch(mesh, level.meshDecoding())).isEqualTo(3.0);
        assertThat(new LoadRun(1, 15, 15, 0, 0, 0, 0, LatencyStats.EMPTY, 0, 0).searchesPerCpuSecond()).isNaN();
    }

    @Test
    void theDriverCountsSearchesFailuresAndTheCpuOfItsClock() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        SearchPath everyThirdFails = new SearchPath() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public SearchOutcome solve(SearchRequest r) throws InterruptedException {
                int call = calls.incrementAndGet();
                if (call > 30) {
                    throw new InterruptedException("enough"); // ends this client, as an interrupt would
                }
                boolean fail = call % 3 == 0;
                return new SearchOutcome(fail ? null : "3", List.of(), 1, 1, 1, fail ? "FAILED" : "COMPLETED", "",
                        fail ? "INTERNAL" : null, 1_000_000);
            }

            @Override
            public void close() {
            }
        };
        AtomicLong cpu = new AtomicLong();
        LoadRun run = LoadDriver.run(everyThirdFails, 4, 60, (client, k, seq) -> null,
                () -> cpu.addAndGet(2_000_000_000L), () -> 0, Duration.ofSeconds(10));
        assertThat(run.clients()).isEqualTo(4);
        assertThat(calls.get()).isEqualTo(34); // 30 searches, then each client's last call
        assertThat(run.completed()).isEqualTo(20);
        assertThat(run.failed()).isEqualTo(10);
        assertThat(run.completedInWindow()).isEqualTo(20);
        assertThat(run.cpuSeconds()).isEqualTo(2.0); // the clock read once before and once after
        assertThat(run.latency().meanMs()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void theJitClockReadsThisJvmsCompilerThreadsAPartOfItsCpu() {
        // Starting JUnit alone compiles thousands of methods; on Linux /proc names the compiler threads.
        long jit = CpuClock.compilerThreadsOfThisJvm().cpuNanos();
        long all = CpuClock.thisJvm().cpuNanos();
        assertThat(jit).isPositive().isLessThan(all);
    }
}
