package io.ttsmesh.verifier;

import io.ttsmesh.task.Task;

/**
 * The task the pod's models were trained for ({@code tts.verifier.task}). A PRM trained on one task's
 * solutions says nothing reliable about another's, so the model verifiers refuse other tasks instead of
 * answering with meaningless scores.
 */
public record ModelTask(String name) {

    /** @throws VerifierException INVALID_ARGUMENT naming {@code task} when {@code requested} is another task */
    public void require(Task requested, String verifier) {
        if (!requested.name().equals(name)) {
            throw new VerifierException(StatusCode.INVALID_ARGUMENT, "task: this pod's models serve task '" + name
                    + "', so verifier '" + verifier + "' cannot score task '" + requested.name()
                    + "' (send it to a verifier pod with tts.verifier.task=" + requested.name()
                    + ", or use rules)");
        }
    }
}
