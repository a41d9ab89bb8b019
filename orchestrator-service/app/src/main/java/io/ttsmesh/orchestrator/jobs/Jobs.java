package io.ttsmesh.orchestrator.jobs;

import io.ttsmesh.orchestrator.OrchestratorConfig;
import io.ttsmesh.orchestrator.access.Caller;
import io.ttsmesh.orchestrator.solving.InvalidRequest;
import io.ttsmesh.orchestrator.solving.OverCapacity;
import io.ttsmesh.orchestrator.solving.RunningSearch;
import io.ttsmesh.orchestrator.solving.SearchService;
import io.ttsmesh.orchestrator.solving.UnknownJob;
import io.ttsmesh.proto.orchestrator.Job;
import io.ttsmesh.proto.orchestrator.SolveRequest;
import io.ttsmesh.search.run.PreparedSearch;
import io.ttsmesh.search.RequestId;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Asynchronous jobs (Submit/Get, POST/GET /v1/jobs): a submitted request runs like any search (same
 * admission: refused at once when full) and its result waits in the bounded {@link JobStore}. Submitting a
 * request id that has a job returns that job (idempotent retries).
 */
@ApplicationScoped
public class Jobs {

    private final SearchService searches;
    private final JobStore store;

    Jobs(SearchService searches, OrchestratorConfig config) {
        this.searches = searches;
        this.store = new JobStore(config.jobs().capacity());
    }

    public Job submit(SolveRequest request) {
        return submit(request, Caller.UNRESTRICTED);
    }

    /** Submits for an authenticated caller (its key's budget limits apply, see SearchService#start). */
    public Job submit(SolveRequest request, Caller caller) {
        String badId = RequestId.problem(request.getRequestId());
        if (badId != null) {
            throw new InvalidRequest("request_id", badId);
        }
        var existing = store.get(request.getRequestId());
        if (existing.isPresent()) {
            return existing.get();
        }
        PreparedSearch prepared = searches.check(request);
        String id = request.getRequestId();
        AtomicReference<RunningSearch> started = new AtomicReference<>();
        var submission = store.submit(id, () -> started.set(searches.start(prepared, caller, event -> {
            if (event.hasStarted()) {
                store.running(id);
            }
        })));
        if (submission.isEmpty()) {
            searches.metrics().rejected("jobs_full");
            throw new OverCapacity("the job store holds " + store.size() + " unfinished jobs; retry later");
        }
        RunningSearch search = started.get();
        if (search != null) {
            search.result().thenAccept(result -> store.finished(id, result));
        }
        return submission.get().job();
    }

    public Job get(String requestId) {
        // Checked first so that an error never echoes a huge or hostile id back (gRPC carries it in a trailer).
        String badId = RequestId.problem(requestId);
        if (badId != null) {
            throw new InvalidRequest("request_id", badId);
        }
        return store.get(requestId).orElseThrow(() -> new UnknownJob(requestId));
    }
}
