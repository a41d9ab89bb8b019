package io.ttsmesh.mesh.local;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MeshPortsTest {

    /**
     * Outgoing connections take their local ports from the ephemeral range; a port chosen there can be taken before its
     * service binds it. Where the range is known, the mesh's ports come from below it.
     */
    @Test
    void freePortsAreDistinctFreeAndBelowTheEphemeralRange() {
        int[] ports = MeshPorts.freePorts(24);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(24);
        for (int port : ports) {
            assertThat(MeshPorts.isFree(port)).as("port " + port).isTrue();
        }
        int ephemeral = MeshPorts.ephemeralRangeStart();
        if (ephemeral - MeshPorts.LOWEST_CHOSEN >= MeshPorts.LEAST_ROOM) {
            for (int port : ports) {
                assertThat(port).isBetween(MeshPorts.LOWEST_CHOSEN, ephemeral - 1);
            }
        }
    }

    /** Where Linux publishes the range, it is read whole: it starts above the privileged ports. */
    @Test
    void theEphemeralRangeIsReadWhereTheKernelPublishesIt() {
        if (java.nio.file.Files.isReadable(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            assertThat(MeshPorts.ephemeralRangeStart()).isGreaterThanOrEqualTo(1024);
        }
    }

    @Test
    void aPortIsNeverHandedOutTwice() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            for (int port : MeshPorts.freePorts(4)) {
                assertThat(seen.add(port)).as("port " + port + " handed out again").isTrue();
            }
        }
    }
}
