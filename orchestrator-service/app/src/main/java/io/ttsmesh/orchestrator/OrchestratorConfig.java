package io.ttsmesh.orchestrator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Every setting of the orchestrator, under {@code tts.orchestrator}. The defaults here are the documented
 * ones; application.properties repeats each key with its meaning.
 */
@ConfigMapping(prefix = "tts.orchestrator")
public interface OrchestratorConfig {

    Generators generators();

    Verifiers verifiers();

    Admission admission();

    Jobs jobs();

    Limits limits();

    Kafka kafka();

    OpenAi openai();

    Search search();

    Auth auth();

    DegradedMode degradedMode();

    /**
     * Degraded mode (tts.orchestrator.degraded-mode.*): when no verifier answers (every verifier pod UNAVAILABLE
     * after the retries), a verifier-guided search answers by an unscored majority vote, flagged (stop reason
     * DEGRADED, a degraded_mode event, tts_orchestrator_searches_degraded_total), instead of failing UNAVAILABLE.
     */
    interface DegradedMode {
        /**
         * The pod's default, for requests that leave SolveRequest.allow_degraded unset. True: a user of a service
         * expects an answer, and a degraded one says so; a request that prefers an error sets allow_degraded false.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /**
     * The default task: the task of the pods {@link #generators()} and {@link #verifiers()}, and of requests that
     * name none. Must be on the class path (TaskRegistry) and not also under {@link #tasks()}.
     */
    @WithDefault("arithmetic")
    String task();

    /**
     * The pods of the tasks served besides the default one ({@link #task()}, whose pods are {@link #generators()}
     * and {@link #verifiers()}), by task name: {@code tts.orchestrator.tasks.countdown.generators.addresses=...}.
     * Every named task must be on the class path (TaskRegistry); the other settings of the pods (refresh,
     * breakers, retries, timeouts) are the default task's.
     */
    java.util.Map<String, TaskPods> tasks();

    interface TaskPods {
        PodGroup generators();

        PodGroup verifiers();

        TaskSearch search();
    }

    /** What differs in the searches of one task. */
    interface TaskSearch {
        /**
         * Verifier names this task's verifier pods serve, and the default one; unset: the default task's
         * (those the task cannot back are left out: "rules" without a rule checker, "oracle" without an oracle).
         */
        Optional<List<String>> verifiers();

        Optional<String> defaultVerifier();
    }

    interface PodGroup {
        /** Pods, each {@code host:port} or {@code dns:///name:port}, as for the default task. */
        List<String> addresses();

        /** A TLS configuration of the Quarkus TLS registry; unset: the default task's pods' setting. */
        Optional<String> tlsConfigurationName();
    }

    /**
     * Authentication of the public API (gRPC Orchestrator service, REST /v1/*, OpenAI facade) by API key,
     * with per-key limits. Keys are configured by id, e.g.
     * {@code tts.orchestrator.auth.keys.team-a.secret-sha256=<hex SHA-256 of the key>}, from a Secret
     * (environment or a mounted config/application.properties), never committed.
     */
    interface Auth {
        /** On by default; the %dev and %test profiles and the local mesh turn it off. */
        @WithDefault("true")
        boolean enabled();

        java.util.Map<String, Key> keys();

        interface Key {
            /** Hex SHA-256 of the key (preferred: the config then holds no usable secret). */
            Optional<String> secretSha256();

            /** The key itself (development only). */
            Optional<String> secret();

            /** Token bucket of requests: average per second, and how many may come at once. */
            @WithDefault("10")
            double requestsPerSecond();

            @WithDefault("20")
            int burst();

            /** Largest budget.max_tokens one request of this key may ask for. */
            @WithDefault("100000")
            long maxTokensPerRequest();

            /** Tokens this key may reserve over any allowance-window (a search reserves its budget; unspent comes back). */
            @WithDefault("10000000")
            long tokenAllowance();

            @WithDefault("1h")
            Duration allowanceWindow();
        }
    }

    /** The search engine's settings (SearchSettings); unset keys keep SearchSettings.defaults() (the test bed's). */
    interface Search {
        /** The prompt sent to the generator; {question} is replaced by the question. Default "Q: {question}\n". */
        Optional<String> promptTemplate();

        /** The default task's answers by a regular expression with one group (a real model's form); unset: the task's answer key. */
        Optional<String> answerPattern();

        /** How answers compare: a Canonicalizer name (default "integer"). */
        Optional<String> answerCanonicalizer();

        /** Step delimiter of the model, also sent with every Start. Default "\n" (the test bed). */
        Optional<String> stepDelimiter();

        /**
         * The compute_optimal policy's table (learned offline by {@code tts-bench report}): a file path, or
         * {@code classpath:<resource>}. Unset: the policy is not offered.
         */
        Optional<String> computeOptimalTable();

        /**
         * The routed strategy's table (strategy and verifier per task, difficulty and mean-token budget, learned offline
         * by {@code tts-bench report}): a file path, or {@code classpath:<resource>}. Unset: routed is not offered.
         */
        Optional<String> routingTable();

        /** Token quota of one step (default 64) and of one whole sample (default 512). */
        OptionalInt stepTokens();

        OptionalInt solutionTokens();

        /** Upper bounds of the strategies' n/k (default 256), beam widths (64), iterations (200). */
        OptionalInt maxN();

        OptionalInt maxWidth();

        OptionalInt maxIterations();

        /** Sampling where a request leaves it unset (default temperature 0.8, model defaults otherwise). */
        Optional<Float> temperature();

        Optional<Float> topP();

        OptionalInt topK();

        /** Verifier names the verifier pods serve (default prm, orm, rules, oracle, exact, confidence; stacks "a+b" of them are accepted) and the default one (prm). */
        Optional<List<String>> verifiers();

        Optional<String> defaultVerifier();

        /** Cue that makes the model state its answer (default "A:") and keep reasoning (default "Wait"). */
        Optional<String> answerCue();

        Optional<String> continuationCue();

        /** Token quota of a probe or forced answer (default 16); largest top_logprobs asked for (default 20). */
        OptionalInt probeTokens();

        OptionalInt maxTopLogprobs();

        /**
         * Whether a strategy that scores what it generates (best-of-N, beam search, DVTS, particle filtering, the tree
         * searches) has the first half of a round's finished samples scored while the others still generate, and the
         * first half of a step's branches once its scoring waits 2 ms or more: one verifier call more, sent ahead, its
         * round trip and model time off the search's critical path. Default true.
         */
        Optional<Boolean> scoreAhead();

        /**
         * Whether each search runs on a platform thread of its own rather than a virtual thread (default false). A search
         * blocks on every round trip, and a virtual thread woken by the gRPC event loop is run by a ForkJoinPool carrier
         * that itself parks and wakes: one at a time, a beam search at N = 16 took 42.3 ms on platform threads against
         * 43.9 ms on virtual ones over 1,000 alternating pairs; at 16 and 64 concurrent searches the orchestrator spent
         * about 2 ms more CPU per search on platform threads in the one full run measured. Admission bounds the threads:
         * at most admission.max-concurrent running and admission.max-queued waiting searches.
         */
        Optional<Boolean> platformThreads();
    }

    interface OpenAi {
        /** Budget of an OpenAI-style request that names none (tts_budget), and whose max_tokens is unset. */
        @WithDefault("4096")
        long defaultMaxTokens();

        @WithDefault("256")
        int defaultMaxVerifierCalls();

        @WithDefault("60s")
        Duration defaultDeadline();
    }

    interface Generators {
        /**
         * Generator pods, each {@code host:port}. A name that resolves to several addresses (a headless
         * Kubernetes Service) counts as one pod per address.
         */
        @WithDefault("localhost:9081")
        List<String> addresses();

        /** A TLS configuration of the Quarkus TLS registry ({@code quarkus.tls.<name>.*}) for the channels; unset: plaintext. */
        Optional<String> tlsConfigurationName();

        /** How often names are resolved again and pods asked for their state (Describe). */
        @WithDefault("10s")
        Duration refreshInterval();

        /** Extra time after a search's deadline for closing its session and reading the generator's totals. */
        @WithDefault("2s")
        Duration closeGrace();

        /** Failed session starts on one pod that open its circuit breaker (the pod is skipped for a while). */
        @WithDefault("3")
        int breakerFailures();

        /** How long an open breaker keeps a pod out of the choice. */
        @WithDefault("5s")
        Duration breakerDelay();

        /**
         * Keep one Session stream per pod open ahead of the next search, so a search's first command does not
         * wait for a new stream to open. Off: every search opens its own (for proxies that close idle streams).
         */
        @WithDefault("true")
        boolean spareStreams();
    }

    interface Verifiers {
        /** Verifier pods, each {@code host:port}; names resolving to several addresses count once per address. */
        @WithDefault("localhost:9082")
        List<String> addresses();

        /** A TLS configuration of the Quarkus TLS registry for the channels to verifier pods; unset: plaintext. */
        Optional<String> tlsConfigurationName();

        /** Longest wait for one ScoreSteps call (the search's deadline bounds it too). */
        @WithDefault("10s")
        Duration callTimeout();

        /** Further attempts, on the next pod, after an UNAVAILABLE / RESOURCE_EXHAUSTED / timed-out call. */
        @WithDefault("2")
        int retries();

        /** Delay before the first retry; it doubles with each further one. */
        @WithDefault("50ms")
        Duration retryDelay();

        /** Failures among the last {@code breakerWindow} calls to one pod that open its circuit breaker. */
        @WithDefault("0.5")
        double breakerFailureRatio();

        @WithDefault("10")
        int breakerWindow();

        @WithDefault("5s")
        Duration breakerDelay();
    }

    interface Admission {
        /** Searches running at once on this pod. */
        @WithDefault("64")
        int maxConcurrent();

        /** Searches waiting for a running slot; beyond it requests are refused at once (RESOURCE_EXHAUSTED / 429). */
        @WithDefault("128")
        int maxQueued();
    }

    interface Jobs {
        /** Jobs (Submit/Get) kept in memory; when full, the oldest finished job is evicted. */
        @WithDefault("10000")
        int capacity();
    }

    interface Limits {
        /** Longest question, in characters. */
        @WithDefault("8192")
        int maxQuestionChars();

        /** Longest budget deadline a client may ask for. */
        @WithDefault("10m")
        Duration maxDeadline();

        /** Largest budget.max_tokens and budget.max_verifier_calls a client may ask for. */
        @WithDefault("1000000")
        long maxBudgetTokens();

        @WithDefault("100000")
        int maxBudgetVerifierCalls();

        /** Most progress events buffered for one slow streaming client; beyond it the stream fails. */
        @WithDefault("10000")
        int streamBuffer();
    }

    interface Kafka {
        /** The Kafka plane on or off; off, the orchestrator needs no broker. */
        @WithDefault("false")
        boolean enabled();

        /** Requests being solved at once from tts.requests on this pod (backpressure: the consumer pauses). */
        @WithDefault("8")
        int maxInFlight();

        /** Events waiting for Kafka; beyond it new events are dropped and counted. */
        @WithDefault("10000")
        int eventBuffer();

        /** Events sent to Kafka but not yet acknowledged. */
        @WithDefault("1000")
        int eventsInFlight();

        /** Request ids with a written result remembered for idempotence (read back from tts.results on start). */
        @WithDefault("200000")
        int resultIndexSize();

        /** How long a result is retried (with backoff) when Kafka refuses it, before the consumer fails. */
        @WithDefault("5m")
        Duration resultWriteTimeout();

        /** Create missing topics at start (tts.results compacted). Off where topics are managed elsewhere. */
        @WithDefault("true")
        boolean createTopics();

        /** Partitions of topics created here (the consumer group scales out up to this many pods). */
        @WithDefault("6")
        int partitions();

        /** CloudEvents {@code source} of the published events. */
        @WithDefault("/tts-mesh/orchestrator")
        String eventSource();

        Topics topics();

        interface Topics {
            @WithDefault("tts.requests")
            String requests();

            @WithDefault("tts.results")
            String results();

            @WithDefault("tts.events")
            String events();

            @WithDefault("tts.requests.dlq")
            String deadLetters();
        }
    }
}
