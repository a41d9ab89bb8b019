package io.ttsmesh.k8s.podman;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cpu-dev mesh as four pods under podman (k8s/podman/up): they come up and find each other by the names the
 * configuration dials, a Solve through the orchestrator pod answers, its events reach the Kafka pod's tts.events,
 * the generator container dying mid-batch is restarted by the pod's restart policy while every Kafka job still gets
 * exactly one result, and every container runs as 185 on a read-only root within the limits of its manifest.
 * Needs podman and the images (k8s/images/build); run by k8s/podman/ci-check.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PodmanMeshIT {

    private static final String NETWORK = "tts-mesh";
    /** Pod -> its container, as k8s/podman/render names them (pod named after the Service the config dials). */
    private static final Map<String, String> PODS = new LinkedHashMap<>();

    static {
        PODS.put("tts-kafka-kafka-bootstrap", "kafka");
        PODS.put("tts-generator-pods", "generator");
        PODS.put("tts-verifier-pods", "verifier");
        PODS.put("tts-orchestrator", "orchestrator");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String BOOTSTRAP = "tts-kafka-kafka-bootstrap:9092";

    private static Path repo;
    private static Path out;
    private static String apiKey;
    private static String solvedRequestId;

    @BeforeAll
    static void up() throws IOException {
        repo = Path.of(System.getProperty("ttsmesh.k8s.dir", "k8s")).toAbsolutePath().getParent();
        out = repo.resolve("k8s/target/podman");
        Files.createDirectories(out);
        long start = System.nanoTime();
        Podman.Result up = Podman.run(List.of("bash", repo.resolve("k8s/podman/up").toString(), "--no-build"),
                out.resolve("up.log"), Duration.ofMinutes(8));
        String log = Files.readString(out.resolve("up.log"));
        assertThat(up.exitCode()).as("k8s/podman/up --no-build:%n%s", log).isZero();
        System.out.printf("podman mesh up and answering in %.1f s%n", (System.nanoTime() - start) / 1e9);
        PODS.forEach((pod, container) -> PodAddresses.register(pod, address(pod + "-" + container)));
        apiKey = Files.readString(out.resolve("api-key")).strip();
    }

    @AfterAll
    static void down() throws IOException {
        Path logs = Files.createDirectories(out.resolve("logs"));
        for (var pod : PODS.entrySet()) {
            String container = pod.getKey() + "-" + pod.getValue();
            Podman.run(List.of("podman", "logs", container), logs.resolve(container + ".log"), Duration.ofMinutes(1));
        }
        if (!Boolean.getBoolean("ttsmesh.podman.keep")) {
            Podman.run(List.of("bash", repo.resolve("k8s/podman/down").toString()), out.resolve("down.log"), Duration.ofMinutes(3));
        }
    }

    @Test
    @Order(1)
    void allFourPodsRunTheirContainers() {
        JsonNode pods = Podman.json(Podman.ok("pod", "ps", "--format", "json"));
        Map<String, String> status = new TreeMap<>();
        pods.forEach(p -> status.put(p.path("Name").asText(), p.path("Status").asText()));
        assertThat(status).containsAllEntriesOf(PODS.keySet().stream().collect(Collectors.toMap(p -> p, p -> "Running")));
        PODS.forEach((pod, container) -> {
            JsonNode c = Podman.inspect(pod + "-" + container);
            assertThat(c.at("/State/Status").asText()).as(pod).isEqualTo("running");
            assertThat(c.at("/NetworkSettings/Networks").has(NETWORK)).as(pod).isTrue();
        });
    }

    @Test
    @Order(2)
    void probesAsPodmanHealthchecksPassOnNumericPorts() {
        // podman turned each liveness probe into a healthcheck (curl for httpGet, the command for exec). As with the
        // probe's failureThreshold, one slow answer on a loaded machine (past the probe's timeout) is not a failure;
        // a wrong port or a missing curl never passes.
        PODS.forEach((pod, container) -> await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2))
                .untilAsserted(() -> {
                    Podman.Result check = Podman.exec("healthcheck", "run", pod + "-" + container);
                    assertThat(check.exitCode()).as("%s healthcheck: %s", pod, check.output()).isZero();
                }));
    }

    @Test
    @Order(3)
    void containersRunAs185OnAReadOnlyRootWithinTheirLimits() throws IOException {
        Map<String, JsonNode> limits = limitsFromTheRenderedManifest();
        PODS.forEach((pod, container) -> {
            String name = pod + "-" + container;
            assertThat(Podman.ok("exec", name, "id", "-u").strip()).as(name).isEqualTo("185");
            assertThat(Podman.ok("exec", name, "id", "-g").strip()).as(name).isEqualTo("185");
            Podman.Result write = Podman.exec("exec", name, "touch", "/written-by-the-test");
            assertThat(write.exitCode()).as(name).isNotZero();
            assertThat(write.output()).as(name).contains("Read-only file system");
            assertThat(Podman.ok("exec", name, "touch", "/tmp/written-by-the-test")).as(name + " /tmp").isEmpty();
            assertThat(Podman.ok("exec", name, "grep", "CapEff", "/proc/1/status")).as(name).contains("0000000000000000");

            JsonNode limit = limits.get(pod);
            long memoryLimit = ResourceQuantity.parse(limit.path("memory").asText()).asLong();
            BigDecimal cpuLimit = ResourceQuantity.parse(limit.path("cpu").asText()).value();
            CgroupReading cgroup = CgroupReading.of(name);
            assertThat(cgroup.memoryLimit()).as(name + " memory limit the kernel enforces").isEqualTo(memoryLimit);
            assertThat(cgroup.memoryPeak()).as(name + " peak memory").isPositive().isLessThan(memoryLimit);
            assertThat(cgroup.cpus()).as(name + " CPU quota").isEqualByComparingTo(cpuLimit);
            System.out.printf("%s: peak memory %d MiB of %d MiB, %s CPUs%n", name, cgroup.memoryPeak() >> 20, memoryLimit >> 20, cpuLimit);
        });
    }

    @Test
    @Order(4)
    void aSolveThroughTheOrchestratorPodAnswers() throws Exception {
        solvedRequestId = "podman-solve-" + System.currentTimeMillis();
        HttpResponse<String> response = solve(solveRequest(solvedRequestId, "(17+25)*3-14"), apiKey);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.path("request_id").asText()).isEqualTo(solvedRequestId);
        assertThat(result.path("stop_reason").asText()).isEqualTo("COMPLETED");
        assertThat(result.path("answer").asText()).isNotBlank();

        HttpResponse<String> anonymous = solve(solveRequest(solvedRequestId + "-anonymous", "1+1"), null);
        assertThat(anonymous.statusCode()).as("without the key from the podman secret").isEqualTo(401);
    }

    @Test
    @Order(5)
    void theSolvesEventsArriveOnTheKafkaPod() {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<ConsumerRecord<String, String>> events = readUntil(consumer, "tts.events",
                    seen -> seen.stream().anyMatch(r -> solvedRequestId.equals(r.key())), Duration.ofMinutes(1));
            List<JsonNode> mine = events.stream().filter(r -> solvedRequestId.equals(r.key())).map(r -> json(r.value())).toList();
            assertThat(mine).isNotEmpty();
            assertThat(mine).allSatisfy(e -> {
                assertThat(e.path("specversion").asText()).isEqualTo("1.0");
                assertThat(e.path("subject").asText()).isEqualTo(solvedRequestId);
                assertThat(e.path("type").asText()).startsWith("io.ttsmesh.search.");
            });
        }
    }

    @Test
    @Order(6)
    void theGeneratorDyingMidBatchIsRestartedAndEveryJobGetsExactlyOneResult() throws Exception {
        String generator = "tts-generator-pods-generator";
        int restartsBefore = Podman.inspect(generator).path("RestartCount").asInt();
        String run = "podman-kill-" + System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 24; i++) {
                String id = run + "-" + i;
                ids.add(id);
                producer.send(new ProducerRecord<>("tts.requests", id, solveRequest(id, "(" + (10 + i) + "+" + (3 + i % 7) + ")*" + (2 + i % 3) + "-" + (i % 5))));
            }
            producer.flush();
        }
        Set<String> jobs = Set.copyOf(ids);
        try (KafkaConsumer<String, String> events = consumer()) {
            // Mid-batch: the orchestrator has started searching these jobs (their events are flowing).
            readUntil(events, "tts.events", seen -> seen.stream().anyMatch(r -> jobs.contains(r.key())), Duration.ofMinutes(2));
        }
        // The way a crash or the kernel's OOM killer ends a container: its main process dies. (`podman kill` counts
        // as a stop by the user, which podman's restart policy leaves alone; a kubelet would restart it.)
        long pid = Podman.inspect(generator).at("/State/Pid").asLong();
        assertThat(pid).isPositive();
        assertThat(Podman.run(List.of("kill", "-KILL", Long.toString(pid)), null, Duration.ofSeconds(10)).exitCode()).isZero();

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode c = Podman.inspect(generator);
            assertThat(c.path("RestartCount").asInt()).isGreaterThan(restartsBefore);
            assertThat(c.at("/State/Status").asText()).isEqualTo("running");
        });

        try (KafkaConsumer<String, String> results = consumer()) {
            List<ConsumerRecord<String, String>> seen = readUntil(results, "tts.results",
                    records -> records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(jobs),
                    Duration.ofMinutes(6));
            Map<String, Long> perJob = seen.stream().filter(r -> jobs.contains(r.key()))
                    .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
            assertThat(perJob).hasSize(jobs.size()).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
            Map<String, Long> outcomes = seen.stream().filter(r -> jobs.contains(r.key()))
                    .collect(Collectors.groupingBy(r -> json(r.value()).path("stop_reason").asText("?"), TreeMap::new, Collectors.counting()));
            System.out.println("jobs across the generator restart, by stop reason: " + outcomes + "; e.g. "
                    + seen.stream().filter(r -> jobs.contains(r.key())).map(r -> json(r.value()).path("stop_detail").asText())
                    .distinct().limit(3).toList());
        }

        // The restarted generator serves again: a Solve completes once the orchestrator sees it ready, and so does
        // every job of a second batch through Kafka.
        String after = "podman-after-restart-" + System.currentTimeMillis();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> response = solve(solveRequest(after, "(8+4)*2-5"), apiKey);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(JSON.readTree(response.body()).path("stop_reason").asText()).isEqualTo("COMPLETED");
        });
        Set<String> second = new java.util.HashSet<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 8; i++) {
                String id = run + "-after-" + i;
                second.add(id);
                producer.send(new ProducerRecord<>("tts.requests", id, solveRequest(id, "(" + (20 + i) + "-" + (i + 1) + ")*2")));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> results = consumer()) {
            List<ConsumerRecord<String, String>> seen = readUntil(results, "tts.results",
                    records -> records.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(second),
                    Duration.ofMinutes(4));
            Map<String, List<String>> stops = seen.stream().filter(r -> second.contains(r.key())).collect(Collectors.groupingBy(
                    ConsumerRecord::key, Collectors.mapping(r -> json(r.value()).path("stop_reason").asText(), Collectors.toList())));
            assertThat(stops).hasSize(second.size()).allSatisfy((id, reasons) -> assertThat(reasons).as(id).containsExactly("COMPLETED"));
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static String address(String container) {
        String ip = Podman.inspect(container).at("/NetworkSettings/Networks").path(NETWORK).path("IPAddress").asText();
        assertThat(ip).as(container + " address on " + NETWORK).isNotBlank();
        return ip;
    }

    private static String solveRequest(String id, String question) {
        return """
                {"request_id": "%s", "question": "%s", "strategy": {"name": "beam_search", "params": {"n": "8"}},
                 "budget": {"max_tokens": 4000, "max_verifier_calls": 400, "deadline_ms": 60000}}""".formatted(id, question);
    }

    private static HttpResponse<String> solve(String body, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://tts-orchestrator:8080/v1/solve"))
                .timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, JsonNode> limitsFromTheRenderedManifest() throws IOException {
        Map<String, JsonNode> limits = new HashMap<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(out.resolve("mesh.yaml").toFile())) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if ("Pod".equals(doc.path("kind").asText())) {
                    limits.put(doc.at("/metadata/name").asText(), doc.at("/spec/containers/0/resources/limits"));
                }
            }
        }
        assertThat(limits).containsOnlyKeys(PODS.keySet());
        return limits;
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // A broker that is gone fails the test in seconds, not after the clients' minute-long defaults.
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000));
    }

    /**
     * Reads a topic from its beginning until {@code done} holds for what was read, then on to the end offsets of
     * that moment (so a duplicate written before then is seen too).
     */
    private static List<ConsumerRecord<String, String>> readUntil(KafkaConsumer<String, String> consumer, String topic,
                                                                 Predicate<List<ConsumerRecord<String, String>>> done,
                                                                 Duration timeout) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records)) {
            assertThat(System.nanoTime()).as("%s: the condition did not hold within %s (%d records read)", topic, timeout, records.size())
                    .isLessThan(deadline);
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private static JsonNode json(String text) {
        return Podman.json(text);
    }
}
