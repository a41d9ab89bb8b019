package io.ttsmesh.search.run;

import io.ttsmesh.search.InvalidSearchRequest;
import io.ttsmesh.search.RequestId;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.SearchResult;
import io.ttsmesh.search.catalog.MethodDefinition;
import io.ttsmesh.search.events.SearchEvent;
import io.ttsmesh.search.generation.GenerationSessions;
import io.ttsmesh.search.settings.ComputeOptimalTable;
import io.ttsmesh.search.policy.Policies;
import io.ttsmesh.search.routing.RoutedSelector;
import io.ttsmesh.search.settings.RoutingTable;
import io.ttsmesh.search.scoring.StepScorer;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.search.strategy.Strategies;
import io.ttsmesh.task.Grade;
import io.ttsmesh.task.InvalidQuestion;
import io.ttsmesh.task.Task;
import io.ttsmesh.task.TaskRegistry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The entry point of the search module: validates each request once into a {@link PreparedSearch} and runs it
 * over the two ports of the task it names. A search runs on the calling thread (meant to be a virtual thread: the ports block)
 * and never exceeds its budget; interrupting the thread cancels it. Thread-safe: one runner serves every
 * search of a process.
 */
public final class SearchRunner {

    private static final Pattern TASK_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final TaskRegistry registry;
    private final Map<String, Serving> served;
    private final Serving primary;
    private final String defaultTask;
    private final Clock clock;
    private final SearchCatalog catalog;

    /** One served task with what checks and runs its requests. */
    private record Serving(ServedTask binding, RequestValidation validation) {
    }

    /**
     * Serves the default task ({@value TaskRegistry#DEFAULT}) over one pair of ports, with the settings as given
     * (their answer format included). Its questions are checked by the default task found on the class path;
     * without one they are taken as written.
     */
    public SearchRunner(GenerationSessions generators, StepScorer scorer, SearchSettings settings) {
        this(generators, scorer, settings, Clock.systemUTC());
    }

    /** With a clock of one's choosing (deadline tests). */
    public SearchRunner(GenerationSessions generators, StepScorer scorer, SearchSettings settings, Clock clock) {
        this(ClassPathTasks.REGISTRY, List.of(new ServedTask(defaultTask(ClassPathTasks.REGISTRY, settings),
                generators, scorer, settings)), clock);
    }

    /**
     * Serves several tasks, each over its own ports and with its own settings (see {@link ServedTask#of}).
     * Requests that name no task get {@value TaskRegistry#DEFAULT} (refused when it is not served; see
     * {@link #SearchRunner(TaskRegistry, String, List, Clock)} for another default).
     *
     * @param registry the tasks that exist (a request naming another one is told which exist)
     * @param served   the tasks this runner serves, at least one, each name once
     */
    public SearchRunner(TaskRegistry registry, List<ServedTask> served) {
        this(registry, served, Clock.systemUTC());
    }

    /** With a clock of one's choosing (deadline tests). */
    public SearchRunner(TaskRegistry registry, List<ServedTask> served, Clock clock) {
        this(registry, TaskRegistry.DEFAULT, served, clock, false);
    }

    /**
     * Serves several tasks with a default task of one's choosing: requests that name no task get
     * {@code defaultTask}, which must be one of those served (a Countdown-only runner answers unnamed requests
     * as Countdown).
     *
     * @param defaultTask the task of requests that name none; listed first in the catalog
     */
    public SearchRunner(TaskRegistry registry, String defaultTask, List<ServedTask> served) {
        this(registry, defaultTask, served, Clock.systemUTC());
    }

    /** With a clock of one's choosing (deadline tests). */
    public SearchRunner(TaskRegistry registry, String defaultTask, List<ServedTask> served, Clock clock) {
        this(registry, defaultTask, served, clock, true);
    }

    private SearchRunner(TaskRegistry registry, String defaultTask, List<ServedTask> served, Clock clock,
                         boolean defaultServed) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.defaultTask = Objects.requireNonNull(defaultTask, "defaultTask");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (served.isEmpty()) {
            throw new IllegalArgumentException("a runner serves at least one task");
        }
        Map<String, Serving> byName = new LinkedHashMap<>();
        List<SearchCatalog.TaskInfo> infos = new ArrayList<>();
        for (ServedTask binding : served) {
            SearchSettings settings = binding.settings();
            Serving serving = new Serving(binding, new RequestValidation(binding.task(), settings));
            if (byName.putIfAbsent(binding.name(), serving) != null) {
                throw new IllegalArgumentException("task " + binding.name() + " is served twice");
            }
            checkTable(binding.name(), serving.validation(), settings.computeOptimalTable());
            checkRoutes(binding.name(), serving.validation(), settings.routingTable());
        }
        if (defaultServed && !byName.containsKey(defaultTask)) {
            throw new IllegalArgumentException("the default task " + defaultTask + " is not served (served: "
                    + String.join(", ", byName.keySet()) + ")");
        }
        this.served = byName;
        this.primary = byName.getOrDefault(defaultTask, byName.values().iterator().next());
        List<Serving> ordered = new ArrayList<>(byName.values());
        ordered.remove(primary);
        ordered.addFirst(primary);
        for (Serving s : ordered) {
            infos.add(new SearchCatalog.TaskInfo(s.binding().name(), s.binding().task().description(),
                    s.binding().settings().verifiers(), s.binding().settings().defaultVerifier()));
        }
        SearchSettings settings = primary.binding().settings();
        List<io.ttsmesh.search.catalog.MethodInfo> strategyInfos = new ArrayList<>(Strategies.definitions(settings).stream()
                .map(MethodDefinition::info).toList());
        if (settings.routingTable() != null) {
            strategyInfos.add(RoutedSelector.definition(settings).info());
        }
        this.catalog = new SearchCatalog(infos, strategyInfos,
                Policies.catalog(settings), settings.verifiers());
    }

    public SearchCatalog catalog() {
        return catalog;
    }

    /**
     * The task of requests that name none: {@value TaskRegistry#DEFAULT} unless the runner was given another.
     */
    public String defaultTask() {
        return defaultTask;
    }

    /** The settings of the default task (of the first served task when the default is not served). */
    public SearchSettings settings() {
        return primary.binding().settings();
    }

    /** The tasks served, the default one first. */
    public List<ServedTask> served() {
        List<ServedTask> out = new ArrayList<>();
        out.add(primary.binding());
        served.values().stream().filter(s -> s != primary).forEach(s -> out.add(s.binding()));
        return out;
    }

    /**
     * The one validation of a request: every field checked against the task it names and this runner's limits
     * (the settings of that task), the request made ready to run once.
     *
     * @throws InvalidSearchRequest naming the wrong field ("task", "question.numbers", "strategy.params.n", ...)
     */
    public PreparedSearch prepare(SearchRequest request) {
        if (request == null) {
            throw new InvalidSearchRequest("request", "required");
        }
        // The id first: every other field's message may come later, and none echoes a bad id.
        RequestId.check(request.requestId());
        Serving serving = serving(request);
        return serving.validation().prepare(request).servedBy(serving.binding());
    }

    /**
     * Checks a request without running it (see {@link #prepare}).
     *
     * @throws InvalidSearchRequest naming the wrong field
     */
    public void validate(SearchRequest request) {
        prepare(request);
    }

    /**
     * The request as it will run: the task named (never empty) and the question in the task's canonical text.
     *
     * @throws InvalidSearchRequest as {@link #prepare}
     */
    public SearchRequest canonical(SearchRequest request) {
        return prepare(request).request();
    }

    /** Prepares and runs one search on the calling thread, admitted now. See {@link #run(PreparedSearch, Consumer, Instant)}. */
    public SearchResult run(SearchRequest request, Consumer<SearchEvent> events) {
        Instant admitted = clock.instant();
        return run(prepare(request), events, admitted);
    }

    /** Prepares and runs one search on the calling thread. See {@link #run(PreparedSearch, Consumer, Instant)}. */
    public SearchResult run(SearchRequest request, Consumer<SearchEvent> events, Instant admitted) {
        return run(prepare(request), events, admitted);
    }

    /** Runs a prepared search on the calling thread, admitted now. See {@link #run(PreparedSearch, Consumer, Instant)}. */
    public SearchResult run(PreparedSearch search, Consumer<SearchEvent> events) {
        return run(search, events, clock.instant());
    }

    /**
     * Runs one prepared search on the calling thread, over the ports of its task; nothing is validated again.
     * Events are numbered 1, 2, 3, ... without gaps, each stamped with the spend at that moment; the first is
     * Started and the last Finished(result). Search failures do not throw: the result says FAILED with an error
     * code; interrupting the thread gives CANCELLED; when the budget, the deadline or a policy stops the search,
     * the answer is the best found so far.
     *
     * @param admitted when the search was admitted (its deadline counts from here; queued time included)
     * @throws IllegalArgumentException when another runner prepared the search
     * @throws IllegalStateException when the search has run already
     */
    public SearchResult run(PreparedSearch search, Consumer<SearchEvent> events, Instant admitted) {
        ServedTask binding = search.served();
        Serving serving = served.get(binding.name());
        if (serving == null || serving.binding() != binding) {
            throw new IllegalArgumentException("search " + search.request().requestId() + " was prepared by another runner");
        }
        search.claim();
        return new SearchRun(search, binding.settings(), binding.generators(), binding.scorer(), clock, admitted,
                events == null ? e -> { } : events).run();
    }

    /** The served task a request names. */
    private Serving serving(SearchRequest request) {
        boolean named = request.task() != null && !request.task().isBlank();
        String name = named ? request.task().strip() : defaultTask;
        Serving serving = served.get(name);
        if (serving != null) {
            return serving;
        }
        String servedNames = String.join(", ", served.keySet());
        if (!named) {
            throw new InvalidSearchRequest("task", "required: the default task " + defaultTask
                    + " is not served here (served: " + servedNames + ")");
        }
        if (!registry.contains(name)) {
            TreeSet<String> known = new TreeSet<>(registry.names());
            known.addAll(served.keySet());
            // Only a name that could be a task's is echoed: the message must not carry whatever a client sent.
            String shown = TASK_NAME.matcher(name).matches() ? "'" + name + "'" : "(not a task name: a-z, 0-9 and '-')";
            throw new InvalidSearchRequest("task", "unknown task " + shown + " (known: " + String.join(", ", known)
                    + "; served here: " + servedNames + ")");
        }
        throw new InvalidSearchRequest("task", "task " + name + " is not served here (served: " + servedNames + ")");
    }

    private static void checkTable(String task, RequestValidation validation, ComputeOptimalTable table) {
        if (table == null) {
            return;
        }
        for (ComputeOptimalTable.StrategyEntry entry : table.strategies()) {
            try {
                validation.strategy(entry.spec());
            } catch (InvalidSearchRequest e) {
                throw new IllegalArgumentException("compute-optimal table " + table.name() + " (task " + task
                        + "): strategy " + entry.name() + " is not valid here: " + e.getMessage(), e);
            }
        }
    }

    /**
     * The routes of a served task must run here: a valid strategy, verifiers the task has. Routes of tasks this runner
     * does not serve are left alone (one table may be shared by runners serving different tasks).
     */
    private static void checkRoutes(String task, RequestValidation validation, RoutingTable table) {
        if (table == null) {
            return;
        }
        for (RoutingTable.Row row : table.budgets()) {
            for (RoutingTable.Route route : row.routes()) {
                if (!route.task().equals(task)) {
                    continue;
                }
                try {
                    validation.strategy(route.strategy());
                    if (route.verifier() != null) {
                        validation.verifier(route.verifier());
                    }
                } catch (InvalidSearchRequest e) {
                    throw new IllegalArgumentException("routing table " + table.name() + ", row " + row.meanTokens()
                            + ", route " + route.cell() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The default task of the classic constructor: the registered one, else questions as written. */
    static Task defaultTask(TaskRegistry registry, SearchSettings settings) {
        return registry.contains(TaskRegistry.DEFAULT) ? registry.get(TaskRegistry.DEFAULT) : new QuestionAsWritten(settings);
    }

    /** The tasks on the class path, looked up once. */
    private static final class ClassPathTasks {
        static final TaskRegistry REGISTRY = TaskRegistry.load();
    }

    /**
     * The default task where no task module is on the class path: questions are taken as written (within the
     * length limit), answers read with the settings' answer format.
     */
    private record QuestionAsWritten(SearchSettings settings) implements Task {

        @Override
        public String name() {
            return TaskRegistry.DEFAULT;
        }

        @Override
        public String description() {
            return "questions as written (no " + TaskRegistry.DEFAULT + " task module on the class path)";
        }

        @Override
        public String canonicalQuestion(String question) {
            return question;
        }

        @Override
        public String questionText(Map<String, Object> record) {
            if (record.get("question") instanceof String q) {
                return q;
            }
            throw new InvalidQuestion("question", "required (a string)");
        }

        @Override
        public String answerKey(String completion) {
            return settings.answerFormat().extract(completion);
        }

        @Override
        public Grade grade(String question, String completion, String expectedAnswer) {
            String answer = answerKey(completion);
            return new Grade(answer, answer != null && answer.equals(expectedAnswer), List.of());
        }
    }
}
