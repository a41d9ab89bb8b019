package io.ttsmesh.mesh;

import io.ttsmesh.mesh.local.JavaCommand;
import io.ttsmesh.mesh.local.MeshLayout;
import io.ttsmesh.mesh.local.MeshPorts;
import io.ttsmesh.mesh.local.MeshService;
import io.ttsmesh.mesh.local.MeshStartException;
import io.ttsmesh.mesh.local.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A service whose gRPC port is taken stops at start with a non-zero status and says why, instead of running on
 * without its gRPC API (Quarkus alone logs the bind failure and goes on, readiness DOWN for good): every service, the
 * built jars as the local mesh and the images run them.
 */
class GrpcPortTakenIT {

    @Test
    void aServiceWhoseGrpcPortIsTakenExitsAtStartAndNamesThePort(@TempDir Path work) throws Exception {
        MeshLayout layout = MeshLayout.discover();
        JavaCommand java = new JavaCommand(layout.watchdogAgent(), work);
        for (MeshService service : MeshService.values()) {
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int httpPort = MeshPorts.freePorts(1)[0];
                ServiceProcess pod = ServiceProcess.launch(service.displayName() + "-port-taken", layout.serviceJar(service),
                        java, Map.of(), httpPort, taken.getLocalPort(), work.resolve(service.displayName() + ".log"), work);
                try {
                    assertThatThrownBy(() -> pod.awaitReady(Duration.ofSeconds(120))).as(service.displayName())
                            .isInstanceOf(MeshStartException.class).hasMessageContaining("exited with status 1");
                    assertThat(pod.child().logTail(400)).as(service.displayName() + " log")
                            .contains("the gRPC server did not start on localhost:" + taken.getLocalPort());
                } finally {
                    pod.child().stop(Duration.ofSeconds(10));
                }
            }
        }
    }
}
