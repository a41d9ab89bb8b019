package io.ttsmesh.mesh.chaos;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KillScheduleTest {

    private static final List<Victim> ALL = List.of(Victim.values());

    @ParameterizedTest
    @ValueSource(longs = {1, 22, 97, 1234})
    void everyVictimOnceInsideTheBatchAndTwoOfThemOverlap(long seed) {
        KillSchedule s = KillSchedule.draw(seed, ALL, 500);

        assertThat(s.kills()).extracting(KillSchedule.Kill::victim).containsExactlyInAnyOrder(Victim.values());
        assertThat(s.kills()).allSatisfy(k -> assertThat(k.afterResults()).isBetween(50, 349));
        List<KillSchedule.Kill> overlapping = s.kills().stream().filter(KillSchedule.Kill::overlapping).toList();
        assertThat(overlapping).hasSize(2);
        KillSchedule.Kill first = overlapping.get(0);
        KillSchedule.Kill second = overlapping.get(1);
        assertThat(second.afterResults()).isEqualTo(first.afterResults());
        assertThat(second.delayMs()).isBetween(500L, 2000L);
        assertThat(first.delayMs()).isZero();
        // the first is still down when the second goes down
        assertThat(first.downMs()).isGreaterThan(second.delayMs());
        assertThat(s.kills()).isSortedAccordingTo((a, b) -> a.afterResults() != b.afterResults()
                ? Integer.compare(a.afterResults(), b.afterResults()) : Long.compare(a.delayMs(), b.delayMs()));
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        assertThat(KillSchedule.draw(22, ALL, 500)).isEqualTo(KillSchedule.draw(22, ALL, 500));
        assertThat(KillSchedule.draw(22, ALL, 500).kills()).isNotEqualTo(KillSchedule.draw(23, ALL, 500).kills());
    }

    @Test
    void aSmallBatchStillGetsEveryKillInsideIt() {
        KillSchedule s = KillSchedule.draw(5, ALL, 60);
        assertThat(s.kills()).hasSize(4).allSatisfy(k -> assertThat(k.afterResults()).isBetween(6, 41));
    }

    @Test
    void refusesWhatCannotOverlapOrDoesNotFit() {
        assertThatThrownBy(() -> KillSchedule.draw(1, List.of(Victim.broker), 500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--kill");
        assertThatThrownBy(() -> KillSchedule.draw(1, ALL, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--limit");
        assertThat(KillSchedule.draw(1, List.of(Victim.generator, Victim.verifier), 100).kills())
                .extracting(KillSchedule.Kill::victim).containsExactlyInAnyOrderElementsOf(EnumSet.of(Victim.generator, Victim.verifier));
    }
}
