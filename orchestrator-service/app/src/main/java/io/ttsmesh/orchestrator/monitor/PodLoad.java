package io.ttsmesh.orchestrator.monitor;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Deadline;
import io.quarkus.scheduler.Scheduled;
import io.ttsmesh.orchestrator.pods.Endpoint;
import io.ttsmesh.orchestrator.pods.PodClients;
import io.ttsmesh.orchestrator.pods.TaskPods;
import io.ttsmesh.proto.generator.DescribeRequest;
import io.ttsmesh.proto.generator.GeneratorGrpc;
import io.ttsmesh.proto.generator.ModelInfo;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.TimeUnit;

/**
 * The generator pods as the overview shows them: live branches (of all orchestrators) from each pod's own
 * Describe, and this orchestrator's open sessions on it. Asked only while a browser watches the overview,
 * so an unwatched monitor costs the pods nothing.
 */
@ApplicationScoped
public class PodLoad {

    private static final long TIMEOUT_MS = 1000;

    private final PodClients mesh;
    private final SearchBoard board;
    private volatile ArrayNode pods = JsonNodeFactory.instance.arrayNode();

    PodLoad(PodClients mesh, SearchBoard board) {
        this.mesh = mesh;
        this.board = board;
    }

    @Scheduled(every = "${tts.orchestrator.monitor.pod-probe-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        if (!board.overviewWatchers().isEmpty()) {
            refresh();
        }
    }

    void refresh() {
        pods = probeNow();
    }

    private ArrayNode probeNow() {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (TaskPods task : mesh.tasks()) {
            for (Endpoint e : task.generators().endpoints()) {
                probe(out.addObject(), task.task(), e);
            }
        }
        return out;
    }

    private static void probe(ObjectNode pod, String task, Endpoint e) {
        pod.put("task", task);
        pod.put("address", e.address());
        pod.put("instance", e.instance());
        pod.put("sessions", e.load());
        try {
            ModelInfo info = GeneratorGrpc.newBlockingStub(e.channel())
                    .withDeadline(Deadline.after(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                    .describe(DescribeRequest.getDefaultInstance());
            pod.put("reachable", true);
            pod.put("instance", info.getInstance().isEmpty() ? e.address() : info.getInstance());
            pod.put("model", info.getModel());
            pod.put("execution_provider", info.getExecutionProvider());
            pod.put("live_branches", info.getLiveBranches());
            pod.put("max_live_branches", info.getMaxLiveBranches());
        } catch (RuntimeException ex) {
            pod.put("reachable", false);
            pod.put("error", String.valueOf(ex.getMessage()));
        }
    }

    /** The last probe's answer (empty before a browser first watched). */
    ArrayNode pods() {
        return pods;
    }
}
