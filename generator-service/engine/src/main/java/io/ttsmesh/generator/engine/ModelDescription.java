package io.ttsmesh.generator.engine;

/** What an engine serves and how full it is (generator.proto's ModelInfo). */
public record ModelDescription(String model, int contextLength, int vocabSize, String stepDelimiter, int maxTopLogprobs,
                               int maxStepTokens, int maxBranchesPerSession, int maxLiveBranches, int liveBranches,
                               String executionProvider, String instance) {
}
