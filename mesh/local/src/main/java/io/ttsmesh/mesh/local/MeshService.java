package io.ttsmesh.mesh.local;

/** The three services of the mesh, by the module that builds each. */
public enum MeshService {
    GENERATOR("generator", "generator-service/app"),
    VERIFIER("verifier", "verifier-service/app"),
    ORCHESTRATOR("orchestrator", "orchestrator-service/app");

    private final String displayName;
    private final String module;

    MeshService(String displayName, String module) {
        this.displayName = displayName;
        this.module = module;
    }

    public String displayName() {
        return displayName;
    }

    public String module() {
        return module;
    }
}
