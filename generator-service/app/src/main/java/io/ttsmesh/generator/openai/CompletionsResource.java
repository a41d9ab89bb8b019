package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.RunOnVirtualThread;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.generator.pod.GeneratorConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * OpenAI-compatible {@code POST /v1/completions} on the generator's engine, so that OpenAI clients and
 * tools can use a generator pod as a plain backend. {@code stream: true} answers with server-sent events
 * ({@code data: <chunk>} lines, then {@code data: [DONE]}).
 */
@Path("/v1/completions")
public class CompletionsResource {

    @Inject
    GeneratorEngine engine;

    @Inject
    GeneratorConfig config;

    @Inject
    ObjectMapper json;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public Response complete(CompletionRequest request) {
        if (request == null) {
            throw OpenAiError.invalid(null, "a JSON body is required");
        }
        CompletionRequest.Plan plan = request.check(engine.describe(), config.openai().stop().orElse(java.util.List.of()));
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long deadline = System.nanoTime() + config.openai().timeout().toNanos();
        CompletionRun run = new CompletionRun(engine, plan, id, deadline);
        run.start();
        if (!plan.stream()) {
            return Response.ok(run.complete(), MediaType.APPLICATION_JSON).build();
        }
        StreamingOutput body = out -> {
            try {
                run.stream(chunk -> event(out, json.writeValueAsString(chunk)));
                event(out, "[DONE]");
            } catch (OpenAiError refused) {
                event(out, json.writeValueAsString(refused.body()));
            }
        };
        return Response.ok(body, "text/event-stream").header("Cache-Control", "no-cache").build();
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
