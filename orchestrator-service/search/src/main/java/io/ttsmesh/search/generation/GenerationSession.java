package io.ttsmesh.search.generation;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Port: the branches of one search on one generator (one gRPC session stream in production, the
 * engine itself in-process). Branch ids are chosen by the caller and unique within the session.
 *
 * <p>Calls block the calling thread until answered. Searches run on virtual threads, so a blocked
 * search costs no platform thread, and a strategy can be written as straight-line code that reads
 * like its paper's pseudo-code. Implementations bound every wait by the search's deadline and throw
 * {@link GenerationException} with a gRPC-style status code when a call fails.
 */
public interface GenerationSession {

    /** Creates one branch per id from the prompt; returns the prompt's token count (prefilled once). */
    int start(String prompt, List<Long> branchIds, SamplingParams sampling);

    /**
     * Starts branches like {@link #start} without waiting for the answer: a session over the network sends the
     * Start with the next command it waits for (usually the first Extend), so the two cost one round trip. The
     * branches may be used at once; the answer is read by {@link PendingStart#promptTokens()}. By default the
     * branches are started at once.
     */
    default PendingStart startAhead(String prompt, List<Long> branchIds, SamplingParams sampling) {
        int promptTokens = start(prompt, branchIds, sampling);
        return () -> promptTokens;
    }

    /**
     * Generates the next step of each branch. {@code onStep} is called on the calling thread once per
     * branch, in order of arrival (so a first-finish strategy can act on the first finisher); it may
     * call {@link #cancel}, and a cancelled branch then answers with {@link StepEnd#CANCELLED}. Returns
     * once every branch has answered.
     */
    void extend(List<Long> branchIds, Extension extension, Consumer<Step> onStep);

    /** Generates the next step of each branch and returns the steps in the order of {@code branchIds}. */
    default List<Step> extend(List<Long> branchIds, Extension extension) {
        var byId = new java.util.HashMap<Long, Step>();
        extend(branchIds, extension, step -> byId.put(step.branchId(), step));
        return branchIds.stream().map(byId::get).toList();
    }

    /**
     * Copies a live branch into children that share its KV. {@code childSeeds} is empty (each child
     * gets a seed derived from its parent's and its id) or holds one seed per child.
     */
    void fork(long parentId, List<Long> childIds, List<Long> childSeeds);

    /** Drops branches and frees their KV. */
    void cancel(Collection<Long> branchIds);

    /** Greedy continuation after {@code cue} on a copy of the branch; the branch is not changed. */
    ProbeResult probe(long branchId, String cue, int maxTokens, String stop);

    /** Forces text into a branch (prefilled, not sampled); returns the tokens it became. */
    int append(long branchId, String text);

    /**
     * The generator instance that holds this session's branches (for the SearchStarted event and
     * monitoring); empty when unknown.
     */
    default String generator() {
        return "";
    }

    /**
     * Prompt tokens prefilled again since the last call, because branches were moved to another generator
     * after theirs went away; each token is returned once. Zero for sessions that never move.
     */
    default long takeFailoverPrefill() {
        return 0;
    }

    /** Ends the session, frees every branch, and returns the generator's own account of it. */
    SessionTotals close();
}
