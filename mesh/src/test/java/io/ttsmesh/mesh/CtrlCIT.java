package io.ttsmesh.mesh;

import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl-C of {@code tts-mesh up} as a user gives it: the launcher jar started as its own process (as .ci/mesh runs it),
 * SIGINT once the mesh is up. It must stop every child on purpose and say so, with the launcher's exit status of a
 * Ctrl-C, no child left, every port free again, and the work dir (logs) removed since nothing failed.
 */
class CtrlCIT {

    private static final Pattern CHILD = Pattern.compile("^  (.+) ready in [0-9.]+ s \\(pid (\\d+), log ", Pattern.MULTILINE);
    private static final Pattern LOGS = Pattern.compile("^  logs +(\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void ctrlCStopsEveryChildOnPurposeAndFreesEveryPort() throws Exception {
        MeshLayout layout = MeshLayout.discover();
        MeshPorts ports = MeshPorts.free(List.of("arithmetic"));
        MeshPorts.PodPorts pod = ports.pod("arithmetic");
        Path output = dir.resolve("launcher.out");
        List<String> command = new ArrayList<>(List.of(
                // A JVM started from a background job inherits SIGINT ignored and keeps it so; a terminal's does not.
                "env", "--default-signal=INT",
                ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-jar", layout.repo().resolve("mesh/target/tts-mesh.jar").toString(), "up",
                "--kafka-port", Integer.toString(ports.kafka()),
                "--kafka-controller-port", Integer.toString(ports.kafkaController()),
                "--orchestrator-http-port", Integer.toString(ports.orchestratorHttp()),
                "--orchestrator-grpc-port", Integer.toString(ports.orchestratorGrpc()),
                "--generator-http-port", Integer.toString(pod.generatorHttp()),
                "--generator-grpc-port", Integer.toString(pod.generatorGrpc()),
                "--verifier-http-port", Integer.toString(pod.verifierHttp()),
                "--verifier-grpc-port", Integer.toString(pod.verifierGrpc()),
                "--ready-timeout", "300"));
        Process launcher = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(7)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !launcher.isAlive() || read(output).contains("Press Ctrl-C to stop the mesh."));
            assertThat(launcher.isAlive()).as("the launcher is up:\n" + read(output)).isTrue();
            String up = read(output);
            Map<String, Long> children = new java.util.LinkedHashMap<>();
            Matcher m = CHILD.matcher(up);
            while (m.find()) {
                children.put(m.group(1), Long.parseLong(m.group(2)));
            }
            assertThat(children).as(up).containsOnlyKeys("Kafka broker", "generator", "verifier", "orchestrator");
            Matcher logs = LOGS.matcher(up);
            assertThat(logs.find()).as(up).isTrue();
            Path workDir = Path.of(logs.group(1));
            assertThat(Files.readString(workDir.resolve("kafka/broker.log"))).as("the broker logs to its log")
                    .contains("Kafka Server started");

            new ProcessBuilder("kill", "-INT", Long.toString(launcher.pid())).inheritIO().start().waitFor();
            assertThat(launcher.waitFor(3, TimeUnit.MINUTES)).as("the launcher exits").isTrue();

            String all = read(output);
            String stop = all.substring(all.indexOf("Press Ctrl-C to stop the mesh."));
            assertThat(launcher.exitValue()).as(stop).isEqualTo(130);
            assertThat(all).doesNotContain("unexpectedly", "Exception in thread");
            assertThat(stop).contains("Stopping the mesh ...", "  orchestrator stopped (", "  generator stopped (",
                    "  verifier stopped (", "  kafka broker stopped (").doesNotContain("killed", "already exited", "failed");
            children.forEach((name, pid) -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as(name + " (pid " + pid + ") is gone").isFalse());
            ports.byName().forEach((name, port) -> assertThat(MeshPorts.isFree(port)).as(name + " port " + port + " is free").isTrue());
            assertThat(workDir).as("nothing failed: the logs are removed").doesNotExist();
        } finally {
            launcher.destroyForcibly();
        }
    }

    private static String read(Path file) throws Exception {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
