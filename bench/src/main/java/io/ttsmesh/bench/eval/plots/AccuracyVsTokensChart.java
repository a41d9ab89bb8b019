package io.ttsmesh.bench.eval.plots;

import io.ttsmesh.bench.eval.stats.RunSummary;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy against mean generated tokens per question, one curve per strategy (its runs over N or budgets,
 * ordered by tokens), on a logarithmic token axis: the chart users choose a method by.
 */
public final class AccuracyVsTokensChart {

    private AccuracyVsTokensChart() {
    }

    public static void write(String title, List<RunSummary> runs, Path png) {
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT).title(title)
                .xAxisTitle("mean generated tokens per question (log scale)").yAxisTitle("accuracy").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true).setXAxisDecimalPattern("#,##0").setYAxisDecimalPattern("0.00")
                .setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15))
                .setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(9);
        chart.getStyler().setPlotGridLinesVisible(true);
        Map<String, List<RunSummary>> curves = new LinkedHashMap<>();
        for (RunSummary r : runs) {
            if (r.questions() > 0 && r.meanTokens() > 0) {
                curves.computeIfAbsent(r.run().curve(), k -> new ArrayList<>()).add(r);
            }
        }
        double lo = Double.MAX_VALUE;
        double hi = 0;
        double yLo = 1;
        double yHi = 0;
        int i = 0;
        for (Map.Entry<String, List<RunSummary>> e : curves.entrySet()) {
            List<RunSummary> points = new ArrayList<>(e.getValue());
            points.sort(Comparator.comparingDouble(RunSummary::meanTokens));
            double[] x = points.stream().mapToDouble(RunSummary::meanTokens).toArray();
            double[] y = points.stream().mapToDouble(p -> p.accuracy().estimate()).toArray();
            for (double v : x) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            for (double v : y) {
                yLo = Math.min(yLo, v);
                yHi = Math.max(yHi, v);
            }
            XYSeries s = chart.addSeries(label(e.getKey(), points), x, y);
            s.setMarker(MARKERS[i % MARKERS.length]);
            s.setLineStyle(new BasicStroke(points.size() > 1 ? 2f : 0f));
            if (points.size() == 1) {
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
            i++;
        }
        if (hi > 0) {
            chart.getStyler().setXAxisMin(Math.pow(10, Math.floor(Math.log10(lo))))
                    .setXAxisMax(Math.pow(10, Math.ceil(Math.log10(hi))));
            // a tenth of margin, on tenths: differences of a few points stay visible, the scale stays honest
            chart.getStyler().setYAxisMin(Math.max(0, Math.floor((yLo - 0.05) * 10) / 10))
                    .setYAxisMax(Math.min(1, Math.ceil((yHi + 0.05) * 10) / 10));
        }
        Charts.save(chart, png);
    }

    /** "beam_search (N 4..32)" for a swept curve, the run's name otherwise. */
    private static String label(String curve, List<RunSummary> points) {
        if (points.size() > 1 && points.get(0).run().point() != null) {
            return curve + " (" + points.get(0).run().point() + ".." + points.get(points.size() - 1).run().point() + ")";
        }
        return curve;
    }

    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
            SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS,
            SeriesMarkers.PLUS};
}
