package io.ttsmesh.k8s;

import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks each rendered resource against the schema of its kind.
 *
 * <ul>
 * <li>Kubernetes kinds: the models of the official Kubernetes Java client, generated from the Kubernetes
 * OpenAPI spec (1.32). Reading a resource through them rejects fields the API does not define, missing
 * required fields and values of the wrong type.</li>
 * <li>Strimzi kinds: Strimzi's own API model (from which its CRDs are generated), read with unknown fields
 * rejected (its catch-all "additional properties" are switched off) and types enforced.</li>
 * <li>KEDA's ScaledObject: no schema artifact is reachable from this build (no Maven artifact carries the
 * CRD), so its shape is checked here by hand against the KEDA v2 spec: known fields, required ones.</li>
 * </ul>
 * A kind with none of these is itself a problem: a new kind must come with a way to check it.
 */
final class SchemaCheck {

    private static final Map<String, Class<?>> KUBERNETES = Map.ofEntries(
            Map.entry("v1/ConfigMap", V1ConfigMap.class),
            Map.entry("v1/Secret", V1Secret.class),
            Map.entry("v1/Service", V1Service.class),
            Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
            Map.entry("v1/Namespace", V1Namespace.class),
            Map.entry("v1/PersistentVolumeClaim", V1PersistentVolumeClaim.class),
            Map.entry("apps/v1/Deployment", V1Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
            Map.entry("v1/Pod", V1Pod.class));

    private static final Map<String, Class<?>> STRIMZI = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka", Kafka.class,
            "kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class,
            "kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class);

    private static final String SCALED_OBJECT = "keda.sh/v1alpha1/ScaledObject";
    private static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval",
            "cooldownPeriod", "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount",
            "fallback", "advanced", "triggers");
    private static final Set<String> SCALED_OBJECT_TARGET = Set.of("apiVersion", "kind", "name", "envSourceContainerName");
    private static final Set<String> SCALED_OBJECT_TRIGGER = Set.of("type", "name", "metadata", "metricType",
            "authenticationRef", "useCachedMetrics");

    /** Strimzi's model, strict: an unknown field fails instead of landing in additionalProperties. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new SimpleModule("no-any-setter").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                                                             BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    return builder;
                }
            }));

    private SchemaCheck() {
    }

    static List<String> check(Manifest manifest) {
        List<String> problems = new ArrayList<>();
        for (JsonNode resource : manifest.all()) {
            String problem = check(resource);
            if (problem != null) {
                problems.add(Manifest.id(resource) + ": " + problem);
            }
        }
        return problems;
    }

    /** The schema problem of one resource, or null. */
    static String check(JsonNode resource) {
        String type = Manifest.apiVersion(resource) + "/" + Manifest.kind(resource);
        try {
            Class<?> kubernetes = KUBERNETES.get(type);
            if (kubernetes != null) {
                JSON.deserialize(STRICT.writeValueAsString(resource), kubernetes);
                return null;
            }
            Class<?> strimzi = STRIMZI.get(type);
            if (strimzi != null) {
                STRICT.treeToValue(resource, strimzi);
                return null;
            }
            if (SCALED_OBJECT.equals(type)) {
                return scaledObject(resource);
            }
            return "no schema known for " + type + " (add its model to SchemaCheck)";
        } catch (Exception e) {
            return "does not match the " + type + " schema: " + firstLine(e);
        }
    }

    private static String scaledObject(JsonNode resource) {
        List<String> problems = new ArrayList<>();
        JsonNode spec = resource.path("spec");
        unknown(spec, SCALED_OBJECT_SPEC, "spec", problems);
        unknown(spec.path("scaleTargetRef"), SCALED_OBJECT_TARGET, "spec.scaleTargetRef", problems);
        if (!spec.path("scaleTargetRef").path("name").isTextual()) {
            problems.add("spec.scaleTargetRef.name is required");
        }
        for (String count : List.of("pollingInterval", "cooldownPeriod", "minReplicaCount", "maxReplicaCount")) {
            if (spec.has(count) && !spec.get(count).isInt()) {
                problems.add("spec." + count + " must be an integer");
            }
        }
        JsonNode triggers = spec.path("triggers");
        if (!triggers.isArray() || triggers.isEmpty()) {
            problems.add("spec.triggers needs at least one trigger");
        }
        for (JsonNode trigger : triggers) {
            unknown(trigger, SCALED_OBJECT_TRIGGER, "spec.triggers[]", problems);
            if (!trigger.path("type").isTextual()) {
                problems.add("spec.triggers[].type is required");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = trigger.path("metadata").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isTextual()) {
                    problems.add("spec.triggers[].metadata." + field.getKey() + " must be a string");
                }
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    private static void unknown(JsonNode node, Set<String> known, String where, List<String> problems) {
        node.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                problems.add("unknown field " + where + "." + f);
            }
        });
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        // The Kubernetes client quotes the whole offending object; its first part names the field.
        return line.length() <= 240 ? line : line.substring(0, 240) + "...";
    }
}
