package io.ttsmesh.verifier.prefix;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixCacheTest {

    private static PrefixState state(long[] tokens, int kvFloats) {
        return new PrefixState(tokens, tokens.length, new float[] {0.5f}, new KvSegment(null, 0, tokens.length, new float[kvFloats]));
    }

    @Test
    void aHitMustMatchTheTokensNotOnlyTheHash() {
        PrefixCache cache = new PrefixCache(1 << 20);
        long[] tokens = {1, 2, 3, 4};
        cache.put("m", 42L, state(tokens, 10));
        assertThat(cache.get("m", 42L, new long[] {1, 2, 3, 4, 9, 9}, 4)).isNotNull();
        // same hash and length, other tokens: a collision must read as a miss
        assertThat(cache.get("m", 42L, new long[] {1, 2, 3, 5}, 4)).isNull();
        assertThat(cache.get("other-model", 42L, tokens, 4)).isNull();
    }

    @Test
    void staysWithinItsBytesEvictingTheLeastRecentlyUsed() {
        long one = state(new long[8], 1000).bytes();
        PrefixCache cache = new PrefixCache(3 * one);
        long[][] t = new long[5][];
        for (int i = 0; i < 5; i++) {
            t[i] = new long[8];
            t[i][0] = i;
        }
        cache.put("m", 0, state(t[0], 1000));
        cache.put("m", 1, state(t[1], 1000));
        cache.put("m", 2, state(t[2], 1000));
        assertThat(cache.get("m", 0, t[0], 8)).isNotNull(); // 0 is now the most recent
        cache.put("m", 3, state(t[3], 1000));
        assertThat(cache.bytes()).isLessThanOrEqualTo(3 * one);
        assertThat(cache.entries()).isEqualTo(3);
        assertThat(cache.get("m", 1, t[1], 8)).as("least recently used").isNull();
        assertThat(cache.get("m", 0, t[0], 8)).isNotNull();
        assertThat(cache.evictions()).isEqualTo(1);
        // a state larger than the whole cache is not stored and evicts nothing
        cache.put("m", 4, state(t[4], 10_000));
        assertThat(cache.entries()).isEqualTo(3);
    }

    @Test
    void replacingAStateKeepsTheByteCountRight() {
        PrefixCache cache = new PrefixCache(1 << 20);
        long[] tokens = {7, 7};
        cache.put("m", 1, state(tokens, 100));
        cache.put("m", 1, state(tokens, 200));
        assertThat(cache.entries()).isEqualTo(1);
        assertThat(cache.bytes()).isEqualTo(state(tokens, 200).bytes());
    }

    @Test
    void prefixHashesAgreeWithHashingEachPrefixAlone() {
        long[] tokens = {5, 9, 4, 12, 13, 4, 7, 4};
        int[] ends = {3, -1, 6, 8};
        long[] all = PrefixHash.ofPrefixes(tokens, ends);
        assertThat(all[0]).isEqualTo(PrefixHash.of(tokens, 3));
        assertThat(all[1]).isZero();
        assertThat(all[2]).isEqualTo(PrefixHash.of(tokens, 6));
        assertThat(all[3]).isEqualTo(PrefixHash.of(tokens, 8));
        assertThat(PrefixHash.of(new long[] {1, 2}, 2)).isNotEqualTo(PrefixHash.of(new long[] {2, 1}, 2));
    }

    @Test
    void aChainedStateCountsTheKvItKeepsReachable() {
        KvSegment question = new KvSegment(null, 0, 4, new float[400]);
        KvSegment step = new KvSegment(question, 4, 2, new float[200]);
        assertThat(step.reachableBytes()).isEqualTo(4L * 600);
        PrefixState s = new PrefixState(new long[6], 6, new float[] {0.1f}, step);
        assertThat(s.bytes()).isGreaterThanOrEqualTo(4L * 600 + 8 * 6);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KvSegment(question, 5, 1, new float[100]))
                .hasMessageContaining("parent ends at 4");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PrefixState(new long[7], 7, new float[0], step))
                .hasMessageContaining("covers 6 tokens");
    }
}
