package io.ttsmesh.bench.mesh;

import java.util.List;

/**
 * The warm-up as it ran: the bulk warm-up, then rounds until steady, and why they stopped.
 *
 * @param roundCap   rounds allowed
 * @param minutesCap time allowed for the warm-up
 * @param seconds    time the rounds took
 */
record WarmupCurve(BulkWarmup bulk, List<WarmupRound> rounds, Ending ending, int roundCap, double minutesCap, double seconds) {

    enum Ending {
        STEADY("steady: the last 3 rounds' mesh and in-process totals each varied by less than 5%"),
        ROUND_CAP("round cap reached before the totals were steady"),
        TIME_CAP("time cap reached before the totals were steady");

        private final String meaning;

        Ending(String meaning) {
            this.meaning = meaning;
        }

        String meaning() {
            return meaning;
        }
    }

    WarmupCurve {
        rounds = List.copyOf(rounds);
    }
}
