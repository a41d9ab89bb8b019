package io.ttsmesh.bench.eval.execution;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The evaluation's progress bar on stderr: searches done of all, rate, ETA and the running accuracy. On a
 * terminal it redraws in place; otherwise (a log file, CI) it prints a line every 30 seconds.
 */
public final class Progress implements AutoCloseable {

    private final ProgressBar bar;
    private final AtomicInteger graded = new AtomicInteger();
    private final AtomicInteger correct = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    public Progress(String task, long total, long alreadyDone) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" searches", 1).showSpeed()
                .startsFrom(alreadyDone, Duration.ZERO).setMaxRenderedLength(120);
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(System.err::println)).setUpdateIntervalMillis(30_000);
        } else {
            b.setUpdateIntervalMillis(500);
        }
        this.bar = b.build();
    }

    public void searched(boolean isCorrect, boolean isFailed) {
        int n = graded.incrementAndGet();
        int c = isCorrect ? correct.incrementAndGet() : correct.get();
        int f = isFailed ? failed.incrementAndGet() : failed.get();
        bar.step();
        bar.setExtraMessage(String.format(java.util.Locale.ROOT, " acc %.3f%s", (double) c / n, f > 0 ? " failed " + f : ""));
    }

    @Override
    public void close() {
        bar.close();
    }
}
