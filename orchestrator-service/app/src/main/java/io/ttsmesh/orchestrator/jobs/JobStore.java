package io.ttsmesh.orchestrator.jobs;

import io.ttsmesh.proto.events.SolveResult;
import io.ttsmesh.proto.orchestrator.Job;
import io.ttsmesh.proto.orchestrator.JobState;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The asynchronous jobs (Submit/Get) of this pod, bounded: when full, the oldest finished job makes room;
 * when every job is still queued or running, a new one is refused. Submitting a request id again returns
 * the job that has it, so a retried Submit never starts a second search.
 */
public final class JobStore {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<String, Job> jobs = new LinkedHashMap<>();

    public JobStore(int capacity) {
        this.capacity = capacity;
    }

    /** What {@link #submit} did. */
    public record Submission(Job job, boolean created) {
    }

    /**
     * Records a new QUEUED job and runs {@code start} (quick, non-blocking; if it throws, the job is dropped
     * and the exception passes on), or returns the existing job of this request id. Empty when the store is
     * full of unfinished jobs.
     */
    public Optional<Submission> submit(String requestId, Runnable start) {
        lock.lock();
        try {
            Job existing = jobs.get(requestId);
            if (existing != null) {
                return Optional.of(new Submission(existing, false));
            }
            if (jobs.size() >= capacity && !evictOldestFinished()) {
                return Optional.empty();
            }
            Job job = Job.newBuilder().setRequestId(requestId).setState(JobState.QUEUED).build();
            jobs.put(requestId, job);
            try {
                start.run();
            } catch (RuntimeException e) {
                jobs.remove(requestId);
                throw e;
            }
            return Optional.of(new Submission(job, true));
        } finally {
            lock.unlock();
        }
    }

    private boolean evictOldestFinished() {
        for (Iterator<Map.Entry<String, Job>> it = jobs.entrySet().iterator(); it.hasNext(); ) {
            JobState state = it.next().getValue().getState();
            if (state == JobState.DONE || state == JobState.FAILED) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    public Optional<Job> get(String requestId) {
        lock.lock();
        try {
            return Optional.ofNullable(jobs.get(requestId));
        } finally {
            lock.unlock();
        }
    }

    public void running(String requestId) {
        update(requestId, Job.newBuilder().setRequestId(requestId).setState(JobState.RUNNING).build());
    }

    /** DONE with the result; a search that FAILED still hands in its partial result, with the reason. */
    public void finished(String requestId, SolveResult result) {
        var job = Job.newBuilder().setRequestId(requestId).setResult(result);
        if (result.getStopReason() == io.ttsmesh.proto.events.StopReason.FAILED) {
            job.setState(JobState.FAILED).setError(result.getStopDetail());
        } else {
            job.setState(JobState.DONE);
        }
        update(requestId, job.build());
    }

    private void update(String requestId, Job job) {
        lock.lock();
        try {
            jobs.replace(requestId, job);
        } finally {
            lock.unlock();
        }
    }

    public int size() {
        lock.lock();
        try {
            return jobs.size();
        } finally {
            lock.unlock();
        }
    }
}
