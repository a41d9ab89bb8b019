package io.ttsmesh.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every shipped kustomization renders and passes the schema and invariant checks; overlays do what they say. */
class OverlaysTest {

    private static final List<String> SERVICES = List.of("tts-generator", "tts-verifier", "tts-orchestrator");

    static Stream<String> kustomizations() throws IOException {
        List<String> dirs = new ArrayList<>(List.of("base"));
        try (Stream<Path> overlays = Files.list(Kustomize.k8sDir().resolve("overlays"))) {
            overlays.filter(d -> Files.exists(d.resolve("kustomization.yaml")))
                    .map(d -> "overlays/" + d.getFileName())
                    .sorted()
                    .forEach(dirs::add);
        }
        assertThat(dirs).contains("overlays/cpu-dev", "overlays/gpu");
        return dirs.stream();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void rendersAndPassesEveryCheck(String dir) {
        Manifest manifest = ManifestValidation.render(Kustomize.k8sDir().resolve(dir));

        assertThat(ManifestValidation.problems(manifest)).isEmpty();
        assertThat(manifest.ofKind("Deployment").map(Manifest::name)).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(manifest.ofKind("KafkaTopic").map(t -> t.at("/spec/topicName").asText()))
                .containsExactlyInAnyOrder("tts.requests", "tts.results", "tts.events", "tts.requests.dlq");
        assertThat(manifest.ofKind("NetworkPolicy")).isNotEmpty();
        assertThat(manifest.ofKind("PodDisruptionBudget")).hasSize(3);
    }

    @Test
    void cpuDevRunsOnePodOfEachWithTheBundledModels() {
        Manifest manifest = ManifestValidation.render(Kustomize.k8sDir().resolve("overlays/cpu-dev"));

        manifest.ofKind("Deployment").forEach(d -> {
            assertThat(d.at("/spec/replicas").asInt()).as(Manifest.id(d)).isEqualTo(1);
            JsonNode container = d.at("/spec/template/spec/containers/0");
            assertThat(container.path("image").asText()).doesNotEndWith("-cuda");
            assertThat(container.at("/resources/limits").has("nvidia.com/gpu")).isFalse();
            assertThat(d.at("/spec/template/spec/volumes").findValues("persistentVolumeClaim")).isEmpty();
        });
        assertThat(config(manifest, "tts-generator-config", "TTS_GENERATOR_MODEL_DIR")).isEqualTo("/models/generator");
        assertThat(config(manifest, "tts-verifier-config", "TTS_VERIFIER_MODEL_DIR")).isEqualTo("/models/prm");
        assertThat(manifest.ofKind("HorizontalPodAutoscaler")).isEmpty();
        assertThat(manifest.ofKind("ScaledObject")).isEmpty();
        assertThat(manifest.find("KafkaNodePool", "dual").orElseThrow().at("/spec/storage/type").asText()).isEqualTo("ephemeral");
    }

    @Test
    void gpuPutsModelPodsOnGpuNodesWithModelsFromTheVolumeAndTls() {
        Manifest manifest = ManifestValidation.render(Kustomize.k8sDir().resolve("overlays/gpu"));

        for (String name : List.of("tts-generator", "tts-verifier")) {
            JsonNode pod = manifest.find("Deployment", name).orElseThrow().at("/spec/template/spec");
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/resources/limits/nvidia.com~1gpu").asText()).as(name).isEqualTo("1");
            assertThat(container.path("image").asText()).as(name).endsWith("-cuda");
            assertThat(pod.at("/nodeSelector/nvidia.com~1gpu.present").asText()).isEqualTo("true");
            assertThat(pod.path("tolerations").findValuesAsText("key")).contains("nvidia.com/gpu");
            assertThat(pod.path("volumes").findValuesAsText("claimName")).containsExactly("tts-models");
            assertThat(pod.path("volumes").findValuesAsText("secretName")).containsExactly("tts-mesh-tls");
            assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/models", "/etc/tts/tls", "/deployments/config");
        }
        assertThat(config(manifest, "tts-generator-config", "TTS_GENERATOR_EXECUTION_PROVIDER")).isEqualTo("cuda");
        assertThat(config(manifest, "tts-verifier-config", "TTS_VERIFIER_MODEL_EXECUTION_PROVIDER")).isEqualTo("cuda");
        assertThat(manifest.find("Deployment", "tts-orchestrator").orElseThrow()
                .at("/spec/template/spec/containers/0/image").asText()).doesNotEndWith("-cuda");
        assertThat(manifest.ofKind("Secret")).as("no secret is committed").isEmpty();

        assertThat(manifest.ofKind("HorizontalPodAutoscaler").map(h -> h.at("/spec/metrics/0/pods/metric/name").asText()))
                .containsExactlyInAnyOrder("tts_generator_live_branches", "tts_verifier_queue_depth");
        JsonNode lag = manifest.find("ScaledObject", "tts-orchestrator").orElseThrow().at("/spec/triggers/0/metadata");
        assertThat(lag.path("topic").asText()).isEqualTo("tts.requests");
        assertThat(lag.path("consumerGroup").asText()).isEqualTo("tts-orchestrator");
    }

    private static String config(Manifest manifest, String configMap, String key) {
        return manifest.find("ConfigMap", configMap).orElseThrow().at("/data/" + key).asText();
    }
}
