package io.ttsmesh.runtime.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.FatalTemplateErrorsException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's chat template (the Jinja {@code chat_template} of its {@code tokenizer_config.json}) rendered by
 * Jinjava with the environment {@code transformers}' {@code apply_chat_template} uses: {@code trim_blocks},
 * {@code lstrip_blocks}, the variables {@code messages}, {@code add_generation_prompt}, {@code bos_token},
 * {@code eos_token}, {@code tools} (none) and the function {@code raise_exception}. Thread-safe.
 */
public final class ChatTemplate {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String template;
    private final String source;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinja;

    private ChatTemplate(String template, String source, String bosToken, String eosToken) {
        this.template = template;
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        // Python Jinja's semantics where Jinjava's defaults differ: {{- -}} trims around expressions, operator
        // precedence, map keys evaluated and iterated as keys.
        LegacyOverrides jinja2 = LegacyOverrides.newBuilder().withUseTrimmingForNotesAndExpressions(true)
                .withParseWhitespaceControlStrictly(true).withUseNaturalOperatorPrecedence(true)
                .withEvaluateMapKeys(true).withIterateOverMapKeys(true).build();
        // Nested interpretation off: a message's content is a value, never template source (Jinjava would otherwise
        // evaluate "{{ ... }}" inside a user's question, as Python's Jinja never does).
        this.jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withFailOnUnknownTokens(false).withNestedInterpretationEnabled(false).withLegacyOverrides(jinja2).build());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
    }

    /** Called by templates ({@code raise_exception('...')}) to refuse a conversation they cannot format. */
    public static String raiseException(String message) {
        throw new Refused(message);
    }

    /** What {@code raise_exception} throws; Jinjava wraps it, {@link #render} finds it. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    public static ChatTemplate of(String template, String bosToken, String eosToken) {
        return new ChatTemplate(template, "inline template", nullToEmpty(bosToken), nullToEmpty(eosToken));
    }

    /**
     * The {@code chat_template} of a {@code tokenizer_config.json} (a string, or Hugging Face's list of named
     * templates, of which "default" is taken), with its {@code bos_token} and {@code eos_token}.
     *
     * @throws IllegalArgumentException naming the file and key when there is no template
     */
    public static ChatTemplate read(Path tokenizerConfigJson) {
        JsonNode config;
        try {
            config = JSON.readTree(Files.readString(tokenizerConfigJson));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tokenizerConfigJson, e);
        }
        JsonNode node = config.path("chat_template");
        String template = null;
        if (node.isTextual()) {
            template = node.asText();
        } else if (node.isArray()) {
            for (JsonNode named : node) {
                if ("default".equals(named.path("name").asText())) {
                    template = named.path("template").asText(null);
                }
            }
        }
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException(tokenizerConfigJson + " has no chat_template (a string, or a list with a "
                    + "template named \"default\")");
        }
        return new ChatTemplate(template, tokenizerConfigJson.toString(), token(config.path("bos_token")),
                token(config.path("eos_token")));
    }

    /** A special token given as a string or as {"content": ...}. */
    private static String token(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        return node.path("content").asText("");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    public String template() {
        return template;
    }

    /**
     * The prompt text of {@code messages}: with {@code addGenerationPrompt}, ending where the assistant's
     * answer starts.
     *
     * @throws IllegalArgumentException when the template cannot be rendered or refuses the messages
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> turns = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> turn = new LinkedHashMap<>();
            turn.put("role", m.role());
            turn.put("content", m.content());
            turns.add(turn);
        }
        Map<String, Object> context = new HashMap<>();
        context.put("messages", turns);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RenderResult result;
        try {
            result = jinja.renderForResult(template, context);
        } catch (FatalTemplateErrorsException e) {
            throw new IllegalArgumentException("chat template of " + source + " failed: " + e.getMessage(), e);
        }
        for (TemplateError error : result.getErrors()) {
            for (Throwable t = error.getException(); t != null; t = t.getCause()) {
                if (t instanceof Refused refused) {
                    throw new IllegalArgumentException("the chat template of " + source + " refused the messages: "
                            + refused.getMessage());
                }
            }
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new IllegalArgumentException("chat template of " + source + " failed at line " + error.getLineno()
                        + ": " + error.getMessage());
            }
        }
        return result.getOutput();
    }
}
