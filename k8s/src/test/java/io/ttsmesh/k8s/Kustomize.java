package io.ttsmesh.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with {@code kubectl kustomize}, the same renderer {@code kubectl apply -k} uses.
 * The kubectl binary is {@code $KUBECTL} or {@code kubectl} on the PATH; .ci/run installs it.
 */
final class Kustomize {

    private static final long TIMEOUT_SECONDS = 120;

    private Kustomize() {
    }

    /** The k8s/ directory of the checkout (set by surefire; the working directory otherwise). */
    static Path k8sDir() {
        return Path.of(System.getProperty("ttsmesh.k8s.dir", ".")).toAbsolutePath().normalize();
    }

    static String render(Path kustomization) {
        String kubectl = System.getenv().getOrDefault("KUBECTL", "kubectl");
        Path stderr = null;
        try {
            stderr = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(kubectl, "kustomize", kustomization.toString())
                    .redirectError(stderr.toFile())
                    .start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + kustomization + " ran past " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new RenderFailed(kustomization, Files.readString(stderr).strip());
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + kubectl + " kustomize' (" + e.getMessage()
                    + "): install kubectl (Debian package kubectl; .ci/run does) or point $KUBECTL at it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + kustomization, e);
        } finally {
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** kubectl refused the kustomization itself (a broken patch, a missing file). */
    static final class RenderFailed extends RuntimeException {
        RenderFailed(Path kustomization, String message) {
            super("kubectl kustomize " + kustomization + " failed: " + message);
        }
    }
}
