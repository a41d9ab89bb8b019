package io.ttsmesh.generator.pod;

import io.ttsmesh.generator.engine.GeneratorEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the model is loaded (the engine is created at start, so a pod that is up has its model). */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    GeneratorEngine engine;

    @Override
    public HealthCheckResponse call() {
        var d = engine.describe();
        return HealthCheckResponse.named("generator-model").up()
                .withData("model", d.model())
                .withData("execution_provider", d.executionProvider())
                .withData("live_branches", d.liveBranches())
                .build();
    }
}
