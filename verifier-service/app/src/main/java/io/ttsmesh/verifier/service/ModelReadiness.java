package io.ttsmesh.verifier.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the PRM is loaded and the engine takes calls. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    private final VerifierEngineHolder holder;
    private final VerifierConfig config;

    public ModelReadiness(VerifierEngineHolder holder, VerifierConfig config) {
        this.holder = holder;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("prm-model").withData("dir", config.model().dir().toString());
        if (!holder.ready()) {
            return response.down().build();
        }
        return response.up().withData("model", holder.engine().modelId()).withData("task", holder.engine().task())
                .withData("queued", holder.engine().queued()).build();
    }
}
