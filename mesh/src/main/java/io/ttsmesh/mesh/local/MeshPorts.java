package io.ttsmesh.mesh.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The ports of the local mesh. The defaults are the team's (CONVENTIONS: Ports); tests take free ones. */
public record MeshPorts(int kafka, int kafkaController,
                        int generatorHttp, int generatorGrpc,
                        int verifierHttp, int verifierGrpc,
                        int orchestratorHttp, int orchestratorGrpc) {

    public static MeshPorts defaults() {
        return new MeshPorts(9092, 9093, 8081, 9081, 8082, 9082, 8080, 9080);
    }

    /** Ports free right now, chosen by the system. */
    public static MeshPorts free() {
        int[] p = new int[8];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < p.length; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                p[i] = s.getLocalPort();
            }
        } catch (IOException e) {
            throw new MeshStartException("no free ports: " + e.getMessage(), e);
        } finally {
            held.forEach(s -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            });
        }
        return new MeshPorts(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
    }

    public Map<String, Integer> byName() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("Kafka", kafka);
        m.put("Kafka controller", kafkaController);
        m.put("generator HTTP", generatorHttp);
        m.put("generator gRPC", generatorGrpc);
        m.put("verifier HTTP", verifierHttp);
        m.put("verifier gRPC", verifierGrpc);
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
                    + " (tts-mesh up --help lists the port options).");
        }
    }

    static boolean isFree(int port) {
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
