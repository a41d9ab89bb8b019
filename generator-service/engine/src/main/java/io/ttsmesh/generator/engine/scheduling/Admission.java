package io.ttsmesh.generator.engine.scheduling;

import io.ttsmesh.generator.engine.ErrorCode;
import io.ttsmesh.generator.engine.decode.KvLedger;

import java.util.List;

import static io.ttsmesh.generator.engine.scheduling.Rejection.require;

/**
 * The engine's bounds, checked when a command arrives: live branches per session and per pod, room in the
 * prefill queue and in a busy branch's queue, the context, and KV bytes (reserved up front, so work that was
 * admitted never runs out). Beyond a bound the command is refused with RESOURCE_EXHAUSTED, never queued
 * without limit. Engine thread only.
 */
final class Admission {

    /** How many commands may wait on one busy branch. */
    static final int MAX_WAITING_PER_BRANCH = 64;

    private final EngineLoop loop;

    Admission(EngineLoop loop) {
        this.loop = loop;
    }

    void requireCapacity(SessionState session, int more) {
        int perSession = loop.settings.maxBranchesPerSession();
        require(session.liveBranches + more <= perSession, ErrorCode.RESOURCE_EXHAUSTED, "the session would hold "
                + (session.liveBranches + more) + " live branches; at most " + perSession + " per session");
        int perPod = loop.settings.maxLiveBranches();
        require(loop.liveBranches() + more <= perPod, ErrorCode.RESOURCE_EXHAUSTED, "this generator holds "
                + loop.liveBranches() + " live branches and admits at most " + perPod + "; retry later or elsewhere");
    }

    void requirePrefillSlot() {
        int max = loop.settings.maxPendingPrefills();
        require(loop.pendingPrefills() < max, ErrorCode.RESOURCE_EXHAUSTED,
                "the generator's prefill queue is full (" + max + " waiting); retry later");
    }

    void requireRoomToWait(List<Branch> branches) {
        for (Branch branch : branches) {
            require(branch.deferred.size() < MAX_WAITING_PER_BRANCH, ErrorCode.RESOURCE_EXHAUSTED,
                    "branch " + branch.id + " already has " + MAX_WAITING_PER_BRANCH + " commands waiting");
        }
    }

    void requireFits(Branch branch, int tokens, String field) {
        int context = loop.contextLength;
        require(branch.length + tokens < context, ErrorCode.INVALID_ARGUMENT, field + " is " + tokens
                + " tokens; branch " + branch.id + " holds " + branch.length + " of the " + context
                + " context tokens and one must stay free to generate");
    }

    /** Reserves KV bytes for work about to be queued (released by whoever finishes or drops it). */
    void reserve(long bytes, String what) {
        KvLedger ledger = loop.ledger;
        require(ledger.tryReserve(bytes), ErrorCode.RESOURCE_EXHAUSTED, "KV cache full: " + what + " need " + bytes
                + " bytes; " + (ledger.storedBytes() + ledger.reservedBytes()) + " of " + ledger.limitBytes()
                + " are held or reserved; retry later");
    }
}
