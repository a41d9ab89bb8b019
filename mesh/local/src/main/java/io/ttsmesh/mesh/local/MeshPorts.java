package io.ttsmesh.mesh.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ports of the local mesh: the broker, the orchestrator, and per task the ports of its generator and verifier
 * pods. The tasks the mesh runs are the keys of {@link #pods()}, in start order. The defaults are the team's
 * (CONVENTIONS: Ports) for the first task; every further task's pods take the first's ports plus 2 per task
 * (arithmetic 8081/8082, countdown 8083/8084 under {@code --task all}); tests take free ones.
 */
public record MeshPorts(int kafka, int kafkaController, int orchestratorHttp, int orchestratorGrpc,
                        Map<String, PodPorts> pods) {

    /** The ports of one task's generator and verifier. */
    public record PodPorts(int generatorHttp, int generatorGrpc, int verifierHttp, int verifierGrpc) {

        /** Every port moved by {@code delta}: the pods of the task after this one. */
        public PodPorts shifted(int delta) {
            return new PodPorts(generatorHttp + delta, generatorGrpc + delta, verifierHttp + delta, verifierGrpc + delta);
        }
    }

    /** How far each further task's pods sit from the previous task's (a generator and a verifier: 2 ports apart). */
    public static final int TASK_PORT_STEP = 2;

    public MeshPorts {
        if (pods.isEmpty()) {
            throw new IllegalArgumentException("the mesh needs at least one task");
        }
        pods = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pods));
    }

    /** The team's default ports for the first task, its pods' ports + 2 per further task. */
    public static MeshPorts defaults(List<String> tasks) {
        return of(9092, 9093, 8080, 9080, new PodPorts(8081, 9081, 8082, 9082), tasks);
    }

    /** The first task's pods on {@code first}, every further task's {@link #TASK_PORT_STEP} further on. */
    public static MeshPorts of(int kafka, int kafkaController, int orchestratorHttp, int orchestratorGrpc, PodPorts first,
                               List<String> tasks) {
        Map<String, PodPorts> pods = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            pods.put(tasks.get(i), first.shifted(i * TASK_PORT_STEP));
        }
        return new MeshPorts(kafka, kafkaController, orchestratorHttp, orchestratorGrpc, pods);
    }

    /** Ports free right now ({@link #freePorts}). */
    public static MeshPorts free(List<String> tasks) {
        int[] p = freePorts(4 + 4 * tasks.size());
        Map<String, PodPorts> pods = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            int at = 4 + 4 * i;
            pods.put(tasks.get(i), new PodPorts(p[at], p[at + 1], p[at + 2], p[at + 3]));
        }
        return new MeshPorts(p[0], p[1], p[2], p[3], pods);
    }

    /**
     * Where {@link #freePorts} looks first: below the kernel's ephemeral range, from which outgoing connections take
     * their local ports. A port chosen in that range stays exposed until its service binds it, and a mesh opens
     * connections while it starts (the broker's clients, the readiness probes): one of them took the orchestrator's
     * gRPC port in CI once, and the orchestrator ran without its gRPC server.
     */
    static final int LOWEST_CHOSEN = 10_000;
    /** Ports there must be between {@link #LOWEST_CHOSEN} and the ephemeral range to choose among them. */
    static final int LEAST_ROOM = 1_000;
    private static final int ATTEMPTS = 200;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Ports this JVM handed out: never handed out twice, though a service may not have bound one yet. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * {@code count} distinct ports free on loopback and the wildcard address right now: below the kernel's
     * ephemeral range where it is known (Linux), otherwise chosen by the system.
     */
    public static int[] freePorts(int count) {
        int below = ephemeralRangeStart();
        int[] p = new int[count];
        for (int i = 0; i < count; i++) {
            p[i] = below - LOWEST_CHOSEN >= LEAST_ROOM ? belowEphemeral(below) : systemChosen();
        }
        return p;
    }

    /**
     * The first port of the ephemeral range, or 0 where it cannot be read. Read through a buffered reader, whose first
     * read asks for the whole file: a sysctl file answers a read at a non-zero offset with end-of-file, and
     * {@code Files.readString} sizes its first read by the file's reported size (0 under /proc), so it returned "3"
     * of "32768 60999" and every mesh's ports came from the system, inside the range.
     */
    static int ephemeralRangeStart() {
        try {
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).getFirst().trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException unknown) {
            return 0;
        }
    }

    private static int belowEphemeral(int below) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_CHOSEN, below);
            if (isFree(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        return systemChosen();
    }

    private static int systemChosen() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            } catch (IOException e) {
                throw new MeshStartException("no free ports: " + e.getMessage(), e);
            }
        }
        throw new MeshStartException("no free ports: " + ATTEMPTS + " ports offered by the system were handed out already");
    }

    /** The tasks the mesh runs, in start order. */
    public List<String> tasks() {
        return List.copyOf(pods.keySet());
    }

    public PodPorts pod(String task) {
        PodPorts ports = pods.get(task);
        if (ports == null) {
            throw new IllegalArgumentException("task '" + task + "' has no pods in this mesh (it runs " + tasks() + ")");
        }
        return ports;
    }

    public Map<String, Integer> byName() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("Kafka", kafka);
        m.put("Kafka controller", kafkaController);
        pods.forEach((task, pod) -> {
            String prefix = pods.size() == 1 ? "" : task + " ";
            m.put(prefix + "generator HTTP", pod.generatorHttp());
            m.put(prefix + "generator gRPC", pod.generatorGrpc());
            m.put(prefix + "verifier HTTP", pod.verifierHttp());
            m.put(prefix + "verifier gRPC", pod.verifierGrpc());
        });
        m.put("orchestrator HTTP", orchestratorHttp);
        m.put("orchestrator gRPC", orchestratorGrpc);
        return m;
    }

    /** Fails with one message naming every port that is taken or repeated, and the option that changes it. */
    public void requireFree() {
        List<String> problems = new ArrayList<>();
        Map<Integer, String> seen = new LinkedHashMap<>();
        byName().forEach((name, port) -> {
            String other = seen.putIfAbsent(port, name);
            if (other != null) {
                problems.add(name + " and " + other + " both on port " + port);
            } else if (!isFree(port)) {
                problems.add(name + " port " + port + " is in use");
            }
        });
        if (!problems.isEmpty()) {
            throw new MeshStartException(String.join("; ", problems)
                    + ". Stop what holds it (is a mesh already running? ss -ltnp | grep <port>) or choose other ports"
                    + " (tts-mesh up --help lists the port options; a second task's pods take the first's ports + "
                    + TASK_PORT_STEP + ").");
        }
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            return false;
        }
        // A service bound to 0.0.0.0 only is not seen by a loopback bind on every OS; check the wildcard too.
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
