package io.ttsmesh.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the test-bed models shipped in the repository's {@code models/} folder: the system property
 * {@code ttsmesh.models.dir} (set by the build for tests), else the nearest {@code models/} folder
 * above the working directory.
 */
public final class BundledModels {

    public static final String PROPERTY = "ttsmesh.models.dir";

    private BundledModels() {
    }

    public static Path root() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("models/generator"))) {
                return dir.resolve("models");
            }
        }
        throw new IllegalStateException("bundled models not found: set -D" + PROPERTY + " to the repository's models/ folder");
    }

    public static Path generator() {
        return root().resolve("generator");
    }

    public static Path prm() {
        return root().resolve("prm");
    }

    /** The architecture-exact fixtures of real model families (models/fixtures, see its README). */
    public static Path fixture(String name) {
        return root().resolve("fixtures").resolve(name);
    }

    public static Path heldout() {
        return root().resolve("eval/heldout.jsonl");
    }
}
