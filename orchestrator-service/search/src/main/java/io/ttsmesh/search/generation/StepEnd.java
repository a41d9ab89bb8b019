package io.ttsmesh.search.generation;

/** Why a step ended (mirrors generator.proto). */
public enum StepEnd {
    /** Reached the step delimiter; the branch is live. */
    DELIMITER,
    /** End of sequence; the branch is finished. */
    EOS,
    /** The call's token quota ran out mid-step; the branch is live. */
    QUOTA,
    /** The model's context is full; the branch is finished. */
    CONTEXT_LIMIT,
    /** A confidence stop fired; the branch is finished. */
    LOW_CONFIDENCE,
    /** Cancelled while generating; the branch is gone. */
    CANCELLED
}
