package io.ttsmesh.bench.mesh;

import io.ttsmesh.bench.eval.plots.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.nio.file.Path;
import java.util.List;

/**
 * The warm-up curves. Rounds: ms per search through the mesh and in-process per round (left axis) and their ratio
 * (right axis), so a reader sees whether the ratio settled. Bulk: each path's mean ms per search at the bulk's
 * concurrency against the searches it had served (left axis) and the JIT compiler threads' share of its CPU (right
 * axis), so a reader sees the compiler finish and the latency follow.
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

    static void writeBulk(BulkWarmup bulk, Path png) {
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("mesh-overhead bulk warm-up: " + bulk.clients() + " concurrent searches per path, every strategy in turn")
                .xAxisTitle("searches served by the path").yAxisTitle("mean ms per search").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setPlotGridLinesVisible(true).setYAxisMin(0.0).setMarkerSize(7);
        chart.getStyler().setYAxisGroupPosition(1, org.knowm.xchart.style.Styler.YAxisPosition.Right);
        chart.setYAxisGroupTitle(1, "JIT share of the path's CPU, %");
        if (bulk.slices().isEmpty()) {
            chart.addSeries("no bulk warm-up", new double[] {0}, new double[] {0});
        }
        for (String path : List.of("mesh", "in-process")) {
            List<BulkWarmup.Slice> slices = bulk.slices().stream().filter(s -> s.path().equals(path)).toList();
            if (slices.isEmpty()) {
                continue;
            }
            double[] x = slices.stream().mapToDouble(BulkWarmup.Slice::served).toArray();
            chart.addSeries(path + " ms/search", x, slices.stream().mapToDouble(s -> s.run().latency().meanMs()).toArray())
                    .setMarker(path.equals("mesh") ? SeriesMarkers.CIRCLE : SeriesMarkers.SQUARE);
            XYSeries jit = chart.addSeries(path + " JIT % (right axis)", x,
                    slices.stream().mapToDouble(s -> 100 * s.run().jitShare()).toArray());
            jit.setMarker(SeriesMarkers.DIAMOND);
            jit.setYAxisGroup(1);
        }
        Charts.save(chart, png);
    }
}
