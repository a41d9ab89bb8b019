package io.ttsmesh.mesh.local;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The message broker of a {@link LocalMesh}, where it runs one (the developer mesh's Kafka broker); a mesh without
 * one runs the orchestrator with its Kafka plane off, as the benchmarks do.
 */
public interface MeshBroker {

    /** Makes the broker of a mesh: its data and log in {@code dir}, its ports from {@code ports}. */
    @FunctionalInterface
    interface Factory {
        MeshBroker create(MeshLayout layout, Path dir, MeshPorts ports);
    }

    /** The clients' address, host:port. */
    String bootstrapServers();

    /** Starts it and returns once it answers clients. */
    void start(Duration timeout);

    /** Starts it again on its existing data, after a {@link #stop} or {@link ChildProcess#kill}. */
    void restart(Duration timeout);

    /** The running broker's process; null before {@link #start}. */
    ChildProcess process();

    /** SIGKILL, as a crash would; {@link #restart} brings it back on its data. */
    default void kill() {
        process().kill();
    }
}
