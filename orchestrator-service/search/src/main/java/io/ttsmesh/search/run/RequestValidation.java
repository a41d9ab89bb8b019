package io.ttsmesh.search.run;

import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.catalog.Params;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.policy.Policies;
import io.ttsmesh.search.routing.RoutedSelector;
import io.ttsmesh.search.settings.RoutingTable;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.strategy.Strategies;
import io.ttsmesh.search.strategy.Strategy;
import io.ttsmesh.search.strategy.StrategySelector;
import io.ttsmesh.search.tree.Policy;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks a request of one task field by field and prepares it; every refusal names the field. The question
 * is checked by the task and replaced by its canonical text.
 */
final class RequestValidation {

    /** Longest strategy or policy name, parameter name and parameter value; most parameters and policies. */
    private static final int MAX_NAME = 64;
    private static final int MAX_PARAM_CHARS = 256;
    private static final int MAX_PARAMS = 64;
    private static final int MAX_POLICIES = 16;
    private static final String CONFIDENCE = "confidence";
    /** Alternatives per token the confidence verifier needs at least (it averages the top-k log-probabilities). */
    private static final int CONFIDENCE_TOP_LOGPROBS = 2;

    private final Task task;
    private final SearchSettings settings;
    private final List<MethodDefinition<Strategy>> strategies;
    private final List<MethodDefinition<Policy>> policies;
    private final List<MethodDefinition<StrategySelector>> selectors;

    RequestValidation(Task task, SearchSettings settings) {
        this.task = task;
        this.settings = settings;
        this.strategies = Strategies.definitions(settings);
        this.policies = Policies.definitions(settings);
        this.selectors = Policies.selectors(settings);
    }

    private String policyNames() {
        return MethodDefinition.names(policies) + ", " + MethodDefinition.names(selectors);
    }

    /** The request's fields, checked in the order they are listed in the request (its id is the runner's). */
    PreparedSearch prepare(SearchRequest r) {
        String question = canonicalQuestion(r.question());
        checkSizes(r);
        checkBudget(r);
        RoutedSelector.Selection selection = routed(r, question);
        Strategy requested = strategy(selection == null ? r.strategy() : selection.route().strategy());
        Strategy strategy = requested;
        List<Policy> chosen = new ArrayList<>();
        List<MethodSpec> specs = new ArrayList<>();
        List<String> askVerifier = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int expansions = 0;
        for (int i = 0; i < r.policies().size(); i++) {
            String field = "policies[" + i + "]";
            MethodSpec spec = r.policies().get(i);
            if (spec == null || spec.name() == null || spec.name().isBlank()) {
                throw new InvalidSearchRequest(field + ".name", "required (known: " + policyNames() + ")");
            }
            MethodDefinition<Policy> def = find(policies, spec.name());
            MethodDefinition<StrategySelector> selectorDef = def == null ? find(selectors, spec.name()) : null;
            if (def == null && selectorDef == null) {
                throw new InvalidSearchRequest(field + ".name", "unknown policy '" + spec.name() + "' (known: "
                        + policyNames() + ")");
            }
            String name = def != null ? def.name() : selectorDef.name();
            if (!seen.add(name)) {
                throw new InvalidSearchRequest(field + ".name", name + " is given twice");
            }
            Params params;
            boolean needsVerifier;
            if (def != null) {
                params = def.parse(spec.params(), field);
                Policy policy = def.create(params, field);
                if (policy.stepExpansion() != null && ++expansions > 1) {
                    throw new InvalidSearchRequest(field + ".name", def.name()
                            + " changes how steps are taken, and another policy of the request already does");
                }
                chosen.add(policy);
                needsVerifier = policy.needsVerifier();
            } else {
                params = selectorDef.parse(spec.params(), field);
                strategy = selectorDef.create(params, field).around(strategy);
                needsVerifier = selectorDef.needsVerifier();
            }
            if (needsVerifier) {
                askVerifier.add("policy " + name + " (" + field + ")");
            }
            specs.add(params.spec(name));
        }
        SearchRequest routedRequest = selection == null ? r : routedRequest(r, selection);
        String verifier = verifier(routedRequest.verifier());
        SamplingParams sampling = sampling(r.sampling(), chosen, verifier);
        if (r.budget().maxVerifierCalls() == 0) {
            if (requested.needsVerifier()) {
                askVerifier.addFirst("strategy " + requested.spec().name());
            }
            if (!askVerifier.isEmpty()) {
                throw new InvalidSearchRequest("budget.max_verifier_calls", askVerifier.getFirst()
                        + " asks the verifier: allow at least 1 verifier call");
            }
        }
        return new PreparedSearch(routedRequest.withQuestion(question).withTask(task.name()), strategy, List.copyOf(chosen),
                List.copyOf(specs), verifier, sampling, selection);
    }

    /** What the routed strategy picks for this request, or null when the request names its strategy itself. */
    private RoutedSelector.Selection routed(SearchRequest r, String question) {
        if (r.strategy() == null || r.strategy().name() == null || !r.strategy().name().strip().equals(RoutedSelector.NAME)) {
            return null;
        }
        RoutingTable table = settings.routingTable();
        if (table == null) {
            throw new InvalidSearchRequest("strategy.name", RoutedSelector.NAME + " needs a routing table, and this server "
                    + "has none configured (known: " + MethodDefinition.names(strategies) + ")");
        }
        var params = RoutedSelector.definition(settings).parse(r.strategy().params(), "strategy");
        return RoutedSelector.select(table, params, task, question, r.budget().maxTokens());
    }

    /**
     * The request with the route's verifier and aggregation where the route names them; a request that names others
     * is refused (the route was learned with its own), one that names the same ones is accepted (a canonical request
     * validated again).
     */
    private static SearchRequest routedRequest(SearchRequest r, RoutedSelector.Selection selection) {
        RoutingTable.Route route = selection.route();
        String verifier = r.verifier();
        if (route.verifier() != null) {
            if (verifier != null && !verifier.isBlank() && !verifier.strip().equals(route.verifier())) {
                throw new InvalidSearchRequest("verifier", RoutedSelector.NAME + " runs " + route.cell() + " questions with "
                        + "the route's verifier " + route.verifier() + " (table " + selection.table() + "); leave verifier "
                        + "empty or name " + route.verifier());
            }
            verifier = route.verifier();
        }
        Aggregation aggregation = r.aggregation();
        if (route.aggregation() != null) {
            Aggregation routeAggregation = Aggregation.parse(route.aggregation());
            if (aggregation != null && aggregation != routeAggregation) {
                throw new InvalidSearchRequest("aggregation", RoutedSelector.NAME + " runs " + route.cell() + " questions "
                        + "with the route's aggregation " + routeAggregation.wireName() + " (table " + selection.table()
                        + "); leave aggregation unset or name " + routeAggregation.wireName());
            }
            aggregation = routeAggregation;
        }
        return new SearchRequest(r.requestId(), r.question(), r.strategy(), r.policies(), r.budget(), r.sampling(),
                verifier, aggregation, r.task(), r.allowDegraded());
    }

    /** Makes a strategy from a spec (the request's, or one a policy chose). */
    Strategy strategy(MethodSpec spec) {
        if (spec == null || spec.name() == null || spec.name().isBlank()) {
            throw new InvalidSearchRequest("strategy.name", "required (known: " + MethodDefinition.names(strategies) + ")");
        }
        MethodDefinition<Strategy> def = find(strategies, spec.name());
        if (def == null) {
            throw new InvalidSearchRequest("strategy.name", "unknown strategy '" + spec.name() + "' (known: "
                    + MethodDefinition.names(strategies) + (settings.routingTable() == null ? "" : ", " + RoutedSelector.NAME)
                    + ")");
        }
        return def.create(spec.params(), "strategy");
    }

    private String canonicalQuestion(String question) {
        if (question == null || question.isBlank()) {
            throw new InvalidSearchRequest("question", "must not be empty");
        }
        if (question.length() > settings.maxQuestionChars()) {
            throw new InvalidSearchRequest("question", "is " + question.length() + " characters long; at most "
                    + settings.maxQuestionChars() + " are accepted");
        }
        if (!wellFormed(question)) {
            throw new InvalidSearchRequest("question", "not valid Unicode text (an unpaired surrogate or a NUL character)");
        }
        String canonical;
        try {
            canonical = task.canonicalQuestion(question);
        } catch (InvalidQuestion e) {
            throw new InvalidSearchRequest(e.field(), e.reason() + " (task " + task.name() + ")");
        }
        if (canonical == null || canonical.isBlank()) {
            throw new InvalidSearchRequest("question", "task " + task.name() + " read nothing in it");
        }
        return canonical;
    }

    /** No unpaired UTF-16 surrogate (what invalid UTF-8 decodes to in JSON escapes) and no NUL. */
    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** Bounds on what a client may send, so that no message or lookup grows with the request. */
    private static void checkSizes(SearchRequest r) {
        checkMethodSize("strategy", r.strategy());
        if (r.policies().size() > MAX_POLICIES) {
            throw new InvalidSearchRequest("policies", "more than " + MAX_POLICIES);
        }
        for (int i = 0; i < r.policies().size(); i++) {
            checkMethodSize("policies[" + i + "]", r.policies().get(i));
        }
    }

    private static void checkMethodSize(String field, MethodSpec method) {
        if (method == null) {
            return;
        }
        if (method.name() != null && method.name().length() > MAX_NAME) {
            throw new InvalidSearchRequest(field + ".name", "unknown (longer than " + MAX_NAME + " characters)");
        }
        Map<String, String> params = method.params() == null ? Map.of() : method.params();
        if (params.size() > MAX_PARAMS) {
            throw new InvalidSearchRequest(field + ".params", "more than " + MAX_PARAMS + " parameters");
        }
        params.forEach((k, v) -> {
            if (k.length() > MAX_NAME || (v != null && v.length() > MAX_PARAM_CHARS)) {
                throw new InvalidSearchRequest(field + ".params", "parameter names longer than " + MAX_NAME
                        + " or values longer than " + MAX_PARAM_CHARS + " characters");
            }
        });
    }

    /** The budget within this pod's limits; each bound is one range rule, with one message. */
    private void checkBudget(SearchRequest r) {
        var b = r.budget();
        if (b == null) {
            throw new InvalidSearchRequest("budget", "required: max_tokens, max_verifier_calls and deadline_ms");
        }
        inRange("budget.max_tokens", b.maxTokens(), 1, settings.maxBudgetTokens(), "");
        inRange("budget.max_verifier_calls", b.maxVerifierCalls(), 0, settings.maxBudgetVerifierCalls(), "");
        if (b.deadline() == null) {
            throw new InvalidSearchRequest("budget.deadline_ms", "required, in [1, " + settings.maxDeadline().toMillis() + "] ms");
        }
        inRange("budget.deadline_ms", b.deadline().toMillis(), 1, settings.maxDeadline().toMillis(), " ms");
    }

    private static void inRange(String field, long value, long min, long max, String unit) {
        if (value < min || value > max) {
            throw new InvalidSearchRequest(field, "must be in [" + min + ", " + max + "]" + unit + ", got " + value + unit);
        }
    }

    private SamplingParams sampling(SamplingParams asked, List<Policy> chosen, String verifier) {
        SamplingParams d = settings.defaultSampling();
        SamplingParams a = asked == null ? new SamplingParams(null, null, null, null, 0) : asked;
        if (a.temperature() != null && !(a.temperature() >= 0 && a.temperature() <= 5)) {
            throw new InvalidSearchRequest("sampling.temperature", "must be in [0, 5], got " + a.temperature());
        }
        if (a.topP() != null && !(a.topP() > 0 && a.topP() <= 1)) {
            throw new InvalidSearchRequest("sampling.top_p", "must be in (0, 1], got " + a.topP());
        }
        if (a.topK() != null && a.topK() < 0) {
            throw new InvalidSearchRequest("sampling.top_k", "must not be negative (0 turns it off), got " + a.topK());
        }
        if (a.topLogprobs() < 0 || a.topLogprobs() > settings.maxTopLogprobs()) {
            throw new InvalidSearchRequest("sampling.top_logprobs", "must be in [0, " + settings.maxTopLogprobs()
                    + "], got " + a.topLogprobs());
        }
        int topLogprobs = Math.max(a.topLogprobs(), d.topLogprobs());
        for (Policy p : chosen) {
            topLogprobs = Math.max(topLogprobs, Math.min(p.requiredTopLogprobs(), settings.maxTopLogprobs()));
        }
        // The confidence verifier reads each token's top alternatives and refuses a candidate with fewer than two:
        // without this a request naming it would have every candidate refused and end with no answer.
        if (List.of(verifier.split("\\+")).contains(CONFIDENCE)) {
            topLogprobs = Math.max(topLogprobs, Math.min(CONFIDENCE_TOP_LOGPROBS, settings.maxTopLogprobs()));
        }
        Long seed = a.seed() != null ? a.seed() : d.seed() != null ? d.seed() : ThreadLocalRandom.current().nextLong();
        return new SamplingParams(
                a.temperature() != null ? a.temperature() : d.temperature(),
                a.topP() != null ? a.topP() : d.topP(),
                a.topK() != null ? a.topK() : d.topK(),
                seed, topLogprobs);
    }

    /** A verifier name, or a stack of them "a+b" (each member scores what the ones before it passed). */
    String verifier(String asked) {
        if (asked == null || asked.isBlank()) {
            return settings.defaultVerifier();
        }
        String name = asked.strip();
        List<String> members = List.of(name.split("\\+", -1));
        Set<String> seen = new HashSet<>();
        for (String member : members) {
            if (!settings.verifiers().contains(member) && missingLabels(member) != null) {
                throw new InvalidSearchRequest("verifier", "task " + task.name() + " has no " + missingLabels(member)
                        + ", so verifier '" + member + "' cannot score it (known: "
                        + String.join(", ", settings.verifiers()) + " for task " + task.name() + ")");
            }
            if (!settings.verifiers().contains(member)) {
                throw new InvalidSearchRequest("verifier", (member.isEmpty() ? "empty verifier name in '" + shown(name) + "'"
                        : "unknown verifier '" + shown(member) + "'") + " (known: " + String.join(", ", settings.verifiers())
                        + " for task " + task.name() + "; stack them as a+b)");
            }
            if (!seen.add(member)) {
                throw new InvalidSearchRequest("verifier", member + " is stacked twice in '" + name + "'");
            }
        }
        return name;
    }

    /** What the task lacks for a verifier that scores with the task's own labels, or null. */
    private String missingLabels(String verifier) {
        return switch (verifier) {
            case "rules" -> task.rules().isEmpty() ? "rule checker" : null;
            case "oracle", "exact" -> task.oracle().isEmpty() ? "oracle" : null;
            default -> null;
        };
    }

    /** A client's text in a message, cut short: messages must not grow with the request. */
    private static String shown(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    private static <T> MethodDefinition<T> find(List<MethodDefinition<T>> defs, String name) {
        return defs.stream().filter(d -> d.name().equals(name.strip())).findFirst().orElse(null);
    }
}
