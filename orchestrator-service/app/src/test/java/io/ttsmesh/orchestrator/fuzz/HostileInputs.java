package io.ttsmesh.orchestrator.fuzz;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.math.BigInteger;
import java.util.function.Function;

/**
 * Generators (jqwik) of hostile requests: a good request with exactly one part made wrong (wrong type, huge
 * string, deep nesting, invalid text, negative or overflowing number, unknown enum or strategy, absurd budget),
 * each with the field a client error must name ("" where the body as a whole is unreadable).
 */
final class HostileInputs {


    /** A hostile body and the field its error must name ("" = the body: not a readable request at all). */
    record Hostile(String field, String body) {
        @Override
        public String toString() {
            return field + " <- " + (body.length() > 300 ? body.substring(0, 300) + "...(" + body.length() + " chars)" : body);
        }
    }

    private HostileInputs() {
    }

    static ObjectNode goodSolveRequest(String id) {
        ObjectNode r = JsonNodeFactory.instance.objectNode().put("request_id", id).put("question", "3+4");
        r.putObject("strategy").put("name", "best_of_n").putObject("params").put("n", "2");
        r.putObject("budget").put("max_tokens", 500).put("max_verifier_calls", 20).put("deadline_ms", 5000);
        return r;
    }

    static ObjectNode goodChat() {
        ObjectNode r = JsonNodeFactory.instance.objectNode().put("model", "tts-mesh/best_of_n");
        r.putObject("tts_params").put("n", 2);
        r.putArray("messages").addObject().put("role", "user").put("content", "3+4");
        return r;
    }

    /** The request with {@code field} set to the raw JSON {@code value}. */
    private static String withRaw(ObjectNode request, String field, String value) {
        request.remove(field);
        String json = request.toString();
        return json.substring(0, json.length() - 1) + ",\"" + field + "\":" + value + "}";
    }

    private static Arbitrary<String> nonIdChars() {
        return Arbitraries.strings().withChars("!@#$%^&*() /\\'\"<>{}[]|\u00e9\u4e2d\t\n\u0000\u202e")
                .ofMinLength(1).ofMaxLength(30)
                .flatMap(bad -> Arbitraries.strings().alpha().ofMaxLength(20).map(ok -> ok + bad));
    }

    /** Lone surrogates cannot be sent as UTF-8 at all; other tests send invalid bytes on purpose. */
    private static boolean noSurrogate(String s) {
        return s.chars().noneMatch(c -> Character.isSurrogate((char) c));
    }

    private static Arbitrary<String> deep() {
        return Arbitraries.integers().between(40, 20_000).map(n -> "[".repeat(n) + "]".repeat(n));
    }

    private static Arbitrary<String> wrongTypeJson() {
        return Arbitraries.of("12", "true", "{}", "{\"a\":1}", "1.5e300", "\"x\"");
    }

    /** Hostile SolveRequest bodies (REST /v1/solve and /v1/jobs, Kafka tts.requests records). */
    static Arbitrary<Hostile> solveRequests() {
        Function<ObjectNode, ObjectNode> base = ignored -> goodSolveRequest("fz-" + System.nanoTime());
        return Arbitraries.oneOf(
                nonIdChars().map(id -> new Hostile("request_id", goodSolveRequest("x").put("request_id", id).toString())),
                Arbitraries.integers().between(129, 5000).map(n -> new Hostile("request_id", goodSolveRequest("a".repeat(n)).toString())),
                Arbitraries.integers().between(8193, 300_000).map(n -> new Hostile("question", base.apply(null).put("question", "1+".repeat(n / 2 + 1)).toString())),
                Arbitraries.of("   ", "\n\t").map(q -> new Hostile("question", base.apply(null).put("question", q).toString())),
                Arbitraries.of("\\ud800", "\\udfff", "3+4\\ud83d", "\\u0000").map(bad -> new Hostile("question",
                        base.apply(null).put("question", "Q").toString().replace("\"Q\"", "\"3+4" + bad + "\""))),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(80).map(name -> {
                    ObjectNode r = base.apply(null);
                    ((ObjectNode) r.get("strategy")).put("name", "zz" + name);
                    return new Hostile("strategy.name", r.toString());
                }),
                Arbitraries.of("-5", "0", "abc", "1e12", "99999999999999999999", "", "NaN", "2.5").map(n -> {
                    ObjectNode r = base.apply(null);
                    ((ObjectNode) r.get("strategy").get("params")).put("n", n);
                    return new Hostile("strategy", r.toString());
                }),
                Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1_000_001, Long.MAX_VALUE)).map(t -> {
                    ObjectNode r = base.apply(null);
                    ((ObjectNode) r.get("budget")).put("max_tokens", t);
                    return new Hostile("budget.max_tokens", r.toString());
                }),
                Arbitraries.oneOf(Arbitraries.longs().between(600_001, 4_294_967_295L), Arbitraries.just(0L)).map(d -> {
                    ObjectNode r = base.apply(null);
                    ((ObjectNode) r.get("budget")).put("deadline_ms", d);
                    return new Hostile("budget.deadline_ms", r.toString());
                }),
                Arbitraries.longs().between(100_001, 4_294_967_295L).map(v -> {
                    ObjectNode r = base.apply(null);
                    ((ObjectNode) r.get("budget")).put("max_verifier_calls", v);
                    return new Hostile("budget.max_verifier_calls", r.toString());
                }),
                // Negative values for unsigned fields: unreadable.
                Arbitraries.of("max_tokens", "max_verifier_calls", "deadline_ms").flatMap(f -> Arbitraries.longs().between(Long.MIN_VALUE, -1).map(v -> {
                    ObjectNode r = base.apply(null);
                    ((ObjectNode) r.get("budget")).put(f, v);
                    return new Hostile("", r.toString());
                })),
                // Numbers a 32/64-bit field cannot hold, negative unsigned: unreadable.
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(20), BigInteger.TEN.pow(40)).map(big -> {
                    ObjectNode r = base.apply(null);
                    ((ObjectNode) r.get("budget")).put("max_tokens", big);
                    return new Hostile("", r.toString());
                }),
                // A JSON type the field cannot take. (The proto3 JSON parser reads a number or boolean given for a
                // string field as its text, so those are not wrong types for request_id and question.)
                Arbitraries.of("request_id", "question").flatMap(field -> Arbitraries.of("[]", "[1,2]", "{}", "{\"a\":1}")
                        .map(v -> new Hostile("", withRaw(base.apply(null), field, v)))),
                Arbitraries.of("strategy", "budget", "sampling", "policies").flatMap(field -> Arbitraries.of("12", "-1", "true", "\"\"", "1.5e300", "\"x\"")
                        .map(v -> new Hostile("", withRaw(base.apply(null), field, v)))),
                Arbitraries.of("strategy", "budget").map(field -> new Hostile(field, withRaw(base.apply(null), field, "{}"))),
                Arbitraries.strings().withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(20).map(e ->
                        new Hostile("", base.apply(null).put("detail", "ZZ" + e).toString())),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20).map(f ->
                        new Hostile("", base.apply(null).put("zz_" + f, 1).toString())),
                deep().map(d -> new Hostile("", base.apply(null).toString().replace("\"3+4\"", d))),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(200).filter(s -> !s.isBlank()).map(s -> new Hostile("", s)),
                Arbitraries.integers().between(1, 150).map(cut -> new Hostile("", base.apply(null).toString().substring(0, cut))),
                Arbitraries.of(-1.0, 5.5, 1e30, -1e30).map(t -> {
                    ObjectNode r = base.apply(null);
                    r.putObject("sampling").put("temperature", t);
                    return new Hostile(Math.abs(t) > 3.4e38 ? "" : "sampling.temperature", r.toString());
                }),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30).map(p -> {
                    ObjectNode r = base.apply(null);
                    r.putArray("policies").addObject().put("name", "zz" + p);
                    return new Hostile("policies[0].name", r.toString());
                }),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30).map(a ->
                        new Hostile("aggregation", base.apply(null).put("aggregation", "zz" + a).toString())),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(100).filter(HostileInputs::noSurrogate).map(t ->
                        new Hostile("task", base.apply(null).put("task", "zz" + t).toString())),
                Arbitraries.of("3 5 8 1 2 4 -> 16", "3 13 8 -> 16", "3 5 8 -> 100", "{\"numbers\":[3,5],\"target\":16}", "2+3")
                        .map(q -> new Hostile("question", base.apply(null).put("task", "countdown").put("question", q).toString())));
    }

    /** Hostile OpenAI chat/completions bodies; field = the "param" the error must name ("" = any). */
    static Arbitrary<Hostile> openAi() {
        return Arbitraries.oneOf(
                wrongTypeJson().map(v -> new Hostile("", goodChat().toString().replaceFirst("\\[\\{\"role\".*?\\}\\]", v)))
                        .filter(h -> !h.body().contains("\"messages\":[{")),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(60).map(m ->
                        new Hostile("strategy.name", goodChat().put("model", "tts-mesh/zz" + m).toString())),
                Arbitraries.integers().between(2, 1000).map(n -> new Hostile("n", goodChat().put("n", n).toString())),
                Arbitraries.oneOf(Arbitraries.longs().between(Long.MIN_VALUE, 0), Arbitraries.longs().between(1_000_001, Long.MAX_VALUE))
                        .map(t -> new Hostile("", goodChat().put("max_tokens", t).toString())),
                Arbitraries.of("\"lots\"", "1.5", "[1]", "{}", "1e400", "123456789012345678901234567890").map(v ->
                        new Hostile("max_tokens", goodChat().toString().replaceFirst("\\{", "{\"max_tokens\":" + v + ","))),
                Arbitraries.of("\"hot\"", "[]", "99", "-3").map(v ->
                        new Hostile("", goodChat().toString().replaceFirst("\\{", "{\"temperature\":" + v + ","))),
                Arbitraries.of(0L, -5L, 4_000_000_000L).map(d -> {
                    ObjectNode r = goodChat();
                    r.putObject("tts_budget").put("deadline_ms", d);
                    return new Hostile("", r.toString());
                }),
                Arbitraries.of("12", "{}", "[{\"role\":\"system\",\"content\":\"x\"}]", "[{\"role\":\"user\",\"content\":7}]", "[]").map(v ->
                        new Hostile("messages", goodChat().toString().replaceFirst("\\[\\{\"role\".*?\\}\\]", v))),
                Arbitraries.integers().between(8193, 200_000).map(n -> {
                    ObjectNode r = goodChat();
                    ((ObjectNode) r.get("messages").get(0)).put("content", "1+".repeat(n / 2 + 1));
                    return new Hostile("question", r.toString());
                }),
                Arbitraries.just(new Hostile("stream", goodChat().put("stream", "yes").toString())),
                deep().map(d -> new Hostile("", goodChat().toString().replace("\"3+4\"", d))),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(200).filter(s -> !s.isBlank()).map(s -> new Hostile("", s)),
                Arbitraries.of("{\"a\":{\"b\":1}}", "[1]", "7").map(v ->
                        new Hostile("tts_params", goodChat().toString().replace("{\"n\":2}", v))),
                nonIdChars().map(id -> new Hostile("request_id", goodChat().put("tts_request_id", id).toString())),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30).map(t ->
                        new Hostile("task", goodChat().put("model", "tts-mesh/zz" + t + "/best_of_n").toString())),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(60).filter(HostileInputs::noSurrogate).map(t -> {
                    ObjectNode r = goodChat().put("model", "tts-mesh/countdown/best_of_n");
                    ((ObjectNode) r.get("tts_params")).put("task", "zz" + t);
                    return new Hostile("tts_params.task", r.toString());
                }));
    }
}
