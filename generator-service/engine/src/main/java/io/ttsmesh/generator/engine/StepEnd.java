package io.ttsmesh.generator.engine;

/** Why a step ended (generator.proto's StepEnd). */
public enum StepEnd {
    /** The text reached the step delimiter (or a stop string); the branch is live. */
    DELIMITER(false),
    /** End-of-sequence token; the branch is finished. */
    EOS(true),
    /** The call's token quota ran out; the branch is live. */
    QUOTA(false),
    /** The branch filled the model's context; the branch is finished. */
    CONTEXT_LIMIT(true),
    /** The confidence stop fired; the branch is finished. */
    LOW_CONFIDENCE(true),
    /** Cancelled while generating; the branch is gone. */
    CANCELLED(true);

    private final boolean finishes;

    StepEnd(boolean finishes) {
        this.finishes = finishes;
    }

    /** Whether the branch can no longer be extended after a step that ended so. */
    public boolean finishes() {
        return finishes;
    }
}
