package io.ttsmesh.orchestrator.pods;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when, for every served task, at least one generator and one verifier answered the last probe. */
@Readiness
@ApplicationScoped
public class PodReadiness implements HealthCheck {

    private final PodClients mesh;

    PodReadiness(PodClients mesh) {
        this.mesh = mesh;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("mesh");
        boolean up = true;
        for (TaskPods task : mesh.tasks()) {
            up &= describe(task.generators(), response) & describe(task.verifiers(), response);
        }
        return response.status(up).build();
    }

    private static boolean describe(EndpointGroup group, org.eclipse.microprofile.health.HealthCheckResponseBuilder response) {
        int reachable = 0;
        for (Endpoint e : group.endpoints()) {
            boolean ok = Boolean.TRUE.equals(e.reachable());
            reachable += ok ? 1 : 0;
            response.withData(group.kind() + " " + e.address(),
                    ok ? "up (" + e.instance() + ", load " + e.load() + ")"
                            : e.reachable() == null ? "not probed yet" : "down: " + e.lastError());
        }
        response.withData(group.kind() + "s reachable", reachable);
        return reachable > 0;
    }
}
