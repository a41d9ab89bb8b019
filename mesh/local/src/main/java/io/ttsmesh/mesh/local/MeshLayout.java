package io.ttsmesh.mesh.local;

import io.ttsmesh.task.TaskRegistry;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where the parts of the local mesh are in a checkout: the services' built fast-jars, the bundled models, the
 * watchdog agent, and the classpath the broker runs with (the mesh's own, which holds kafka_2.13).
 *
 * @param repo          the repository root
 * @param models        the bundled models ({@code models/}: the default task's generator/, prm/, eval/; every other
 *                      task's in {@code models/<task>/})
 * @param watchdogAgent {@code mesh/local/target/mesh-local-watchdog.jar}
 * @param classpath     the classpath of this JVM; the broker and its storage tool run with it
 * @param serviceJars   the services' built fast-jars
 */
public record MeshLayout(Path repo, Path models, Path watchdogAgent, String classpath, Map<MeshService, Path> serviceJars) {

    public MeshLayout {
        serviceJars = Map.copyOf(serviceJars);
    }

    /** System property naming the repository root (set by failsafe); else found from where this class was loaded. */
    public static final String REPO_PROPERTY = "ttsmesh.repo.dir";
    public static final String MODELS_PROPERTY = "ttsmesh.models.dir";
    public static final String WATCHDOG_PROPERTY = "ttsmesh.mesh.watchdog";
    public static final String BUILD_COMMAND = "./mvnw -B -ntp -q package -DskipTests -pl mesh -am";

    /** The layout of this checkout, every part of the mesh checked to be built. */
    public static MeshLayout discover() {
        MeshLayout layout = locate();
        layout.check();
        return layout;
    }

    /** The layout of this checkout, nothing checked (for commands that only read its question files). */
    public static MeshLayout locate() {
        Path repo = property(REPO_PROPERTY).orElseGet(MeshLayout::repoFromCodeSource);
        Path models = property(MODELS_PROPERTY).orElse(repo.resolve("models"));
        Path watchdog = property(WATCHDOG_PROPERTY).orElse(repo.resolve("mesh/local/target/mesh-local-watchdog.jar"));
        Map<MeshService, Path> jars = new EnumMap<>(MeshService.class);
        for (MeshService s : MeshService.values()) {
            jars.put(s, repo.resolve(s.module()).resolve("target/quarkus-app/quarkus-run.jar"));
        }
        return new MeshLayout(repo, models, watchdog, absolute(System.getProperty("java.class.path")), jars);
    }

    /** The built fast-jar of a service. */
    public Path serviceJar(MeshService service) {
        return serviceJars.get(service);
    }

    /** This layout with the models in {@code dir} (default task's at its top, every other task's below it). */
    public MeshLayout withModels(Path dir) {
        return new MeshLayout(repo, dir.toAbsolutePath(), watchdogAgent, classpath, serviceJars);
    }

    /** This layout with {@code service} run from {@code jar}. */
    public MeshLayout withServiceJar(MeshService service, Path jar) {
        Map<MeshService, Path> jars = new EnumMap<>(serviceJars);
        jars.put(service, jar.toAbsolutePath());
        return new MeshLayout(repo, models, watchdogAgent, classpath, jars);
    }

    /** Where a task's models and question files are: the default task's at the top of models/, the others' below it. */
    public Path taskModels(String task) {
        return TaskRegistry.DEFAULT.equals(task) ? models : models.resolve(task);
    }

    public Path generatorModel(String task) {
        return taskModels(task).resolve("generator");
    }

    public Path prmModel(String task) {
        return taskModels(task).resolve("prm");
    }

    /** The task's held-out question file (JSONL, one question per line). */
    public Path heldout(String task) {
        return taskModels(task).resolve("eval/heldout.jsonl");
    }

    /** Fails naming the first model a task's pods would need that is missing. */
    public void requireModels(List<String> tasks) {
        for (String task : tasks) {
            for (Path model : List.of(generatorModel(task), prmModel(task))) {
                if (!Files.isRegularFile(model.resolve("model.onnx"))) {
                    throw new MeshStartException("model of task '" + task + "' missing: " + model.resolve("model.onnx")
                            + " (set -D" + MODELS_PROPERTY + " to the repository's models/ folder)");
                }
            }
        }
    }

    /** Fails naming every part of the mesh that is not built. */
    public void check() {
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

    /** The repository holding this class's jar or classes folder (mesh/local/target/..., mesh/target/lib/..., bench/target/lib/...). */
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
