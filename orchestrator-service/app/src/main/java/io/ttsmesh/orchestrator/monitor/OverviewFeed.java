package io.ttsmesh.orchestrator.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.solving.SearchService;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The overview stream: every {@code overview-interval} one message with the counters, the pods and the
 * searches that changed (the page merges them), rendered once and offered to every browser watching. A
 * new browser first gets the whole picture.
 */
@ApplicationScoped
public class OverviewFeed {

    private final SearchBoard board;
    private final PodLoad pods;
    private final SearchService searches;
    private final MeterRegistry registry;
    private final boolean kafkaFollowed;
    private final ObjectMapper json;

    OverviewFeed(SearchBoard board, PodLoad pods, SearchService searches, MeterRegistry registry,
                 MonitorConfig monitor, OrchestratorConfig config, ObjectMapper json) {
        this.json = json;
        this.board = board;
        this.pods = pods;
        this.searches = searches;
        this.registry = registry;
        this.kafkaFollowed = config.kafka().enabled() && monitor.followKafka();
    }

    @Scheduled(every = "${tts.orchestrator.monitor.overview-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        long now = System.currentTimeMillis();
        board.forgetStale(now);
        List<ObjectNode> changed = board.drainChanged();
        List<String> removed = board.drainRemoved();
        var watchers = board.overviewWatchers();
        if (watchers.isEmpty()) {
            return;
        }
        var message = new MonitorMessage.Json("overview", render(false, changed, removed, now));
        watchers.forEach(w -> w.offer(message));
    }

    /** Everything, for a browser that just connected (and for GET /monitor/api/overview). */
    String full() {
        return render(true, board.summaries(), List.of(), System.currentTimeMillis());
    }

    /** Makes sure the first picture has pods in it, even before the periodic probe ran. */
    String fullWithFreshPods() {
        if (pods.pods().isEmpty()) {
            pods.refresh();
        }
        return full();
    }

    private String render(boolean full, List<ObjectNode> summaries, List<String> removed, long now) {
        ObjectNode root = json.createObjectNode();
        root.put("full", full);
        root.put("time_ms", now);
        root.set("stats", stats(now));
        root.set("pods", pods.pods());
        root.putArray("searches").addAll(summaries);
        var gone = root.putArray("removed");
        removed.forEach(gone::add);
        return root.toString();
    }

    private ObjectNode stats(long now) {
        ObjectNode s = json.createObjectNode();
        s.put("running", searches.admission().running());
        s.put("queued", searches.admission().queued());
        s.put("max_concurrent", searches.admission().maxConcurrent());
        s.put("started_total", board.startedTotal());
        s.put("finished_total", board.finishedTotal());
        s.put("finished_last_minute", board.finishedLastMinute(now));
        s.put("tokens_per_second", board.tokensPerSecond(now));
        ObjectNode rejections = s.putObject("rejections");
        for (String reason : List.of("over_capacity", "invalid", "jobs_full")) {
            rejections.put(reason, 0);
        }
        registry.find("tts.orchestrator.rejections").counters()
                .forEach(c -> rejections.put(c.getId().getTag("reason"), (long) c.count()));
        Counter kafkaDropped = registry.find("tts.orchestrator.events.dropped").counter();
        s.put("kafka_events_dropped", kafkaDropped == null ? 0 : (long) kafkaDropped.count());
        s.put("kafka_followed", kafkaFollowed);
        s.put("monitor_dropped", board.droppedTotal());
        s.put("subscribers", board.subscribers());
        s.put("tracked_running", board.runningTracked());
        s.put("tracked_finished", board.finishedTracked());
        return s;
    }
}
