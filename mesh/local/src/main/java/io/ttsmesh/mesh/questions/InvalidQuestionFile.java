package io.ttsmesh.mesh.questions;

/** A question file that cannot be evaluated; the message names the file, the line and the field. */
public class InvalidQuestionFile extends RuntimeException {

    public InvalidQuestionFile(String message) {
        super(message);
    }

    public InvalidQuestionFile(String message, Throwable cause) {
        super(message, cause);
    }
}
