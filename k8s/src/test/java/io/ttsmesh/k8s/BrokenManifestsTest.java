package io.ttsmesh.k8s;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validation catches what it claims to: each kustomization under src/test/broken breaks the real base in
 * one way, and the validation must name that fault.
 */
class BrokenManifestsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing-readiness-probe     | Deployment tts-generator: container generator has no readinessProbe
            unknown-field               | Deployment tts-verifier: does not match the apps/v1/Deployment schema
            wrong-type                  | Deployment tts-orchestrator: does not match the apps/v1/Deployment schema
            service-port-mismatch       | Service tts-verifier: port grpc targetPort grpcs is not a container port of Deployment tts-verifier
            service-selects-nothing     | Service tts-orchestrator: selects no pod of this manifest
            missing-configmap           | Deployment tts-generator: refers to ConfigMap 'tts-generator-settings'
            undeclared-secret           | Deployment tts-verifier: refers to Secret 'verifier-api-keys'
            runs-as-root                | Deployment tts-generator: container generator is not runAsNonRoot
            writable-root               | Deployment tts-orchestrator: container orchestrator must set readOnlyRootFilesystem: true
            no-memory-limit             | Deployment tts-verifier: container verifier sets no resources.limits.memory
            network-policy-orphan       | NetworkPolicy tts-generator-ingress: spec.podSelector selects no pod of this manifest
            hpa-target-missing          | HorizontalPodAutoscaler tts-verifier: scaleTargetRef Deployment 'tts-verifiers' is not in the manifest
            keda-wrong-topic            | ScaledObject tts-orchestrator: kafka trigger topic 'tts.request' is not a KafkaTopic
            strimzi-typo                | KafkaTopic tts-events: does not match the kafka.strimzi.io/v1beta2/KafkaTopic schema
            topic-over-replicated       | KafkaTopic tts-results: replicas 3 exceeds the 1 broker(s)
            orchestrator-wrong-address  | ConfigMap tts-orchestrator-config: TTS_ORCHESTRATOR_GENERATORS_ADDRESSES names 'tts-generator', which is not a headless Service
            """)
    void validationNamesTheFault(String broken, String expected) {
        Path dir = Kustomize.k8sDir().resolve("src/test/broken").resolve(broken);

        List<String> problems = ManifestValidation.problems(ManifestValidation.render(dir));

        assertThat(problems).as("problems found in %s", broken).anySatisfy(p -> assertThat(p).contains(expected));
    }
}
