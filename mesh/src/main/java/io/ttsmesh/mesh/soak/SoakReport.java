package io.ttsmesh.mesh.soak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a soak's samples (CSV, JSON), its plots (PNG) and its verdict (markdown). */
final class SoakReport {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private SoakReport() {
    }

    static void write(SoakResult r, Path dir, Path markdown, Path repo) throws IOException {
        Files.createDirectories(dir);
        writeCsv(r, dir.resolve("samples.csv"));
        writeJson(r, dir.resolve("soak.json"));
        List<String> plots = new ArrayList<>();
        plots.add(plot(r, dir, "memory", "Resident memory and heap per JVM (MB)", "MB", concat(r.columns("rss_"), r.columns("heap_mb."))));
        plots.add(plot(r, dir, "latency", "Latency per 10 s window, send to result (ms)", "ms", List.of("p50_ms", "p99_ms")));
        plots.add(plot(r, dir, "throughput", "Results per second and errors per window", "per s / count", List.of("results_per_s", "errors")));
        plots.add(plot(r, dir, "generator", "Generator: live branches, open sessions, KV MB (stored history, decode-batch buffers)", "", concat(r.columns("live_branches."),
                concat(r.columns("sessions."), r.columns("kv_")))));
        plots.add(plot(r, dir, "queues", "Queues: verifier queue and prefix cache MB, orchestrator searches, Kafka lag, outstanding", "", concat(concat(r.columns("queue."), r.columns("cache_mb.")),
                List.of("searches_running.orchestrator", "searches_queued.orchestrator", "kafka_lag", "outstanding"))));
        plots.add(plot(r, dir, "load", "Machine 1-minute load average (2 cores, shared)", "", List.of("load_avg_1m")));
        Files.writeString(markdown, markdown(r, repo.relativize(dir.toAbsolutePath()), plots, markdown.getParent().relativize(dir)));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void writeCsv(SoakResult r, Path file) throws IOException {
        StringBuilder b = new StringBuilder();
        List<String> cols = r.samples().isEmpty() ? List.of() : new ArrayList<>(r.samples().getFirst().values().keySet());
        b.append("seconds,phase");
        cols.forEach(c -> b.append(',').append(c));
        b.append('\n');
        for (SoakSample s : r.samples()) {
            b.append(String.format("%.1f", s.seconds())).append(',').append(s.phase());
            for (String c : cols) {
                double v = s.get(c);
                b.append(',').append(Double.isNaN(v) ? "" : String.format("%.3f", v));
            }
            b.append('\n');
        }
        Files.writeString(file, b.toString());
    }

    private static void writeJson(SoakResult r, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("command", r.command());
        root.put("started", r.started().toString());
        root.put("finished", r.finished().toString());
        root.put("mix", r.mix());
        root.put("seed", r.seed());
        root.put("capacity_requests_per_s", r.capacity());
        root.put("load_fraction", r.loadFraction());
        root.put("rate_requests_per_s", r.rate());
        root.put("minutes", r.minutes());
        root.put("warmup_minutes", r.warmupMinutes());
        root.put("sent", r.sent());
        root.put("completions", r.completions().size());
        root.put("duplicates", r.duplicates());
        root.put("errors", r.errors());
        Map<String, Object> slopes = new LinkedHashMap<>();
        for (String c : concat(r.columns("rss_"), r.columns("heap_mb."))) {
            SoakResult.Slope s = r.slope(c);
            slopes.put(c, Map.of("mb_per_hour", s.perHour(), "ci95", s.ci95(), "later_half_mb_per_hour", s.lateHalfPerHour(),
                    "later_half_ci95", s.lateHalfCi95(), "mean_mb", s.mean(), "samples", s.samples(), "growing", s.growing()));
        }
        root.put("slopes_after_warmup", slopes);
        root.put("latency_thirds", r.latencyThirds());
        root.put("idle_clean", r.idleClean());
        root.put("load_average_min_mean_max", r.loadAverage());
        List<Map<String, Object>> samples = new ArrayList<>();
        for (SoakSample s : r.samples()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seconds", s.seconds());
            m.put("phase", s.phase());
            s.values().forEach((k, v) -> m.put(k, Double.isNaN(v) ? null : v));
            samples.add(m);
        }
        root.put("samples", samples);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    private static String plot(SoakResult r, Path dir, String name, String title, String yTitle, List<String> columns) {
        XYChart chart = new XYChartBuilder().width(1100).height(600).title(title).xAxisTitle("minutes since start").yAxisTitle(yTitle).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(java.awt.Color.WHITE);
        for (String c : columns) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (SoakSample s : r.samples()) {
                double v = s.get(c);
                if (!Double.isNaN(v)) {
                    x.add(s.seconds() / 60);
                    y.add(v);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(c, x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        // the phases as a vertical marker series: load starts, load stops
        double top = r.samples().stream().flatMap(s -> columns.stream().map(s::get)).filter(d -> !Double.isNaN(d))
                .mapToDouble(Double::doubleValue).max().orElse(1);
        double soak = r.soakStartSeconds() / 60;
        double stop = (r.lastSentNanos() - r.startNanos()) / 60e9;
        chart.addSeries("load on / off", List.of(soak, soak, stop, stop), List.of(0.0, top, top, 0.0)).setMarker(SeriesMarkers.NONE)
                .setLineColor(java.awt.Color.LIGHT_GRAY);
        try {
            BitmapEncoder.saveBitmap(chart, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + name, e);
        }
        return name + ".png";
    }

    private static String markdown(SoakResult r, Path dirInRepo, List<String> plots, Path dirFromReport) {
        StringBuilder b = new StringBuilder();
        double[] load = r.loadAverage();
        b.append("# Soak of the local mesh\n\n");
        b.append("Generated by `tts-mesh soak` (mesh/src/main/java/io/ttsmesh/mesh/soak); samples in `").append(dirInRepo)
                .append("/samples.csv` and `soak.json`, plots beside them.\n\n");
        b.append("```bash\n").append(r.command()).append("\n```\n\n");
        b.append(String.format("- Run %s, %s to %s UTC.%n", r.run(), r.started(), r.finished()));
        b.append("- The mesh: a Kafka broker (KRaft), the arithmetic generator and verifier, the orchestrator, each its own JVM "
                + "on this machine; requests through `tts.requests`, results read back from `tts.results` (latency = send to result record).\n");
        b.append(String.format("- Mix (drawn per request, seed %d): %s; budget per request as in the command.%n", r.seed(), String.join(", ", r.mix())));
        b.append(String.format("- Capacity, measured first with the same mix (closed loop, %d s window): %d results = **%.2f requests/s**. "
                + "Load: %.0f%% of it = %.2f requests/s, Poisson arrivals, for %.1f min; %d requests sent, %d results; "
                + "then %d s idle after the last result.%n", r.capacitySeconds(), r.capacityResults(), r.capacity(), r.loadFraction() * 100,
                r.rate(), r.minutes(), r.sent(), r.completions().size(), r.idleSeconds()));
        b.append(String.format("- **The machine was shared**: 2 cores, with other agents' builds and tests running beside the soak. "
                + "1-minute load average during the run: min %.1f, mean %.1f, max %.1f (column `load_avg_1m`). "
                + "Latency and capacity are therefore noisy and low; the memory verdicts do not depend on speed.%n%n", load[0], load[1], load[2]));

        b.append(String.format("## Verdict: %s%n%n", r.passed() ? "no drift found" : "DRIFT OR LEFTOVERS FOUND"));
        b.append(String.format("### Leak test: RSS slope after the %.0f-minute warm-up (load phase only)%n%n", r.warmupMinutes()));
        b.append("| JVM | samples | slope MB/h (95% CI) | later half: slope MB/h (95% CI) | mean MB | first -> last MB | verdict |\n|---|---|---|---|---|---|---|\n");
        for (String c : concat(r.columns("rss_"), r.columns("heap_mb."))) {
            SoakResult.Slope s = r.slope(c);
            b.append(String.format("| %s | %d | %+.1f (+-%.1f) | %+.1f (+-%.1f) | %.0f | %.0f -> %.0f | %s |%n", c, s.samples(), s.perHour(), s.ci95(),
                    s.lateHalfPerHour(), s.lateHalfCi95(), s.mean(),
                    s.first(), s.last(), c.startsWith("heap_mb.") ? "(heap: sawtooth, for reference)" : s.growing() ? "**growing**" : "no growth"));
        }
        b.append(String.format("%n\"Growing\" = slope above 0 with 95%% confidence and above %.0f%% of the mean per hour, over the whole "
                + "window after warm-up and over its later half too (a leak keeps growing; a JVM settling in, its heap sized up "
                + "or a bounded cache filling, flattens out).%n%n",
                SoakResult.GROWTH_PER_HOUR * 100));
        SoakSample idle = r.lastIdle();
        b.append(String.format("### Idle after the load: %s%n%n", r.idleClean() ? "clean" : "NOT clean"));
        if (idle != null) {
            b.append(String.format("%d s after the last result (all %s): live branches %s, open generator sessions %s, KV of branch "
                            + "history %s MB (decode-batch buffers kept for reuse: %s MB), searches running %s, verifier queue %s, "
                            + "verifier prefix cache %s MB, Kafka lag %s.%n%n", r.idleSeconds(), r.drained() ? "results in" : "results NOT in",
                    SoakResult.fmt(idle.get("live_branches.generator")), SoakResult.fmt(idle.get("sessions.generator")),
                    SoakResult.fmt(idle.get("kv_stored_mb.generator")), SoakResult.fmt(idle.get("kv_batch_mb.generator")),
                    SoakResult.fmt(idle.get("searches_running.orchestrator")),
                    SoakResult.fmt(idle.get("queue.verifier")), SoakResult.fmt(idle.get("cache_mb.verifier")), SoakResult.fmt(idle.get("kafka_lag"))));
        }
        b.append("### Latency drift (requests sent in the first vs the last third of the load after warm-up)\n\n");
        b.append("| part | results | p50 ms | p99 ms |\n|---|---|---|---|\n");
        r.latencyThirds().forEach((k, v) -> b.append(String.format("| %s | %.0f | %.0f | %.0f |%n", k, v[0], v[1], v[2])));
        b.append(String.format("%nErrors (FAILED results, dead letters): %s. Duplicate result records seen: %d.%n%n",
                r.errors().isEmpty() ? "none" : r.errors().toString(), r.duplicates()));
        b.append("## Plots\n\n");
        for (String p : plots) {
            b.append("![").append(p).append("](").append(dirFromReport.resolve(p)).append(")\n\n");
        }
        return b.toString();
    }
}
