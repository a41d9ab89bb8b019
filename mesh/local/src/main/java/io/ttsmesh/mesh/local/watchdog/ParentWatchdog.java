package io.ttsmesh.mesh.local.watchdog;

import java.util.Optional;

/**
 * A Java agent ({@code -javaagent:tts-mesh-watchdog.jar=<launcher pid>}) that ends its JVM when the launcher
 * process is gone. The launcher's shutdown hook stops its children on Ctrl-C or a normal exit; this covers the
 * cases no hook runs for (kill -9 of the launcher, a crashed test JVM), so no child outlives its launcher.
 * It uses only java.base: it runs inside Kafka and the Quarkus services without touching their classpath.
 */
public final class ParentWatchdog {

    private ParentWatchdog() {
    }

    public static void premain(String args) {
        long parentPid;
        try {
            parentPid = Long.parseLong(args == null ? "" : args.trim());
        } catch (NumberFormatException e) {
            System.err.println("tts-mesh watchdog: expected the launcher's pid as the agent argument, got '" + args + "'");
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty()) {
            exit(parentPid);
            return;
        }
        Thread watcher = new Thread(() -> {
            parent.get().onExit().join();
            exit(parentPid);
        }, "tts-mesh-parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void exit(long parentPid) {
        System.err.println("tts-mesh watchdog: launcher " + parentPid + " is gone; exiting");
        // A graceful exit first (the service's own shutdown hooks run); halt if that does not finish in time.
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(15_000);
            } catch (InterruptedException ignored) {
                // halting now is what was asked
            }
            Runtime.getRuntime().halt(137);
        }, "tts-mesh-watchdog-halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(143), "tts-mesh-watchdog-exit").start();
    }
}
