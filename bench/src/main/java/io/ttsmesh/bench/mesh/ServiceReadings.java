package io.ttsmesh.bench.mesh;

import io.ttsmesh.mesh.local.LocalMesh;

/**
 * The services' metrics read around mesh searches run one at a time, to count each search's round trips and time
 * its parts. The read after a search that settled serves as the read before the next one: between them only
 * in-process searches run, in this JVM, and the services count nothing. Each scrape of a service renders its whole
 * Prometheus exposition (HTTP, every meter, the JVM's threads), which costs CPU, garbage and, until compiled, the JIT's
 * time in the service and in this JVM, beside whatever search comes next; one read per search halves that.
 */
final class ServiceReadings {

    private final LocalMesh mesh;
    /** The last read taken once a search had settled, or null when the next search needs its own read before it. */
    private MeshMetrics settledRead;

    ServiceReadings(LocalMesh mesh) {
        this.mesh = mesh;
    }

    /** The read to count the next search from: the last settled one, or a new one; null when unreadable. */
    MeshMetrics before() {
        return settledRead != null ? settledRead : read();
    }

    /**
     * The metrics after a search, once it has settled or a second has passed (then its round trips are still counted,
     * its times are not); null when they cannot be read.
     */
    MeshMetrics afterSettling(MeshMetrics before) throws InterruptedException {
        settledRead = null;
        for (int attempt = 0; ; attempt++) {
            MeshMetrics now = read();
            if (now == null) {
                return null;
            }
            if (settled(before, now)) {
                settledRead = now;
                return now;
            }
            if (attempt == 99) {
                System.out.println("the search did not settle within a second; its times not counted");
                return now;
            }
            Thread.sleep(10);
        }
    }

    /**
     * Whether the search has settled between the two reads: the orchestrator has recorded it and the generator holds
     * no session. The client hears the answer before the orchestrator closes the search's generator session, and that
     * close (its command, its messages) belongs to the search too.
     */
    static boolean settled(MeshMetrics before, MeshMetrics after) {
        return after.times().searches() > before.times().searches() && after.openGeneratorSessions() == 0;
    }

    private MeshMetrics read() {
        try {
            return MeshMetrics.read(mesh);
        } catch (IllegalStateException unreadable) {
            System.out.println("metrics unreadable, round trips and times of this search not counted: " + unreadable.getMessage());
            return null;
        }
    }
}
