package io.ttsmesh.generator.engine;

import io.ttsmesh.generator.engine.scheduling.EngineLoop;
import io.ttsmesh.generator.engine.scheduling.SessionState;
import io.ttsmesh.runtime.TextTokenizer;

/**
 * One client's session with the engine (one gRPC stream, one in-process search, one OpenAI request):
 * the branches it creates are its own, ids are its choice. Commands are queued and answered
 * asynchronously through the session's {@link SessionListener}, in order of arrival per branch.
 * Thread-safe; any thread may submit.
 */
public final class EngineSession {

    private final String requestId;
    private final EngineLoop loop;
    private final SessionState state;
    private final TextTokenizer tokenizer;

    EngineSession(String requestId, EngineLoop loop, SessionState state, TextTokenizer tokenizer) {
        this.requestId = requestId;
        this.loop = loop;
        this.state = state;
        this.tokenizer = tokenizer;
    }

    public String requestId() {
        return requestId;
    }

    /** Queues a command; text it carries (prompt, appended text, cue) is tokenized here, on the caller's thread. */
    public void submit(Command command) {
        int[] tokens = switch (command) {
            case Command.Start start -> tokenize(start.prompt());
            case Command.Append append -> tokenize(append.text());
            case Command.Probe probe -> tokenize(probe.cue());
            default -> null;
        };
        loop.submit(state, command, tokens);
    }

    private int[] tokenize(String text) {
        if (text == null || text.isEmpty()) {
            return new int[0];
        }
        long[] ids = tokenizer.encode(text);
        int[] tokens = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tokens[i] = Math.toIntExact(ids[i]);
        }
        return tokens;
    }

    /** The client went away: every branch is freed, nothing more is answered. Idempotent. */
    public void abandon() {
        loop.abandon(state);
    }
}
