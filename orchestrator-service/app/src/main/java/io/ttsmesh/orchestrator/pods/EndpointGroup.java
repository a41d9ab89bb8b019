package io.ttsmesh.orchestrator.pods;

import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The pods of one kind, found from configured addresses, and the choice among them.
 *
 * <p>An address {@code host:port} is one pod. An address {@code dns:///name:port} is a headless Kubernetes
 * Service: every address the name resolves to is a pod, and the set is resolved again on each
 * {@link #refresh()}. Pods that disappear are shut down gracefully (their running calls finish).
 *
 * <p>Why our own client-side balancing rather than Stork: a search pins one long-lived session stream to
 * one generator (KV affinity), so the load worth balancing is open sessions per pod, which only this
 * process knows, and failover must pick "another pod" explicitly and name it in the events. Stork's
 * balancers choose per call behind a channel and hide which pod was chosen.
 */
public final class EndpointGroup {

    private static final Logger LOG = Logger.getLogger(EndpointGroup.class);
    private static final String DNS_PREFIX = "dns:///";

    private final String kind;
    private final List<String> configured;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicLong turn = new AtomicLong();
    private final ChannelFactory channels;
    private final Map<String, String> authorities = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile List<Endpoint> endpoints = List.of();

    public EndpointGroup(String kind, List<String> addresses) {
        this(kind, addresses, ChannelFactory.PLAINTEXT);
    }

    public EndpointGroup(String kind, List<String> addresses, ChannelFactory channels) {
        this.kind = kind;
        this.channels = channels;
        this.configured = addresses.stream().map(String::trim).filter(a -> !a.isEmpty()).toList();
        refresh();
    }

    public String kind() {
        return kind;
    }

    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Resolves the configured names again; keeps the channels of pods still present. */
    public void refresh() {
        lock.lock();
        try {
            Map<String, Endpoint> old = new LinkedHashMap<>();
            endpoints.forEach(e -> old.put(e.address(), e));
            List<Endpoint> next = new ArrayList<>();
            for (String address : resolve()) {
                Endpoint kept = old.remove(address);
                next.add(kept != null ? kept : new Endpoint(address, authorities.get(address), channels));
            }
            old.values().forEach(gone -> {
                LOG.infof("%s pod %s left the group", kind, gone.address());
                gone.shutdown();
            });
            endpoints = List.copyOf(next);
        } finally {
            lock.unlock();
        }
    }

    private List<String> resolve() {
        List<String> addresses = new ArrayList<>();
        for (String entry : configured) {
            if (!entry.startsWith(DNS_PREFIX)) {
                addresses.add(entry);
                continue;
            }
            String hostPort = entry.substring(DNS_PREFIX.length());
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            String port = colon < 0 ? "" : hostPort.substring(colon);
            try {
                for (InetAddress a : InetAddress.getAllByName(host)) {
                    String ip = a.getHostAddress();
                    String address = (ip.contains(":") ? "[" + ip + "]" : ip) + port;
                    authorities.put(address, hostPort); // TLS checks the pod's certificate against the name
                    addresses.add(address);
                }
            } catch (UnknownHostException e) {
                // A headless Service with no ready pod has no records; keep the pods we know instead of none.
                LOG.warnf("%s address %s does not resolve: %s", kind, entry, e.getMessage());
                endpoints.stream().map(Endpoint::address).forEach(addresses::add);
            }
        }
        return addresses.stream().distinct().toList();
    }

    /**
     * The healthy pod not in {@code exclude} carrying the least load (ties in turn), or an unhealthy one when
     * no healthy one is left (a probe may be stale; the call then fails with a clear status). Null when every
     * pod is excluded or the group is empty.
     */
    public Endpoint leastLoaded(Collection<Endpoint> exclude) {
        List<Endpoint> pool = candidates().stream().filter(e -> !exclude.contains(e)).toList();
        if (pool.isEmpty()) {
            pool = endpoints.stream().filter(e -> !exclude.contains(e)).toList();
        }
        if (pool.isEmpty()) {
            return null;
        }
        int start = (int) (turn.getAndIncrement() % pool.size());
        List<Endpoint> rotated = new ArrayList<>(pool.subList(start, pool.size()));
        rotated.addAll(pool.subList(0, start));
        return rotated.stream().min(Comparator.comparingInt(Endpoint::load)).orElseThrow();
    }

    /** The next healthy pod in turn (round robin). Null when the group is empty. */
    public Endpoint next() {
        List<Endpoint> pool = candidates();
        return pool.isEmpty() ? null : pool.get((int) (turn.getAndIncrement() % pool.size()));
    }

    /** The next pod in turn that is not in {@code exclude} (healthy first); when every pod is excluded, {@link #next()}. */
    public Endpoint next(Collection<Endpoint> exclude) {
        List<Endpoint> pool = candidates().stream().filter(e -> !exclude.contains(e)).toList();
        if (pool.isEmpty()) {
            pool = endpoints.stream().filter(e -> !exclude.contains(e)).toList();
        }
        return pool.isEmpty() ? next() : pool.get((int) (turn.getAndIncrement() % pool.size()));
    }

    private List<Endpoint> candidates() {
        List<Endpoint> all = endpoints;
        List<Endpoint> healthy = all.stream().filter(Endpoint::healthy).toList();
        return healthy.isEmpty() ? all : healthy;
    }

    public void shutdown() {
        endpoints.forEach(Endpoint::shutdown);
    }
}
