package io.ttsmesh.generator.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** OpenAI's chat completion object. */
public record ChatCompletion(String id, String object, long created, String model, List<Choice> choices,
                             Completion.Usage usage) {

    static ChatCompletion of(Completion completion) {
        List<Choice> choices = completion.choices().stream()
                .map(c -> new Choice(c.index(), new Message("assistant", c.text()), c.finishReason())).toList();
        return new ChatCompletion(completion.id().replaceFirst("^cmpl-", "chatcmpl-"), "chat.completion",
                completion.created(), completion.model(), choices, completion.usage());
    }

    public record Choice(int index, Message message, @JsonProperty("finish_reason") String finishReason) {
    }

    public record Message(String role, String content) {
    }
}
