package io.ttsmesh.bench.mesh;

import java.util.List;

/**
 * The warm-up rounds as they ran and why they stopped.
 *
 * @param roundCap   rounds allowed
 * @param minutesCap time allowed for the warm-up
 * @param seconds    time the warm-up took
 */
record WarmupCurve(List<WarmupRound> rounds, Ending ending, int roundCap, double minutesCap, double seconds) {

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
