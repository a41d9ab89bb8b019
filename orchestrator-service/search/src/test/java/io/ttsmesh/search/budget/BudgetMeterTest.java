package io.ttsmesh.search.budget;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BudgetMeterTest {

    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final BudgetMeter meter = new BudgetMeter(new Budget(100, 5, Duration.ofSeconds(1)), t0,
            Clock.fixed(t0.plusMillis(250), ZoneOffset.UTC));

    @Test
    void reservationsAreClampedToWhatIsLeftAndRefunded() {
        try (BudgetMeter.TokenReservation r = meter.reserveTokens(8, 64)) {
            assertThat(r.perBranch()).isEqualTo(12); // 100 / 8
            assertThat(meter.tokensLeft()).isEqualTo(4);
            r.spend(30);
        }
        assertThat(meter.tokensLeft()).isEqualTo(70);
        try (BudgetMeter.TokenReservation r = meter.reserveTokens(2, 64)) {
            assertThat(r.perBranch()).isEqualTo(35);
            r.spend(70);
        }
        assertThat(meter.spend().generatedTokens()).isEqualTo(100);
        assertThatThrownBy(() -> meter.reserveTokens(1, 1)).isInstanceOfSatisfying(BudgetExhausted.class,
                e -> assertThat(e.resource()).isEqualTo(Resource.TOKENS));
    }

    @Test
    void notOneTokenPerBranchIsExhaustion() {
        try (BudgetMeter.TokenReservation r = meter.reserveTokens(1, 97)) {
            r.spend(97);
        }
        assertThatThrownBy(() -> meter.reserveTokens(4, 10)).isInstanceOf(BudgetExhausted.class)
                .hasMessageContaining("97 of 100 tokens generated, the next call needs at least 4");
        assertThat(meter.reserveTokens(3, 10).perBranch()).isEqualTo(1);
    }

    @Test
    void verifierCallsAreCheckedBeforeAndCountedAfter() {
        meter.checkVerifierCalls(5);
        meter.addVerifierCalls(4);
        assertThat(meter.verifierCallsLeft()).isEqualTo(1);
        assertThatThrownBy(() -> meter.checkVerifierCalls(2)).isInstanceOfSatisfying(BudgetExhausted.class,
                e -> assertThat(e.resource()).isEqualTo(Resource.VERIFIER_CALLS));
    }

    @Test
    void callsHeldForScoringAheadBlockOthersAndAreSpentOnlyWhenAnswered() {
        meter.holdVerifierCalls(3);
        assertThat(meter.verifierCallsLeft()).isEqualTo(2);
        assertThat(meter.spend().verifierCalls()).isZero();
        assertThatThrownBy(() -> meter.checkVerifierCalls(3)).isInstanceOf(BudgetExhausted.class)
                .hasMessageContaining("3 awaiting their answer");
        meter.settleHeldVerifierCalls(3, false); // the call failed as a whole: nothing spent, the calls free again
        assertThat(meter.verifierCallsLeft()).isEqualTo(5);
        meter.holdVerifierCalls(4);
        meter.settleHeldVerifierCalls(4, true);
        assertThat(meter.spend().verifierCalls()).isEqualTo(4);
        assertThat(meter.verifierCallsLeft()).isEqualTo(1);
        assertThatThrownBy(() -> meter.holdVerifierCalls(2)).isInstanceOf(BudgetExhausted.class);
    }

    @Test
    void theDeadlineCountsFromAdmission() {
        meter.checkDeadline();
        assertThat(meter.spend().wallMillis()).isEqualTo(250);
        BudgetMeter late = new BudgetMeter(new Budget(100, 5, Duration.ofMillis(200)), t0,
                Clock.fixed(t0.plusMillis(250), ZoneOffset.UTC));
        assertThatThrownBy(late::checkDeadline).isInstanceOfSatisfying(BudgetExhausted.class,
                e -> assertThat(e.resource()).isEqualTo(Resource.DEADLINE));
    }
}
