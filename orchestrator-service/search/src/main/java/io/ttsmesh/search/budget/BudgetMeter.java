package io.ttsmesh.search.budget;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The account of one search against its {@link Budget}: the single place where spending is checked
 * and counted. Tokens are reserved before a generation call (the call's quota is clamped to what is
 * left) and the unused part of the reservation is returned when the call is over; verifier calls are
 * reserved before a scoring call. Nothing is ever spent beyond the budget, because nothing is asked
 * of a port that was not reserved first.
 *
 * <p>Written by the search's own thread; read (for progress) by any thread, hence the lock.
 */
public final class BudgetMeter {

    private final Budget budget;
    private final Instant admitted;
    private final Instant deadline;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();

    private long generatedTokens;
    private long prefillTokens;
    private long reservedTokens;
    private int verifierCalls;
    /** Calls of scoring sent ahead and not answered yet: held against the budget, not yet spent. */
    private int verifierCallsHeld;
    private int branches;

    public BudgetMeter(Budget budget, Instant admitted, Clock clock) {
        this.budget = budget;
        this.admitted = admitted;
        this.deadline = admitted.plus(budget.deadline());
        this.clock = clock;
    }

    public Budget budget() {
        return budget;
    }

    public Instant deadline() {
        return deadline;
    }

    /** Throws when the deadline has passed. */
    public void checkDeadline() {
        Instant now = clock.instant();
        if (!now.isBefore(deadline)) {
            throw new BudgetExhausted(Resource.DEADLINE, "deadline of " + budget.deadline().toMillis()
                    + " ms passed (" + Duration.between(admitted, now).toMillis() + " ms since admission)");
        }
    }

    /**
     * Reserves a quota for {@code branches} branches of at most {@code perBranch} tokens each, clamped
     * to what is left; returns the granted quota per branch (at least 1).
     *
     * @throws BudgetExhausted when not even one token per branch is left
     */
    public TokenReservation reserveTokens(int branches, int perBranch) {
        lock.lock();
        try {
            long left = budget.maxTokens() - generatedTokens - reservedTokens;
            long granted = Math.min(perBranch, left / Math.max(1, branches));
            if (granted < 1) {
                throw new BudgetExhausted(Resource.TOKENS, "token budget exhausted: " + generatedTokens + " of "
                        + budget.maxTokens() + " tokens generated, the next call needs at least " + branches);
            }
            reservedTokens += granted * branches;
            return new TokenReservation((int) granted, granted * branches);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tokens that can still be reserved for one branch, e.g. for an optional probe; 0 when none.
     */
    public long tokensLeft() {
        lock.lock();
        try {
            return Math.max(0, budget.maxTokens() - generatedTokens - reservedTokens);
        } finally {
            lock.unlock();
        }
    }

    public int verifierCallsLeft() {
        lock.lock();
        try {
            return Math.max(0, budget.maxVerifierCalls() - verifierCalls - verifierCallsHeld);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks that {@code candidates} verifier calls can be afforded.
     *
     * @throws BudgetExhausted when they cannot
     */
    public void checkVerifierCalls(int candidates) {
        lock.lock();
        try {
            if (verifierCalls + verifierCallsHeld + (long) candidates > budget.maxVerifierCalls()) {
                throw new BudgetExhausted(Resource.VERIFIER_CALLS, "verifier budget exhausted: " + verifierCalls
                        + " of " + budget.maxVerifierCalls() + " calls used" + (verifierCallsHeld > 0
                        ? " and " + verifierCallsHeld + " awaiting their answer" : "") + ", the next scoring needs " + candidates);
            }
        } finally {
            lock.unlock();
        }
    }

    public void addVerifierCalls(int candidates) {
        lock.lock();
        try {
            verifierCalls += candidates;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds {@code candidates} calls against the budget for a call sent ahead: no other scoring may spend them, and they
     * are not spent ({@link #spend}) until {@link #settleHeldVerifierCalls} says the call was answered.
     *
     * @throws BudgetExhausted when they cannot be afforded
     */
    public void holdVerifierCalls(int candidates) {
        lock.lock();
        try {
            checkVerifierCalls(candidates);
            verifierCallsHeld += candidates;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends a hold: the calls are spent when the verifier answered, given back when the call failed as a whole (as a
     * failed {@link #addVerifierCalls} call is never counted). Spend only grows.
     */
    public void settleHeldVerifierCalls(int candidates, boolean answered) {
        lock.lock();
        try {
            verifierCallsHeld -= candidates;
            if (answered) {
                verifierCalls += candidates;
            }
        } finally {
            lock.unlock();
        }
    }

    public void addPrefillTokens(long tokens) {
        lock.lock();
        try {
            prefillTokens += tokens;
        } finally {
            lock.unlock();
        }
    }

    public void addBranches(int created) {
        lock.lock();
        try {
            branches += created;
        } finally {
            lock.unlock();
        }
    }

    /** What has been spent so far. */
    public Spend spend() {
        lock.lock();
        try {
            return new Spend(generatedTokens, prefillTokens, verifierCalls,
                    Math.max(0, Duration.between(admitted, clock.instant()).toMillis()), branches);
        } finally {
            lock.unlock();
        }
    }

    /** Tokens reserved for one generation call; spend from it as steps arrive, then close it. */
    public final class TokenReservation implements AutoCloseable {

        private final int perBranch;
        private long remaining;

        private TokenReservation(int perBranch, long total) {
            this.perBranch = perBranch;
            this.remaining = total;
        }

        /** The granted quota per branch. */
        public int perBranch() {
            return perBranch;
        }

        /** Counts tokens the generator reports as generated under this reservation. */
        public void spend(long tokens) {
            lock.lock();
            try {
                generatedTokens += tokens;
                long fromReservation = Math.min(tokens, remaining);
                remaining -= fromReservation;
                reservedTokens -= fromReservation;
            } finally {
                lock.unlock();
            }
        }

        /** Returns what was not used. */
        @Override
        public void close() {
            lock.lock();
            try {
                reservedTokens -= remaining;
                remaining = 0;
            } finally {
                lock.unlock();
            }
        }
    }
}
