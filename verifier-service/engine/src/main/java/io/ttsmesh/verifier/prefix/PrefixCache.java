package io.ttsmesh.verifier.prefix;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Least-recently-used {@link PrefixState}s per (model, hash of the token prefix), bounded in bytes.
 * A hit is returned only when the stored tokens equal the asked prefix, so a hash collision costs a
 * recompute, never a wrong score.
 */
public final class PrefixCache {

    private record Key(String model, long hash, int length) {
    }

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, PrefixState> states = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long evictions;

    public PrefixCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("cache max-bytes must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** The state stored for {@code tokens[0, length)}, or null. */
    public PrefixState get(String model, long hash, long[] tokens, int length) {
        lock.lock();
        try {
            PrefixState s = states.get(new Key(model, hash, length));
            if (s == null || !Arrays.equals(s.tokens(), 0, length, tokens, 0, length)) {
                return null;
            }
            return s;
        } finally {
            lock.unlock();
        }
    }

    public boolean contains(String model, long hash, long[] tokens, int length) {
        return get(model, hash, tokens, length) != null;
    }

    /** Stores (or replaces) a state; evicts the least recently used until the bound holds. */
    public void put(String model, long hash, PrefixState state) {
        long size = state.bytes();
        if (size > maxBytes) {
            return;
        }
        lock.lock();
        try {
            PrefixState old = states.put(new Key(model, hash, state.length()), state);
            bytes += size - (old == null ? 0 : old.bytes());
            Iterator<Map.Entry<Key, PrefixState>> eldest = states.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                bytes -= eldest.next().getValue().bytes();
                eldest.remove();
                evictions++;
            }
        } finally {
            lock.unlock();
        }
    }

    public void clear() {
        lock.lock();
        try {
            states.clear();
            bytes = 0;
        } finally {
            lock.unlock();
        }
    }

    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    public int entries() {
        lock.lock();
        try {
            return states.size();
        } finally {
            lock.unlock();
        }
    }

    public long evictions() {
        lock.lock();
        try {
            return evictions;
        } finally {
            lock.unlock();
        }
    }

    public long maxBytes() {
        return maxBytes;
    }
}
