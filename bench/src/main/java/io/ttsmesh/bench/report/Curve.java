package io.ttsmesh.bench.report;

import io.ttsmesh.bench.eval.stats.RunSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A strategy's accuracy-vs-tokens curve, for comparisons at equal compute: accuracy at a token count is
 * interpolated linearly in log tokens between the two measured points around it, and never extrapolated.
 */
public final class Curve {

    /** One measured point. */
    public record Point(String run, double tokens, double accuracy) {
    }

    private final String name;
    private final List<Point> points;

    public Curve(String name, List<Point> points) {
        this.name = name;
        this.points = points.stream().sorted(Comparator.comparingDouble(Point::tokens)).toList();
    }

    public static Curve of(String name, List<RunSummary> runs) {
        List<Point> points = new ArrayList<>();
        for (RunSummary r : runs) {
            points.add(new Point(r.run().name(), r.meanTokens(), r.accuracy().estimate()));
        }
        return new Curve(name, points);
    }

    public String name() {
        return name;
    }

    public List<Point> points() {
        return points;
    }

    /** Accuracy at {@code tokens}, or NaN outside the measured range. */
    public double accuracyAt(double tokens) {
        if (points.isEmpty() || tokens < points.get(0).tokens() || tokens > points.get(points.size() - 1).tokens()) {
            return Double.NaN;
        }
        for (int i = 0; i + 1 < points.size(); i++) {
            Point a = points.get(i);
            Point b = points.get(i + 1);
            if (tokens <= b.tokens()) {
                if (b.tokens() == a.tokens()) {
                    return Math.max(a.accuracy(), b.accuracy());
                }
                double f = (Math.log(tokens) - Math.log(a.tokens())) / (Math.log(b.tokens()) - Math.log(a.tokens()));
                return a.accuracy() + f * (b.accuracy() - a.accuracy());
            }
        }
        return points.get(points.size() - 1).accuracy();
    }

    /**
     * The fewest tokens at which the curve reaches {@code accuracy} (interpolated between the first point that
     * reaches it and the one before), or NaN when no point does.
     */
    public double tokensFor(double accuracy) {
        for (int i = 0; i < points.size(); i++) {
            Point b = points.get(i);
            if (b.accuracy() >= accuracy) {
                if (i == 0) {
                    return b.tokens();
                }
                Point a = points.get(i - 1);
                double f = (accuracy - a.accuracy()) / (b.accuracy() - a.accuracy());
                return Math.exp(Math.log(a.tokens()) + f * (Math.log(b.tokens()) - Math.log(a.tokens())));
            }
        }
        return Double.NaN;
    }
}
