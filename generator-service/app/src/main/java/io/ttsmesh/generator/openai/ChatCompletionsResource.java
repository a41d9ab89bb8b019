package io.ttsmesh.generator.openai;

import io.smallrye.common.annotation.RunOnVirtualThread;
import io.ttsmesh.generator.engine.GeneratorEngine;
import io.ttsmesh.generator.pod.GeneratorConfig;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.UUID;

/**
 * OpenAI-compatible {@code POST /v1/chat/completions} on the generator: the messages rendered by the model's
 * own chat template (its tokenizer_config.json), then one sample generated to the end (EOS, a stop string or
 * max_tokens), so a generator pod serving a real chat model answers stock chat clients.
 */
@Path("/v1/chat/completions")
public class ChatCompletionsResource {

    @Inject
    GeneratorEngine engine;

    @Inject
    GeneratorConfig config;

    @Inject
    ChatTemplates templates;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RunOnVirtualThread
    public ChatCompletion complete(ChatCompletionRequest request) {
        if (request == null) {
            throw OpenAiError.invalid(null, "a JSON body is required");
        }
        String prompt;
        try {
            prompt = templates.require().render(request.chatMessages(), true);
        } catch (IllegalArgumentException e) {
            throw OpenAiError.invalid("messages", e.getMessage());
        }
        CompletionRequest.Plan plan = request.check(engine.describe(), prompt, config.openai().stop().orElse(List.of()));
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long deadline = System.nanoTime() + config.openai().timeout().toNanos();
        CompletionRun run = new CompletionRun(engine, plan, id, deadline);
        run.start();
        return ChatCompletion.of(run.complete());
    }
}
