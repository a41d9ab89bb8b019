package io.ttsmesh.generator.engine.sampling;

/**
 * DeepConf online: the mean token confidence over a branch's last {@code size} generated tokens. The
 * window spans steps (it belongs to the branch, and a fork inherits it); it reports a value only once full.
 */
public final class ConfidenceWindow {

    private final double[] values;
    private int count;
    private int next;
    private double sum;

    public ConfidenceWindow(int size) {
        this.values = new double[size];
    }

    public int size() {
        return values.length;
    }

    public void add(double confidence) {
        if (count == values.length) {
            sum -= values[next];
        } else {
            count++;
        }
        values[next] = confidence;
        sum += confidence;
        next = (next + 1) % values.length;
    }

    public boolean isFull() {
        return count == values.length;
    }

    public double mean() {
        return count == 0 ? 0 : sum / count;
    }

    /** This window at another size, keeping the most recent values that fit. */
    public ConfidenceWindow resized(int size) {
        if (size == values.length) {
            return this;
        }
        ConfidenceWindow resized = new ConfidenceWindow(size);
        int keep = Math.min(count, size);
        for (int i = keep; i > 0; i--) {
            resized.add(values[Math.floorMod(next - i, values.length)]);
        }
        return resized;
    }

    public ConfidenceWindow copy() {
        ConfidenceWindow copy = new ConfidenceWindow(values.length);
        System.arraycopy(values, 0, copy.values, 0, values.length);
        copy.count = count;
        copy.next = next;
        copy.sum = sum;
        return copy;
    }
}
