package io.ttsmesh.orchestrator.solving;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.common.WithTestResource;
import io.ttsmesh.orchestrator.api.SolveRequests;
import io.ttsmesh.orchestrator.testing.KafkaBrokerResource;
import io.ttsmesh.orchestrator.testing.ScriptedMeshResource;
import io.ttsmesh.proto.events.SolveResult;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code tts.orchestrator.search.platform-threads=true} a search runs on a platform thread named after it. */
@QuarkusTest
@TestProfile(PlatformSearchThreadsTest.PlatformThreads.class)
@WithTestResource(ScriptedMeshResource.class)
@WithTestResource(KafkaBrokerResource.class)
class PlatformSearchThreadsTest {

    public static class PlatformThreads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tts.orchestrator.search.platform-threads", "true");
        }
    }

    @Inject
    SearchService searches;

    @Test
    void aSearchRunsOnAPlatformThreadNamedAfterIt() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        RunningSearch search = searches.start(SolveRequests.bestOfN("platform-1", "3+4", 2), TokenAccount.UNLIMITED,
                event -> threads.add((Thread.currentThread().isVirtual() ? "virtual " : "platform ")
                        + Thread.currentThread().getName()));
        SolveResult result = search.result().get(30, TimeUnit.SECONDS);
        assertThat(result).isNotNull();
        assertThat(threads).contains("platform search-platform-1").noneMatch(t -> t.startsWith("virtual"));
    }
}
