package io.ttsmesh.generator.engine;

import java.util.List;

/** A generated token's log-probability under the raw model distribution, with the top alternatives. */
public record TokenLogprob(int tokenId, String token, float logprob, List<Alternative> top) {

    public record Alternative(int tokenId, String token, float logprob) {
    }
}
