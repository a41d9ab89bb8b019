package io.ttsmesh.bench.mesh;

import io.ttsmesh.bench.eval.plots.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.List;

/**
 * The warm-up curve: ms per search through the mesh and in-process per round (left axis) and their ratio
 * (right axis), so a reader sees where the JIT settled and whether the ratio did.
 */
final class WarmupChart {

    private WarmupChart() {
    }

    static void write(WarmupCurve curve, Path png) {
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("mesh-overhead warm-up: ms per search by round (" + curve.ending().name().toLowerCase().replace('_', ' ') + ")")
                .xAxisTitle("warm-up round (every strategy once per path)").yAxisTitle("ms per search").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setPlotGridLinesVisible(true).setYAxisMin(0.0).setMarkerSize(7);
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "mesh / in-process");
        List<WarmupRound> rounds = curve.rounds();
        if (rounds.isEmpty()) {
            chart.addSeries("no rounds", new double[] {0}, new double[] {0});
        } else {
            double[] x = rounds.stream().mapToDouble(WarmupRound::round).toArray();
            chart.addSeries("mesh ms/search", x, rounds.stream().mapToDouble(WarmupRound::meshMsPerSearch).toArray())
                    .setMarker(SeriesMarkers.CIRCLE);
            chart.addSeries("in-process ms/search", x, rounds.stream().mapToDouble(WarmupRound::inProcessMsPerSearch).toArray())
                    .setMarker(SeriesMarkers.SQUARE);
            XYSeries ratio = chart.addSeries("ratio (right axis)", x, rounds.stream().mapToDouble(WarmupRound::ratio).toArray());
            ratio.setMarker(SeriesMarkers.DIAMOND);
            ratio.setYAxisGroup(1);
        }
        Charts.save(chart, png);
    }
}
