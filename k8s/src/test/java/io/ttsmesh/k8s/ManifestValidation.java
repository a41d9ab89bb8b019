package io.ttsmesh.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Renders a kustomization and lists everything wrong with it: schema problems first, then invariants. */
final class ManifestValidation {

    private ManifestValidation() {
    }

    static Manifest render(Path kustomization) {
        return Manifest.parse(Kustomize.render(kustomization));
    }

    static List<String> problems(Manifest manifest) {
        List<String> problems = new ArrayList<>(SchemaCheck.check(manifest));
        problems.addAll(Invariants.check(manifest));
        return problems;
    }
}
