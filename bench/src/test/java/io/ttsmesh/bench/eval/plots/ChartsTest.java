package io.ttsmesh.bench.eval.plots;

import io.ttsmesh.bench.eval.config.ConfigFile;
import io.ttsmesh.bench.eval.config.EvalConfig;
import io.ttsmesh.bench.eval.results.QuestionResult;
import io.ttsmesh.bench.eval.stats.Bootstrap;
import io.ttsmesh.bench.eval.summary.Summaries;
import io.ttsmesh.bench.eval.summary.SummaryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {

    @Test
    void writesTheSummaryTablesAndThreeReadablePngs(@TempDir Path dir) throws Exception {
        EvalConfig config = ConfigFile.parse("""
                { "runs": [ { "name": "bon", "strategy": { "name": "best_of_n" }, "sweep": { "n": [1, 4, 16] } },
                            { "name": "bon+prune", "strategy": { "name": "best_of_n", "params": { "n": 16 } },
                              "policies": [ { "name": "prune" } ], "baseline": "bon@16" } ] }
                """, "t", null);
        List<QuestionResult> results = new ArrayList<>();
        String[] runs = {"bon@1", "bon@4", "bon@16", "bon+prune"};
        long[] tokens = {40, 160, 640, 300};
        for (int r = 0; r < runs.length; r++) {
            for (int q = 0; q < 40; q++) {
                boolean correct = q < 10 + 8 * r;
                results.add(new QuestionResult(runs[r], "f", "q" + q, "arithmetic", 2 + q % 4, "1", correct ? "1" : "2", correct,
                        correct ? "1" : "2", tokens[r], 8, r, 1, 100 + q, 90, "COMPLETED", "", null, q, null, null,
                        null, null, "m", "t"));
            }
        }
        Summaries s = Summaries.of(config, results, new Bootstrap(500, 1));
        assertThat(s.comparisons()).hasSize(1);
        assertThat(s.comparisons().get(0).tokenRatio()).isEqualTo(300.0 / 640);
        SummaryFiles.write(dir, "unit", s, "tts-bench eval ...");
        for (String png : List.of("accuracy-vs-tokens.png", "accuracy-by-difficulty.png", "policy-savings.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertThat(image).as(png).isNotNull();
            assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
            assertThat(image.getHeight()).isEqualTo(Charts.HEIGHT);
        }
        String md = Files.readString(dir.resolve("summary.md"));
        assertThat(md).contains("| bon@16 | 40 | 0.650 |").contains("bon+prune | bon@16 | 40 |");
        assertThat(Files.readString(dir.resolve("summary.json"))).contains("\"run\" : \"bon@4\"");
    }
}
