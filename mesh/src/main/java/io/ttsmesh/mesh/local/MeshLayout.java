package io.ttsmesh.mesh.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the parts of the local mesh are in a checkout: the services' built fast-jars, the bundled models, the
 * watchdog agent, and the classpath the broker runs with (the mesh's own, which holds kafka_2.13).
 *
 * @param repo          the repository root
 * @param models        the bundled models ({@code models/}: generator/, prm/, eval/)
 * @param watchdogAgent {@code mesh/target/tts-mesh-watchdog.jar}
 * @param classpath     the classpath of this JVM; the broker and its storage tool run with it
 */
public record MeshLayout(Path repo, Path models, Path watchdogAgent, String classpath) {

    /** System property naming the repository root (set by failsafe); else found from where this class was loaded. */
    public static final String REPO_PROPERTY = "ttsmesh.repo.dir";
    public static final String MODELS_PROPERTY = "ttsmesh.models.dir";
    public static final String WATCHDOG_PROPERTY = "ttsmesh.mesh.watchdog";
    public static final String BUILD_COMMAND = "./mvnw -B -ntp -q package -DskipTests -pl mesh -am";

    public static MeshLayout discover() {
        Path repo = property(REPO_PROPERTY).orElseGet(MeshLayout::repoFromCodeSource);
        Path models = property(MODELS_PROPERTY).orElse(repo.resolve("models"));
        Path watchdog = property(WATCHDOG_PROPERTY).orElse(repo.resolve("mesh/target/tts-mesh-watchdog.jar"));
        MeshLayout layout = new MeshLayout(repo, models, watchdog, absolute(System.getProperty("java.class.path")));
        layout.check();
        return layout;
    }

    /** The built fast-jar of a service. */
    public Path serviceJar(MeshService service) {
        return repo.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path generatorModel() {
        return models.resolve("generator");
    }

    public Path prmModel() {
        return models.resolve("prm");
    }

    public Path heldout() {
        return models.resolve("eval/heldout.jsonl");
    }

    private void check() {
        List<String> missing = new ArrayList<>();
        for (MeshService s : MeshService.values()) {
            if (!Files.isRegularFile(serviceJar(s))) {
                missing.add(s.displayName() + " jar " + serviceJar(s));
            }
        }
        if (!Files.isRegularFile(watchdogAgent)) {
            missing.add("watchdog agent " + watchdogAgent);
        }
        if (!missing.isEmpty()) {
            throw new MeshStartException("not built: " + String.join(", ", missing)
                    + "\nbuild them from " + repo + " with: " + BUILD_COMMAND + " (or run .ci/mesh, which does)");
        }
        for (Path model : List.of(generatorModel(), prmModel())) {
            if (!Files.isRegularFile(model.resolve("model.onnx"))) {
                throw new MeshStartException("bundled model missing: " + model.resolve("model.onnx")
                        + " (set -D" + MODELS_PROPERTY + " to the repository's models/ folder)");
            }
        }
    }

    /** The children run in the work dir: a relative entry (java -jar mesh/target/tts-mesh.jar) must not depend on it. */
    private static String absolute(String classpath) {
        return java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
                .filter(e -> !e.isBlank())
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static java.util.Optional<Path> property(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(v).toAbsolutePath());
    }

    /** mesh/target/tts-mesh.jar or mesh/target/classes: the repository is three levels up. */
    private static Path repoFromCodeSource() {
        try {
            Path here = Path.of(MeshLayout.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = here; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("mesh"))) {
                    return dir;
                }
            }
            throw new MeshStartException("the repository root was not found above " + here + "; set -D" + REPO_PROPERTY);
        } catch (URISyntaxException | SecurityException e) {
            throw new MeshStartException("the repository root is unknown; set -D" + REPO_PROPERTY, e);
        }
    }
}
