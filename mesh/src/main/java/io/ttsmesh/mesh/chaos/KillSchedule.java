package io.ttsmesh.mesh.chaos;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When each victim is killed, drawn from a seed: a moment is "after this many results of the batch" (so the kills
 * land inside the batch whatever the machine's speed), plus how long the victim stays down before its restart.
 * One moment kills two victims, the second a little after the first while the first is still down: the overlap.
 *
 * @param kills in the order they happen
 */
public record KillSchedule(long seed, List<Kill> kills) {

    /**
     * @param afterResults  results of the batch received before this kill
     * @param delayMs       after that moment (the overlapping second kill of a moment: after the first)
     * @param downMs        from the kill to the start of the restart
     */
    public record Kill(Victim victim, int afterResults, long delayMs, long downMs, boolean overlapping) {
    }

    public KillSchedule {
        kills = List.copyOf(kills);
    }

    /**
     * Every victim once, at moments drawn uniformly between 10% and 70% of the batch's results; two of them (drawn)
     * share a moment and overlap: the second goes down 0.5-2 s after the first, whose downtime is stretched to
     * cover it.
     *
     * @throws IllegalArgumentException for fewer than 2 victims or a batch too small to place them
     */
    public static KillSchedule draw(long seed, List<Victim> victims, int questions) {
        if (victims.size() < 2) {
            throw new IllegalArgumentException("--kill: at least two victims, to overlap two of them");
        }
        if (questions < 10) {
            throw new IllegalArgumentException("--limit: at least 10 questions for a chaos batch, got " + questions);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Victim> order = new ArrayList<>(victims);
        // Fisher-Yates with the seed: which victims go when, and which two overlap (the first two)
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Victim t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        int lo = Math.max(1, questions / 10);
        int hi = Math.max(lo + 1, questions * 7 / 10);
        List<Kill> kills = new ArrayList<>();
        int shared = random.nextInt(lo, hi);
        long gap = random.nextLong(500, 2001);
        long secondDown = random.nextLong(1000, 4001);
        kills.add(new Kill(order.get(0), shared, 0, gap + random.nextLong(1000, 3001), true));
        kills.add(new Kill(order.get(1), shared, gap, secondDown, true));
        for (Victim v : order.subList(2, order.size())) {
            kills.add(new Kill(v, random.nextInt(lo, hi), 0, random.nextLong(1000, 4001), false));
        }
        kills.sort(Comparator.comparingInt(Kill::afterResults).thenComparingLong(Kill::delayMs));
        return new KillSchedule(seed, kills);
    }
}
