package io.ttsmesh.k8s;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.ttsmesh.k8s.Manifest.id;
import static io.ttsmesh.k8s.Manifest.name;
import static io.ttsmesh.k8s.Manifest.namespace;

/**
 * What a schema cannot see: how the resources of one rendering fit together, and the rules every tts-mesh pod
 * keeps (probes, limits, a locked-down security context). Each check adds a sentence naming the resource.
 */
final class Invariants {

    /** Deployment annotation listing Secrets that are created outside these manifests (comma-separated). */
    static final String PROVIDED_SECRETS = "tts-mesh.io/provided-secrets";

    private static final Pattern DNS_ADDRESS = Pattern.compile("dns:///([a-z0-9.-]+):(\\d+)");
    private static final Pattern KAFKA_BOOTSTRAP = Pattern.compile("([a-z0-9-]+)-kafka-bootstrap(?:\\.([a-z0-9-]+)(?:\\.svc[a-z.]*)?)?:(\\d+)");

    private final Manifest manifest;
    private final List<String> violations = new ArrayList<>();

    private Invariants(Manifest manifest) {
        this.manifest = manifest;
    }

    static List<String> check(Manifest manifest) {
        Invariants invariants = new Invariants(manifest);
        invariants.workloads();
        invariants.services();
        invariants.disruptionBudgets();
        invariants.networkPolicies();
        invariants.autoscalers();
        invariants.kafka();
        invariants.meshAddresses();
        return List.copyOf(invariants.violations);
    }

    private void violation(JsonNode resource, String text) {
        violations.add(id(resource) + ": " + text);
    }

    // ---- pods -------------------------------------------------------------------------------------------

    private void workloads() {
        manifest.workloads().forEach(w -> {
            JsonNode selector = w.at("/spec/selector/matchLabels");
            JsonNode podLabels = w.at("/spec/template/metadata/labels");
            if (selector.isMissingNode() || selector.isEmpty() || !matches(selector, podLabels)) {
                violation(w, "spec.selector does not match the pod template's labels");
            }
            JsonNode pod = w.at("/spec/template/spec");
            if (!pod.path("automountServiceAccountToken").isBoolean() || pod.path("automountServiceAccountToken").asBoolean()) {
                violation(w, "automountServiceAccountToken must be false (the services never call the Kubernetes API)");
            }
            String account = pod.path("serviceAccountName").asText("");
            if (account.isEmpty() || manifest.find("ServiceAccount", account).isEmpty()) {
                violation(w, "serviceAccountName '" + account + "' is not a ServiceAccount of this manifest");
            }
            String podSeccomp = pod.at("/securityContext/seccompProfile/type").asText("");
            boolean podNonRoot = pod.at("/securityContext/runAsNonRoot").asBoolean(false);
            if (pod.at("/securityContext/runAsUser").asInt(-1) == 0) {
                violation(w, "runs as root (securityContext.runAsUser 0)");
            }
            Set<String> emptyDirs = new HashSet<>();
            for (JsonNode volume : pod.path("volumes")) {
                if (volume.has("emptyDir")) {
                    emptyDirs.add(volume.path("name").asText());
                }
            }
            Set<String> volumes = new HashSet<>();
            pod.path("volumes").forEach(v -> volumes.add(v.path("name").asText()));
            for (JsonNode container : concat(pod.path("initContainers"), pod.path("containers"))) {
                container(w, container, podNonRoot, podSeccomp, emptyDirs, volumes);
            }
            references(w, pod);
        });
    }

    private void container(JsonNode w, JsonNode c, boolean podNonRoot, String podSeccomp,
                           Set<String> emptyDirs, Set<String> volumes) {
        String where = "container " + c.path("name").asText();
        Map<String, Integer> ports = containerPorts(c);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode p = c.path(probe);
            if (p.isMissingNode()) {
                violation(w, where + " has no " + probe);
            } else if (p.has("httpGet") && !portExists(p.at("/httpGet/port"), ports)) {
                violation(w, where + " " + probe + " port " + p.at("/httpGet/port").asText() + " is not a container port");
            }
        }
        for (String bound : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (c.at("/resources/" + bound + "/" + resource).isMissingNode()) {
                    violation(w, where + " sets no resources." + bound + "." + resource);
                }
            }
        }
        JsonNode sc = c.path("securityContext");
        if (!(sc.path("runAsNonRoot").asBoolean(false) || (podNonRoot && !sc.has("runAsNonRoot")))) {
            violation(w, where + " is not runAsNonRoot");
        }
        if (sc.path("runAsUser").asInt(-1) == 0) {
            violation(w, where + " runs as root (runAsUser 0)");
        }
        if (!sc.path("allowPrivilegeEscalation").isBoolean() || sc.path("allowPrivilegeEscalation").asBoolean()) {
            violation(w, where + " must set allowPrivilegeEscalation: false");
        }
        if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
            violation(w, where + " must set readOnlyRootFilesystem: true");
        }
        boolean dropsAll = false;
        for (JsonNode cap : sc.at("/capabilities/drop")) {
            dropsAll |= "ALL".equals(cap.asText());
        }
        if (!dropsAll || !sc.at("/capabilities/add").isMissingNode()) {
            violation(w, where + " must drop ALL capabilities and add none");
        }
        String seccomp = sc.at("/seccompProfile/type").asText(podSeccomp);
        if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
            violation(w, where + " has no seccompProfile RuntimeDefault");
        }
        boolean tmp = false;
        for (JsonNode mount : c.path("volumeMounts")) {
            String volume = mount.path("name").asText();
            if (!volumes.contains(volume)) {
                violation(w, where + " mounts volume '" + volume + "' that the pod does not define");
            }
            tmp |= "/tmp".equals(mount.path("mountPath").asText()) && emptyDirs.contains(volume);
        }
        if (!tmp) {
            violation(w, where + " needs an emptyDir at /tmp (read-only root; native libraries unpack there)");
        }
        String image = c.path("image").asText("");
        if (!image.contains(":") && !image.contains("@") || image.endsWith(":latest")) {
            violation(w, where + " image '" + image + "' has no pinned tag");
        }
    }

    /** ConfigMaps, Secrets and claims a pod needs must be in the manifest (or declared provided). */
    private void references(JsonNode w, JsonNode pod) {
        Set<String> providedSecrets = Arrays.stream(w.at("/metadata/annotations").path(PROVIDED_SECRETS).asText("").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        for (JsonNode c : concat(pod.path("initContainers"), pod.path("containers"))) {
            for (JsonNode from : c.path("envFrom")) {
                require(w, "ConfigMap", from.at("/configMapRef/name"), from.at("/configMapRef/optional"), providedSecrets);
                require(w, "Secret", from.at("/secretRef/name"), from.at("/secretRef/optional"), providedSecrets);
            }
            for (JsonNode env : c.path("env")) {
                require(w, "ConfigMap", env.at("/valueFrom/configMapKeyRef/name"), env.at("/valueFrom/configMapKeyRef/optional"), providedSecrets);
                require(w, "Secret", env.at("/valueFrom/secretKeyRef/name"), env.at("/valueFrom/secretKeyRef/optional"), providedSecrets);
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            require(w, "ConfigMap", volume.at("/configMap/name"), volume.at("/configMap/optional"), providedSecrets);
            require(w, "Secret", volume.at("/secret/secretName"), volume.at("/secret/optional"), providedSecrets);
            require(w, "PersistentVolumeClaim", volume.at("/persistentVolumeClaim/claimName"), null, providedSecrets);
        }
    }

    private void require(JsonNode w, String kind, JsonNode name, JsonNode optional, Set<String> providedSecrets) {
        if (name.isMissingNode() || (optional != null && optional.asBoolean(false))) {
            return;
        }
        String n = name.asText();
        if (manifest.find(kind, n).isPresent()) {
            return;
        }
        if ("Secret".equals(kind) && providedSecrets.contains(n)) {
            return;
        }
        violation(w, "refers to " + kind + " '" + n + "', which is neither in the manifest"
                + ("Secret".equals(kind) ? " nor listed in the annotation " + PROVIDED_SECRETS : ""));
    }

    // ---- services ---------------------------------------------------------------------------------------

    private void services() {
        manifest.ofKind("Service").forEach(s -> {
            JsonNode selector = s.at("/spec/selector");
            if (selector.isMissingNode() || selector.isEmpty()) {
                violation(s, "has no selector");
                return;
            }
            List<JsonNode> pods = podsSelectedBy(s, selector);
            if (pods.isEmpty()) {
                violation(s, "selects no pod of this manifest");
            }
            for (JsonNode port : s.at("/spec/ports")) {
                JsonNode target = port.has("targetPort") ? port.get("targetPort") : port.get("port");
                for (JsonNode w : pods) {
                    boolean found = false;
                    for (JsonNode c : w.at("/spec/template/spec/containers")) {
                        found |= portExists(target, containerPorts(c));
                    }
                    if (!found) {
                        violation(s, "port " + port.path("name").asText(port.path("port").asText())
                                + " targetPort " + target.asText() + " is not a container port of " + id(w));
                    }
                }
            }
        });
    }

    private void disruptionBudgets() {
        manifest.ofKind("PodDisruptionBudget").forEach(pdb -> {
            if (podsSelectedBy(pdb, pdb.at("/spec/selector/matchLabels")).isEmpty()) {
                violation(pdb, "selects no pod of this manifest");
            }
        });
    }

    // ---- network policies -------------------------------------------------------------------------------

    private void networkPolicies() {
        manifest.ofKind("NetworkPolicy").forEach(np -> {
            JsonNode selector = np.at("/spec/podSelector/matchLabels");
            List<JsonNode> pods = podsSelectedBy(np, selector);
            if (pods.isEmpty()) {
                violation(np, "spec.podSelector selects no pod of this manifest");
            }
            for (JsonNode rule : np.at("/spec/ingress")) {
                for (JsonNode port : rule.path("ports")) {
                    if (!port.has("port")) {
                        continue;
                    }
                    for (JsonNode w : pods) {
                        boolean found = false;
                        for (JsonNode c : w.at("/spec/template/spec/containers")) {
                            found |= portExists(port.get("port"), containerPorts(c));
                        }
                        if (!found) {
                            violation(np, "admits port " + port.get("port").asText() + ", which " + id(w) + " does not open");
                        }
                    }
                }
                peers(np, rule.path("from"));
            }
            for (JsonNode rule : np.at("/spec/egress")) {
                peers(np, rule.path("to"));
            }
        });
    }

    /** A peer in the same namespace must be pods of this manifest, or pods Strimzi makes for a Kafka of it. */
    private void peers(JsonNode owner, JsonNode peers) {
        for (JsonNode peer : peers) {
            if (peer.has("namespaceSelector") || peer.has("ipBlock") || !peer.has("podSelector")) {
                continue;
            }
            JsonNode labels = peer.at("/podSelector/matchLabels");
            String strimziCluster = labels.path("strimzi.io/cluster").asText("");
            if (!strimziCluster.isEmpty()) {
                if (manifest.find("Kafka", strimziCluster).isEmpty()) {
                    violation(owner, "peer selects pods of Kafka '" + strimziCluster + "', which is not in the manifest");
                }
            } else if (podsSelectedBy(owner, labels).isEmpty()) {
                violation(owner, "peer " + labels + " selects no pod of this manifest");
            }
        }
    }

    // ---- autoscaling ------------------------------------------------------------------------------------

    private void autoscalers() {
        Map<String, String> scaledBy = new HashMap<>();
        manifest.ofKind("HorizontalPodAutoscaler").forEach(hpa -> {
            autoscaled(hpa, hpa.at("/spec/scaleTargetRef"), scaledBy);
            if (hpa.at("/spec/minReplicas").asInt(1) > hpa.at("/spec/maxReplicas").asInt()) {
                violation(hpa, "minReplicas exceeds maxReplicas");
            }
        });
        manifest.ofKind("ScaledObject").forEach(so -> {
            JsonNode target = autoscaled(so, so.at("/spec/scaleTargetRef"), scaledBy);
            for (JsonNode trigger : so.at("/spec/triggers")) {
                String type = trigger.path("type").asText();
                if (("cpu".equals(type) || "memory".equals(type)) && target != null) {
                    for (JsonNode c : target.at("/spec/template/spec/containers")) {
                        if (c.at("/resources/requests/" + type).isMissingNode()) {
                            violation(so, "a " + type + " trigger needs resources.requests." + type + " on every container of " + id(target));
                        }
                    }
                }
                if ("kafka".equals(type)) {
                    kafkaTrigger(so, trigger.path("metadata"));
                }
            }
        });
    }

    /** The target must exist and have one autoscaler, and no fixed replica count (apply would reset it). */
    private JsonNode autoscaled(JsonNode scaler, JsonNode ref, Map<String, String> scaledBy) {
        String kind = ref.path("kind").asText("Deployment");
        String name = ref.path("name").asText();
        JsonNode target = manifest.find(kind, name).orElse(null);
        if (target == null) {
            violation(scaler, "scaleTargetRef " + kind + " '" + name + "' is not in the manifest");
            return null;
        }
        String previous = scaledBy.put(kind + "/" + name, id(scaler));
        if (previous != null) {
            violation(scaler, id(target) + " is already scaled by " + previous);
        }
        if (target.at("/spec/replicas").isNumber()) {
            violation(scaler, id(target) + " sets spec.replicas, which every apply would reset under the autoscaler");
        }
        return target;
    }

    private void kafkaTrigger(JsonNode so, JsonNode metadata) {
        String topic = metadata.path("topic").asText();
        if (manifest.ofKind("KafkaTopic").noneMatch(t -> topic.equals(topicName(t)))) {
            violation(so, "kafka trigger topic '" + topic + "' is not a KafkaTopic of this manifest");
        }
        Matcher m = KAFKA_BOOTSTRAP.matcher(metadata.path("bootstrapServers").asText());
        if (!m.matches()) {
            violation(so, "kafka trigger bootstrapServers is not <cluster>-kafka-bootstrap.<namespace>.svc:<port>");
            return;
        }
        bootstrap(so, m.group(1), Integer.parseInt(m.group(3)));
        String ns = m.group(2);
        if (ns == null) {
            violation(so, "kafka trigger bootstrapServers needs the namespace: KEDA's operator runs in its own");
        } else if (!namespace(so).isEmpty() && !ns.equals(namespace(so))) {
            violation(so, "kafka trigger bootstrapServers points at namespace '" + ns + "' but the mesh is in '" + namespace(so) + "'");
        }
    }

    // ---- Kafka (Strimzi) ----------------------------------------------------------------------------------

    private void kafka() {
        manifest.ofKind("KafkaNodePool").forEach(pool -> {
            if (manifest.find("Kafka", clusterOf(pool)).isEmpty()) {
                violation(pool, "strimzi.io/cluster '" + clusterOf(pool) + "' is not a Kafka of this manifest");
            }
        });
        manifest.ofKind("Kafka").forEach(kafka -> {
            JsonNode annotations = kafka.at("/metadata/annotations");
            if (!"enabled".equals(annotations.path("strimzi.io/kraft").asText())
                    || !"enabled".equals(annotations.path("strimzi.io/node-pools").asText())) {
                violation(kafka, "needs the annotations strimzi.io/kraft and strimzi.io/node-pools: enabled");
            }
            int brokers = brokers(name(kafka));
            if (brokers == 0) {
                violation(kafka, "has no KafkaNodePool with the broker role");
            }
            int minIsr = kafka.at("/spec/kafka/config").path("min.insync.replicas").asInt(1);
            for (String factor : List.of("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                    "default.replication.factor")) {
                int n = kafka.at("/spec/kafka/config").path(factor).asInt(1);
                if (n > brokers) {
                    violation(kafka, factor + " " + n + " exceeds the " + brokers + " broker(s)");
                }
            }
            if (minIsr > brokers) {
                violation(kafka, "min.insync.replicas " + minIsr + " exceeds the " + brokers + " broker(s)");
            }
            for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
                peers(kafka, listener.path("networkPolicyPeers"));
            }
        });
        manifest.ofKind("KafkaTopic").forEach(topic -> {
            String cluster = clusterOf(topic);
            if (manifest.find("Kafka", cluster).isEmpty()) {
                violation(topic, "strimzi.io/cluster '" + cluster + "' is not a Kafka of this manifest");
                return;
            }
            int replicas = topic.at("/spec/replicas").asInt(1);
            if (replicas > brokers(cluster)) {
                violation(topic, "replicas " + replicas + " exceeds the " + brokers(cluster) + " broker(s)");
            }
        });
    }

    private int brokers(String cluster) {
        return manifest.ofKind("KafkaNodePool")
                .filter(p -> cluster.equals(clusterOf(p)))
                .filter(p -> {
                    for (JsonNode role : p.at("/spec/roles")) {
                        if ("broker".equals(role.asText())) {
                            return true;
                        }
                    }
                    return false;
                })
                .mapToInt(p -> p.at("/spec/replicas").asInt())
                .sum();
    }

    private void bootstrap(JsonNode owner, String cluster, int port) {
        JsonNode kafka = manifest.find("Kafka", cluster).orElse(null);
        if (kafka == null) {
            violation(owner, "points at Kafka '" + cluster + "', which is not in the manifest");
            return;
        }
        boolean listens = false;
        for (JsonNode listener : kafka.at("/spec/kafka/listeners")) {
            listens |= listener.path("port").asInt() == port;
        }
        if (!listens) {
            violation(owner, "points at port " + port + " of Kafka '" + cluster + "', where no listener is");
        }
    }

    // ---- service configuration --------------------------------------------------------------------------

    /** Addresses in ConfigMaps (dns:///service:port, <cluster>-kafka-bootstrap:port) must name what is here. */
    private void meshAddresses() {
        manifest.ofKind("ConfigMap").forEach(cm -> {
            for (Iterator<Map.Entry<String, JsonNode>> it = cm.path("data").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String value = entry.getValue().asText();
                Matcher dns = DNS_ADDRESS.matcher(value);
                while (dns.find()) {
                    String service = dns.group(1).split("\\.")[0];
                    int port = Integer.parseInt(dns.group(2));
                    JsonNode svc = manifest.find("Service", service).orElse(null);
                    if (svc == null || !"None".equals(svc.at("/spec/clusterIP").asText())) {
                        violation(cm, entry.getKey() + " names '" + service + "', which is not a headless Service of this manifest");
                    } else if (!servicePort(svc, port)) {
                        violation(cm, entry.getKey() + " names port " + port + ", which Service " + service + " does not expose");
                    }
                }
                Matcher kafka = KAFKA_BOOTSTRAP.matcher(value);
                if (entry.getKey().contains("BOOTSTRAP") && kafka.matches()) {
                    bootstrap(cm, kafka.group(1), Integer.parseInt(kafka.group(3)));
                }
            }
        });
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private List<JsonNode> podsSelectedBy(JsonNode owner, JsonNode selector) {
        if (selector == null || selector.isMissingNode()) {
            return List.of();
        }
        return manifest.workloads()
                .filter(w -> Manifest.sameNamespace(w, owner))
                .filter(w -> matches(selector, w.at("/spec/template/metadata/labels")))
                .toList();
    }

    /** An empty selector matches every pod, as in Kubernetes. */
    private static boolean matches(JsonNode selector, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Integer> containerPorts(JsonNode container) {
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode p : container.path("ports")) {
            ports.put(p.path("name").asText(String.valueOf(p.path("containerPort").asInt())), p.path("containerPort").asInt());
        }
        return ports;
    }

    private static boolean portExists(JsonNode port, Map<String, Integer> ports) {
        return port.isInt() ? ports.containsValue(port.asInt()) : ports.containsKey(port.asText());
    }

    private static boolean servicePort(JsonNode service, int port) {
        for (JsonNode p : service.at("/spec/ports")) {
            if (p.path("port").asInt() == port) {
                return true;
            }
        }
        return false;
    }

    private static String clusterOf(JsonNode r) {
        return r.at("/metadata/labels").path("strimzi.io/cluster").asText("");
    }

    private static String topicName(JsonNode topic) {
        return topic.at("/spec/topicName").asText(name(topic));
    }

    private static List<JsonNode> concat(JsonNode a, JsonNode b) {
        List<JsonNode> all = new ArrayList<>();
        a.forEach(all::add);
        b.forEach(all::add);
        return all;
    }
}
