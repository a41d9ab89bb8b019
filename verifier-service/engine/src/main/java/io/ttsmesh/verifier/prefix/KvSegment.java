package io.ttsmesh.verifier.prefix;

/**
 * Past keys and values of the tokens {@code [start, start + length)} of a prefix, chained to the segment
 * holding {@code [0, start)}. A prefix that extends a cached one stores only its own new tokens and
 * points at its parent: extending a branch by a step copies that step's KV, not the whole prefix's again.
 *
 * @param data [layer][key|value][head][position in this segment][head dim], flattened
 */
public record KvSegment(KvSegment parent, int start, int length, float[] data) {

    public KvSegment {
        if (parent != null && parent.end() != start) {
            throw new IllegalArgumentException("segment starts at " + start + " but its parent ends at " + parent.end());
        }
        if (parent == null && start != 0) {
            throw new IllegalArgumentException("a root segment starts at 0, not " + start);
        }
    }

    public int end() {
        return start + length;
    }

    /**
     * Bytes of KV this segment keeps reachable, its ancestors included. Counting shared ancestors once per
     * descendant over-counts what the cache holds, never under-counts: the bound stays a bound.
     */
    public long reachableBytes() {
        long bytes = 0;
        for (KvSegment s = this; s != null; s = s.parent) {
            bytes += 4L * s.data.length;
        }
        return bytes;
    }
}
