package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A request the completions endpoint refuses, answered in OpenAI's error shape
 * ({@code {"error": {"message", "type", "param", "code"}}}) with an HTTP status.
 */
public class OpenAiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    public OpenAiError(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** A 400 naming the offending field. */
    public static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", param, null, message);
    }

    public int status() {
        return status;
    }

    public Body body() {
        return new Body(new Detail(getMessage(), type, param, code));
    }

    public record Body(Detail error) {
    }

    public record Detail(String message, String type, String param, @JsonProperty("code") String code) {
    }
}
