package io.ttsmesh.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What k8s/podman/render makes of k8s/podman for `podman kube play` (PodmanMeshIT runs it): valid Pods named after
 * the addresses the configuration dials, probes on numeric ports, nothing published on the host, private emptyDirs,
 * the security settings and limits of the cluster manifests unchanged.
 */
class PodmanRenderingTest {

    private static final Pattern DIALED_HOST = Pattern.compile("(?:dns:///)?([a-z0-9-]+):\\d+");

    private static Manifest pods;
    private static Manifest cluster;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/usr/bin/python3", Kustomize.k8sDir().resolve("podman/render").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("k8s/podman/render (python3 with PyYAML, kubectl)").isZero();
        pods = Manifest.parse(yaml);
        cluster = ManifestValidation.render(Kustomize.k8sDir().resolve("overlays/cpu-dev"));
    }

    @Test
    void onlyPodsAndConfigMapsRemainAndTheyMatchTheKubernetesSchema() {
        assertThat(pods.all()).extracting(Manifest::kind).containsOnly("Pod", "ConfigMap");
        assertThat(SchemaCheck.check(pods)).isEmpty();
        assertThat(pods.ofKind("Pod").map(Manifest::name))
                .containsExactlyInAnyOrder("tts-generator-pods", "tts-verifier-pods", "tts-orchestrator", "tts-kafka-kafka-bootstrap");
    }

    @Test
    void everyAddressTheOrchestratorDialsIsAPodName() {
        JsonNode config = pods.find("ConfigMap", "tts-orchestrator-config").orElseThrow().path("data");
        Set<String> podNames = pods.ofKind("Pod").map(Manifest::name).collect(Collectors.toSet());
        for (String key : List.of("TTS_ORCHESTRATOR_GENERATORS_ADDRESSES", "TTS_ORCHESTRATOR_VERIFIERS_ADDRESSES", "KAFKA_BOOTSTRAP_SERVERS")) {
            Matcher address = DIALED_HOST.matcher(config.path(key).asText());
            assertThat(address.matches()).as(key + " = " + config.path(key).asText()).isTrue();
            assertThat(podNames).as(key).contains(address.group(1));
        }
        // The cluster configuration, unchanged but for the topics (no topic operator under podman).
        JsonNode clusterConfig = cluster.find("ConfigMap", "tts-orchestrator-config").orElseThrow().path("data");
        assertThat(config.path("TTS_ORCHESTRATOR_GENERATORS_ADDRESSES")).isEqualTo(clusterConfig.path("TTS_ORCHESTRATOR_GENERATORS_ADDRESSES"));
        assertThat(config.path("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(clusterConfig.path("KAFKA_BOOTSTRAP_SERVERS"));
        assertThat(config.path("TTS_ORCHESTRATOR_KAFKA_CREATE_TOPICS").asText()).isEqualTo("true");
    }

    @Test
    void probesUseNumericPortsAndNoPortIsPublished() {
        pods.ofKind("Pod").forEach(pod -> pod.at("/spec/containers").forEach(c -> {
            assertThat(c.has("ports")).as(Manifest.id(pod) + " containerPorts (podman would publish them)").isFalse();
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode port = c.path(probe).at("/httpGet/port");
                if (!port.isMissingNode()) {
                    assertThat(port.isInt()).as(Manifest.id(pod) + " " + probe + " port " + port).isTrue();
                }
            }
            assertThat(c.has("livenessProbe")).as(Manifest.id(pod) + " liveness probe (podman's healthcheck)").isTrue();
        }));
    }

    @Test
    void podsKeepTheClusterSecurityAndLimitsAndRestartAlways() {
        cluster.ofKind("Deployment").forEach(deployment -> {
            JsonNode template = deployment.at("/spec/template/spec");
            JsonNode pod = pods.ofKind("Pod")
                    .filter(p -> p.at("/metadata/labels").equals(deployment.at("/spec/template/metadata/labels")))
                    .findFirst().orElseThrow(() -> new AssertionError("no pod for " + Manifest.id(deployment)));
            assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Always");
            assertThat(pod.at("/spec/securityContext")).isEqualTo(template.path("securityContext"));
            JsonNode container = pod.at("/spec/containers/0");
            JsonNode original = template.at("/containers/0");
            assertThat(container.path("securityContext")).isEqualTo(original.path("securityContext"));
            assertThat(container.path("resources")).isEqualTo(original.path("resources"));
            assertThat(container.path("envFrom")).isEqualTo(original.path("envFrom"));
            assertThat(container.path("image").asText()).isEqualTo("localhost/" + original.path("image").asText());
        });
    }

    @Test
    void emptyDirsArePrivateToTheirPod() {
        pods.ofKind("Pod").forEach(pod -> {
            Set<String> volumes = new HashSet<>();
            pod.at("/spec/volumes").forEach(v -> volumes.add(v.path("name").asText()));
            pod.at("/spec/volumes").forEach(v -> {
                if (v.has("emptyDir")) {
                    assertThat(v.path("name").asText()).startsWith(Manifest.name(pod) + "-");
                }
            });
            pod.at("/spec/containers").forEach(c -> c.path("volumeMounts").forEach(m ->
                    assertThat(volumes).as(Manifest.id(pod) + " mount " + m).contains(m.path("name").asText())));
        });
    }
}
