package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Renders refusals (and unreadable bodies) in OpenAI's error shape, so OpenAI clients report them properly. */
public class OpenAiErrorMapper {

    @ServerExceptionMapper
    public Response refused(OpenAiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON).entity(error.body()).build();
    }

    @ServerExceptionMapper({JsonProcessingException.class, JsonParseException.class, MismatchedInputException.class})
    public Response unreadable(JsonProcessingException error) {
        return refused(OpenAiError.invalid(null, "the request body is not valid JSON for a completion request: "
                + error.getOriginalMessage()));
    }

    /** Quarkus REST wraps an unreadable JSON body in a bare 400; give it a body that says what is wrong. */
    @ServerExceptionMapper
    public Response rejectedBody(WebApplicationException error) {
        if (error.getResponse().getStatus() == 400 && error.getCause() instanceof JsonProcessingException json) {
            return unreadable(json);
        }
        return error.getResponse();
    }
}
