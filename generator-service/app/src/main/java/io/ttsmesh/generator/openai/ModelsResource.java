package io.ttsmesh.generator.openai;

import io.ttsmesh.generator.engine.GeneratorEngine;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** OpenAI's {@code GET /v1/models}: the one model this pod serves. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    /** Pod start, as the model's {@code created} (seconds). */
    private static final long STARTED = System.currentTimeMillis() / 1000;

    @Inject
    GeneratorEngine engine;

    public record Model(String id, String object, long created, @com.fasterxml.jackson.annotation.JsonProperty("owned_by") String ownedBy) {
    }

    public record ModelList(String object, List<Model> data) {
    }

    @GET
    public ModelList list() {
        return new ModelList("list", List.of(model()));
    }

    @GET
    @Path("/{id}")
    public Model get(@PathParam("id") String id) {
        Model served = model();
        if (!served.id().equals(id)) {
            throw new OpenAiError(404, "invalid_request_error", "model", "model_not_found",
                    "model '" + id + "' is not served here; this pod serves '" + served.id() + "'");
        }
        return served;
    }

    private Model model() {
        return new Model(engine.describe().model(), "model", STARTED, "tts-mesh");
    }
}
