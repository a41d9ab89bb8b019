package io.ttsmesh.bench.eval.plots;

import io.ttsmesh.bench.eval.stats.RunSummary;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Accuracy per difficulty, one bar per run in each difficulty group. */
public final class AccuracyByDifficultyChart {

    private AccuracyByDifficultyChart() {
    }

    public static void write(String title, List<RunSummary> runs, Path png) {
        CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT).title(title)
                .xAxisTitle("difficulty (operations in the expression)").yAxisTitle("accuracy").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0")
                .setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15))
                .setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setAvailableSpaceFill(0.85).setPlotGridVerticalLinesVisible(false);
        TreeSet<String> labels = new TreeSet<>();
        runs.forEach(r -> labels.addAll(r.byDifficulty().keySet()));
        List<String> x = new ArrayList<>(labels);
        for (RunSummary r : runs) {
            List<Double> y = x.stream().map(d -> r.byDifficulty().containsKey(d) ? r.byDifficulty().get(d).accuracy() : 0.0)
                    .toList();
            chart.addSeries(r.run().name(), x, y);
        }
        Charts.save(chart, png);
    }
}
