package io.ttsmesh.search.generation;

import java.util.List;

/** Log-probability of a generated token under the raw model distribution, with the top alternatives. */
public record TokenLogprob(int tokenId, String token, float logprob, List<Alternative> top) {

    public record Alternative(int tokenId, String token, float logprob) {
    }
}
