package io.ttsmesh.grpcstart;

import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.Config;

import java.util.Map;

/**
 * Fails the service's start when its gRPC server did not start. Quarkus only logs that ("Unable to start the gRPC
 * server: ... Address already in use") and runs on with its HTTP endpoints: liveness stays UP and readiness DOWN, so
 * a pod is never restarted and a local mesh waits for a service that cannot serve. A StartupEvent observer that throws
 * stops the application with that error and a non-zero exit status instead.
 *
 * <p>Read from the gRPC health protocol's overall status (service name ""), which Quarkus sets to SERVING once the
 * server listens and which its "gRPC Server" readiness check reads too. StartupEvent comes after the server's start
 * has been attempted and waited for; this observer runs before the others, so no scheduled job or consumer has begun
 * when it stops the start.
 */
@Singleton
public class GrpcServerStartCheck {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent started,
                 Instance<GrpcHealthStorage> health, Config config) {
        if (health.isResolvable()) {
            requireServing(health.get().getStatuses(), listenAddress(config));
        }
    }

    /** @throws IllegalStateException when the overall status is not SERVING */
    static void requireServing(Map<String, ServingStatus> statuses, String address) {
        ServingStatus overall = statuses.get(GrpcHealthStorage.DEFAULT_SERVICE_NAME);
        if (overall != ServingStatus.SERVING) {
            throw new IllegalStateException("the gRPC server did not start on " + address + " (its overall health is "
                    + (overall == null ? "unset" : overall) + "; the cause is logged above by GrpcServerRecorder, e.g. "
                    + "the port is taken): stopping instead of running without the gRPC API");
        }
    }

    private static String listenAddress(Config config) {
        String port = LaunchMode.current() == LaunchMode.TEST ? "quarkus.grpc.server.test-port" : "quarkus.grpc.server.port";
        return config.getOptionalValue("quarkus.grpc.server.host", String.class).orElse("0.0.0.0") + ":"
                + config.getOptionalValue(port, String.class).orElse("?") + " (" + port + ")";
    }
}
