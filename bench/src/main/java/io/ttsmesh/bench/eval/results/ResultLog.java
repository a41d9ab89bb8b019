package io.ttsmesh.bench.eval.results;

import io.ttsmesh.bench.BenchJson;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The per-question results of an evaluation, one JSON line each, appended as searches finish: a run that is
 * stopped loses at most the searches in flight, and a rerun skips what is done. A last line cut short by a
 * kill is dropped on open (it was never complete); a damaged line elsewhere is an error, not silently skipped.
 * When a (run, question) pair appears twice, the later line counts.
 */
public final class ResultLog implements AutoCloseable {


    private final Path file;
    private final Map<String, QuestionResult> latest;
    private final Writer writer;
    private final ReentrantLock lock = new ReentrantLock();

    private ResultLog(Path file, Map<String, QuestionResult> latest, Writer writer) {
        this.file = file;
        this.latest = latest;
        this.writer = writer;
    }

    /** Opens (creating) a results file for appending, reading what it holds. */
    public static ResultLog open(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Map<String, QuestionResult> latest = new LinkedHashMap<>();
            if (Files.exists(file)) {
                dropIncompleteTail(file);
                for (QuestionResult r : read(file)) {
                    latest.put(key(r.run(), r.id()), r);
                }
            }
            Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return new ResultLog(file, latest, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open results file " + file, e);
        }
    }

    /** Every line of a results file, in order (for summaries of a finished evaluation). */
    public static List<QuestionResult> read(Path file) {
        List<QuestionResult> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(BenchJson.MAPPER.readValue(line, QuestionResult.class));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("results file " + file + " line " + (i + 1) + " is damaged ("
                            + e.getOriginalMessage() + "); remove that line to resume", e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results file " + file, e);
        }
        return out;
    }

    /** The latest result of each (run, question) pair, for the runs asked. */
    public static List<QuestionResult> latest(List<QuestionResult> all) {
        Map<String, QuestionResult> m = new LinkedHashMap<>();
        for (QuestionResult r : all) {
            m.put(key(r.run(), r.id()), r);
        }
        return List.copyOf(m.values());
    }

    public Path file() {
        return file;
    }

    /** Whether this pair has a result of this fingerprint that counts as done (a failed search does not). */
    public boolean isDone(String run, String questionId, String fingerprint) {
        lock.lock();
        try {
            QuestionResult r = latest.get(key(run, questionId));
            return r != null && r.done() && r.fingerprint().equals(fingerprint);
        } finally {
            lock.unlock();
        }
    }

    /** The latest result of every pair recorded so far. */
    public List<QuestionResult> results() {
        lock.lock();
        try {
            return List.copyOf(latest.values());
        } finally {
            lock.unlock();
        }
    }

    /** Appends one result and flushes it to the file. */
    public void append(QuestionResult result) {
        String line;
        try {
            line = BenchJson.MAPPER.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a result", e);
        }
        lock.lock();
        try {
            writer.write(line);
            writer.write('\n');
            writer.flush();
            latest.put(key(result.run(), result.id()), result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to results file " + file, e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    private static String key(String run, String id) {
        return run + '\u0000' + id;
    }

    /** Cuts the file after its last newline: what follows is a line whose writing was interrupted. */
    private static void dropIncompleteTail(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return;
            }
            long pos = size;
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            while (pos > 0) {
                one.clear();
                ch.read(one, pos - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                pos--;
            }
            if (pos < size) {
                System.err.println("results file " + file + ": dropping an incomplete last line (" + (size - pos)
                        + " bytes) left by an interrupted run");
                ch.truncate(pos);
            }
        }
    }
}
