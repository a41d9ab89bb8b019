package io.ttsmesh.mesh.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One child process of the local mesh (the broker or a service), its output in a log file. Stopping it is
 * bounded: SIGTERM, a grace period, then SIGKILL. Every child also runs the watchdog agent, so it exits
 * when the launcher dies without stopping it.
 */
public final class ChildProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command}; its stdout and stderr go to {@code log} (appended, so a restart keeps the history). */
    public static ChildProcess start(String name, List<String> command, Path log, Path workDir) {
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command)
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

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code url} answers 200, failing at once if the process exits, or after {@code timeout}. */
    public void awaitHttpOk(URI url, Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build();
        String last = "no answer yet";
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw failure("exited with status " + process.exitValue() + " before " + url + " answered");
            }
            try {
                HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
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
            sleep(250);
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
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /** SIGTERM, up to {@code grace} to exit, then SIGKILL. */
    public void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitQuietly(grace)) {
            kill();
        }
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

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshStartException("interrupted");
        }
    }
}
