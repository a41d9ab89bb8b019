package io.ttsmesh.k8s.podman;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Resolves the pods' names on this host as the pods resolve them among themselves (podman's DNS on their network
 * answers only inside it). The Kafka pod advertises itself as tts-kafka-kafka-bootstrap:9092, so a client on the
 * host needs that name; every other name goes to the JDK's own resolver. Installed through
 * META-INF/services/java.net.spi.InetAddressResolverProvider; it knows the pods the test registers.
 */
public final class PodAddresses extends InetAddressResolverProvider {

    private static final Map<String, InetAddress> PODS = new ConcurrentHashMap<>();

    static void register(String pod, String address) {
        try {
            PODS.put(pod, InetAddress.getByAddress(pod, InetAddress.getByName(address).getAddress()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("pod " + pod + ": not an IP address: " + address, e);
        }
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                InetAddress pod = PODS.get(host);
                return pod != null ? Stream.of(pod) : builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "tts-mesh podman pods";
    }
}
