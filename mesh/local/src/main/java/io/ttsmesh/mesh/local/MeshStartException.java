package io.ttsmesh.mesh.local;

/** A part of the local mesh could not be started or did not become ready; the message says which and why. */
public class MeshStartException extends RuntimeException {

    public MeshStartException(String message) {
        super(message);
    }

    public MeshStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
