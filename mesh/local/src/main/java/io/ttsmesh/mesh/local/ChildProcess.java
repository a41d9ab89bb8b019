package io.ttsmesh.mesh.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One child process (the broker, a service, a one-shot tool), its output in a log file: the one harness of the
 * launcher, the mesh tests and the benchmarks. Stopping it is bounded: SIGTERM, a grace period, then SIGKILL.
 * Every child runs in a session of its own, so a Ctrl-C at the terminal reaches the launcher alone, which then
 * stops its children in order (a child that got the terminal's SIGINT itself would die before the parts that
 * depend on it); the watchdog agent ({@link JavaCommand}) ends a child whose launcher died without stopping it.
 */
public final class ChildProcess implements AutoCloseable {

    /** How a stop went: the child had already exited by itself, exited on SIGTERM, or needed SIGKILL. */
    public enum Ending { EXITED_BEFORE, STOPPED, KILLED }

    /** @param status the exit status; -1 when the child was not running at all */
    public record Stop(Ending ending, int status, Duration took) {
    }

    private static final Duration PROBE_BOUND = Duration.ofSeconds(3);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final Path log;
    /** When SIGTERM was sent (System.nanoTime), or 0: an exit after it is a stop, not a failure. */
    private volatile long stopRequested;
    private volatile long exited;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        process.onExit().thenRun(() -> exited = System.nanoTime());
    }

    /** Starts {@code command}; its stdout and stderr go to {@code log} (appended, so a restart keeps the history). */
    public static ChildProcess start(String name, List<String> command, Path log, Path workDir) {
        List<String> detached = new ArrayList<>();
        // setsid(1) execs in place (a child of a JVM is no group leader), so the pid is the command's own.
        if (Files.isExecutable(SETSID)) {
            detached.add(SETSID.toString());
        }
        detached.addAll(command);
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(detached)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
            return new ChildProcess(name, p, log);
        } catch (IOException e) {
            throw new MeshStartException("could not start " + name + " (" + String.join(" ", command) + "): " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** CPU time the child has used so far (all its threads), or 0 where the OS does not say. */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Waits until {@code url} answers 200, failing at once if the process exits, or after {@code timeout}. */
    public void awaitHttpOk(URI url, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw failure("exited with status " + process.exitValue() + " before " + url + " answered");
            }
            try {
                HttpResponse<String> r = BoundedGet.get(url, PROBE_BOUND);
                if (r.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + r.statusCode() + ": " + abbreviate(r.body());
            } catch (IOException notYet) {
                last = notYet.getClass().getSimpleName() + (notYet.getMessage() == null ? "" : ": " + notYet.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MeshStartException("interrupted while waiting for " + name);
            }
            pause(Duration.ofMillis(250));
        }
        throw failure("not ready after " + timeout.toSeconds() + " s (" + url + " last said: " + last + ")");
    }

    /** Waits for the process to exit by itself (a one-shot tool), failing on a non-zero status or after {@code timeout}. */
    public void awaitSuccess(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw failure("did not finish in " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new MeshStartException("interrupted while waiting for " + name);
        }
        if (process.exitValue() != 0) {
            throw failure("failed with status " + process.exitValue());
        }
    }

    /** An error naming this child, with the end of its log. */
    public MeshStartException failure(String what) {
        return new MeshStartException(name + " " + what + "\n--- last lines of " + log + " ---\n" + logTail(40));
    }

    public String logTail(int lines) {
        Deque<String> tail = new ArrayDeque<>(lines);
        try (Stream<String> all = Files.lines(log, StandardCharsets.UTF_8)) {
            all.forEach(line -> {
                if (tail.size() == lines) {
                    tail.removeFirst();
                }
                tail.addLast(line);
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
        return String.join("\n", tail);
    }

    /** SIGKILL, as a crash would: no shutdown hook of the child runs. Returns once the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitQuietly(Duration.ofSeconds(30));
    }

    /** SIGTERM without waiting; {@link #stop} waits. */
    public void requestStop() {
        if (process.isAlive() && stopRequested == 0) {
            stopRequested = System.nanoTime();
            process.destroy();
        }
    }

    /** SIGTERM (unless {@link #requestStop} sent it), up to {@code grace} to exit, then SIGKILL; says which it took. */
    public Stop stop(Duration grace) {
        if (!process.isAlive() && stopRequested == 0) {
            return new Stop(Ending.EXITED_BEFORE, process.exitValue(), Duration.ZERO);
        }
        requestStop();
        long t0 = stopRequested;
        Ending ending = Ending.STOPPED;
        if (!waitQuietly(grace)) {
            kill();
            ending = Ending.KILLED;
        }
        long end = exited != 0 ? exited : System.nanoTime();
        return new Stop(ending, process.isAlive() ? -1 : process.exitValue(), Duration.ofNanos(Math.max(0, end - t0)));
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(20));
    }

    private boolean waitQuietly(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }

    /** The pause between two readiness probes of a starting child. */
    public static void pause(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshStartException("interrupted");
        }
    }
}
