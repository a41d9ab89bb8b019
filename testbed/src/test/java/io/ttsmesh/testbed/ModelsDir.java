package io.ttsmesh.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the checkout's {@code models/} directory (system property set by the build, else upwards). */
final class ModelsDir {
    private ModelsDir() {
    }

    static Path resolve() {
        String prop = System.getProperty("ttsmesh.models.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop, "eval"))) {
            return Paths.get(prop);
        }
        Path p = Paths.get("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("models").resolve("eval"))) {
                return p.resolve("models");
            }
            p = p.getParent();
        }
        throw new IllegalStateException("models/ not found");
    }
}
