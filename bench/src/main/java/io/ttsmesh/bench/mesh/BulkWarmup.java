package io.ttsmesh.bench.mesh;

import java.util.List;

/**
 * The first part of the warm-up: concurrent clients run every strategy in turn on one path, then the other, slice
 * by slice, until each path has served {@code target} searches (or the time cap). Code that runs once per search
 * (the Solve call, opening a session, mapping the result) reaches the JIT's C2 thresholds only after thousands of
 * searches; rounds of one search per strategy would take far longer to get there, and a steady rule over a few
 * rounds can hold on a curve that is still falling slowly.
 *
 * @param target  searches per path asked for (0: no bulk warm-up)
 * @param clients concurrent clients per slice
 * @param slices  in the order run, the paths alternating
 * @param seconds time the bulk warm-up took
 */
record BulkWarmup(int target, int clients, double sliceSeconds, List<Slice> slices, Ending ending, double seconds) {

    /**
     * One slice of load on one path.
     *
     * @param served searches this path has served in the bulk warm-up, this slice included
     */
    record Slice(int index, String path, int served, LoadRun run) {
    }

    enum Ending {
        NONE("no bulk warm-up asked for"),
        SERVED("both paths served the searches asked for"),
        TIME_CAP("time cap reached before both paths served the searches asked for");

        private final String meaning;

        Ending(String meaning) {
            this.meaning = meaning;
        }

        String meaning() {
            return meaning;
        }
    }

    BulkWarmup {
        slices = List.copyOf(slices);
    }

    /** Searches {@code path} served in the bulk warm-up. */
    int served(String path) {
        return slices.stream().filter(s -> s.path().equals(path)).mapToInt(Slice::served).max().orElse(0);
    }
}
