package io.ttsmesh.bench.eval.plots;

import io.ttsmesh.bench.eval.stats.Comparison;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.List;

/**
 * Per policy run: the share of its baseline's generated tokens it saved, and what that cost in accuracy
 * (points), side by side.
 */
public final class PolicySavingsChart {

    private PolicySavingsChart() {
    }

    public static void write(String title, List<Comparison> comparisons, Path png) {
        CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT).title(title)
                .xAxisTitle("policy run (baseline in the table)").yAxisTitle("percent / accuracy points").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLabelRotation(30).setYAxisDecimalPattern("0").setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15))
                .setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setLabelsVisible(true).setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11))
                .setLabelsFontColorAutomaticEnabled(false).setLabelsFontColor(Color.BLACK);
        chart.getStyler().setSeriesColors(new Color[] {new Color(31, 119, 180), new Color(214, 39, 40)});
        chart.getStyler().setAvailableSpaceFill(0.7).setPlotGridVerticalLinesVisible(false);
        List<String> x = comparisons.stream().map(Comparison::run).toList();
        chart.addSeries("tokens saved vs baseline (%)", x,
                comparisons.stream().map(c -> (Number) round1(c.tokensSavedPercent())).toList());
        chart.addSeries("accuracy change (points)", x,
                comparisons.stream().map(c -> (Number) round1(100 * c.accuracyDifference().estimate())).toList());
        Charts.save(chart, png);
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
