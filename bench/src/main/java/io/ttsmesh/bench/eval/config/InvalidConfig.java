package io.ttsmesh.bench.eval.config;

/** An evaluation config that cannot run; the message names the file, the run and the field. */
public class InvalidConfig extends RuntimeException {

    public InvalidConfig(String message) {
        super(message);
    }

    public InvalidConfig(String message, Throwable cause) {
        super(message, cause);
    }
}
