package io.ttsmesh.search.run;

import io.ttsmesh.search.MethodSpec;
import io.ttsmesh.search.SearchRequest;
import io.ttsmesh.search.budget.Budget;
import io.ttsmesh.search.generation.SamplingParams;
import io.ttsmesh.search.scoring.Aggregation;
import io.ttsmesh.search.settings.SearchSettings;
import io.ttsmesh.task.TaskRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A request naming the confidence verifier gets the token alternatives that verifier needs, whatever it asked. */
class ConfidenceSamplingTest {

    private final SearchSettings settings = SearchSettings.defaults();
    private final RequestValidation validation = new RequestValidation(TaskRegistry.load().get("arithmetic"), settings);

    private int topLogprobs(String verifier, int asked) {
        SearchRequest r = new SearchRequest("r-1", "1+2", MethodSpec.of("best_of_n"), List.of(),
                new Budget(1000, 100, Duration.ofSeconds(10)), new SamplingParams(null, null, null, 7L, asked),
                verifier, Aggregation.LAST);
        return validation.prepare(r).sampling().topLogprobs();
    }

    @Test
    void theConfidenceVerifierAloneOrInAStackRaisesTopLogprobsToTwo() {
        assertThat(topLogprobs("confidence", 0)).isEqualTo(2);
        assertThat(topLogprobs("rules+confidence", 0)).isEqualTo(2);
        assertThat(topLogprobs("confidence", 5)).isEqualTo(5);
    }

    @Test
    void otherVerifiersKeepWhatTheRequestAskedFor() {
        assertThat(topLogprobs("prm", 0)).isEqualTo(0);
        assertThat(topLogprobs("rules+prm", 1)).isEqualTo(1);
    }
}
