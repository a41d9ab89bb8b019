package io.ttsmesh.mesh.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The command line of a child JVM: the launcher's own java, the watchdog agent (tied to this process), system properties. */
public final class JavaCommand {

    private final List<String> args = new ArrayList<>();

    public JavaCommand(Path watchdogAgent, Path tmpDir) {
        if (!java.nio.file.Files.isRegularFile(watchdogAgent)) {
            throw new MeshStartException("the watchdog agent every child runs with is not built: " + watchdogAgent
                    + " (build it: " + MeshLayout.BUILD_COMMAND + ")");
        }
        args.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        args.add("-javaagent:" + watchdogAgent.toAbsolutePath() + "=" + ProcessHandle.current().pid());
        // Native libraries (ONNX Runtime, tokenizers) unpack into the temp dir: keep them in the mesh's work dir.
        args.add("-Djava.io.tmpdir=" + tmpDir.toAbsolutePath());
        args.add("--enable-native-access=ALL-UNNAMED");
    }

    public JavaCommand jvm(String... options) {
        args.addAll(List.of(options));
        return this;
    }

    public JavaCommand properties(Map<String, String> properties) {
        properties.forEach((k, v) -> args.add("-D" + k + "=" + v));
        return this;
    }

    public List<String> jar(Path jar, String... programArgs) {
        List<String> cmd = new ArrayList<>(args);
        cmd.add("-jar");
        cmd.add(jar.toAbsolutePath().toString());
        cmd.addAll(List.of(programArgs));
        return cmd;
    }

    public List<String> main(String classpath, String mainClass, String... programArgs) {
        List<String> cmd = new ArrayList<>(args);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(programArgs));
        return cmd;
    }
}
