package org.sfc.catalog;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service catalog: the switch, the devices attached to it (alone, in pools with spares, or in groups that
 * share load), the services steered through them, the templates and address pools services are made from,
 * and the tenants who own services. Immutable; every element remembers where it was written.
 */
public record Catalog(SwitchInfo switchInfo, Map<String, Device> devices, Map<String, Pool> pools,
                      Map<String, Group> groups, Map<String, ServicePackage> packages, Map<String, IpPool> ipPools,
                      Map<String, Tenant> tenants, Map<String, Service> services) {

    /** A catalog of devices and services only. */
    public Catalog(SwitchInfo switchInfo, Map<String, Device> devices, Map<String, Service> services) {
        this(switchInfo, devices, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), services);
    }

    /**
     * The devices a step's target sends to: a device itself; a pool's active member for this service (chosen
     * by a stable hash of the service's name, so adding services never moves others); every member of a group.
     * Unknown names and devices give an empty list.
     */
    public List<Device> devicesOf(String target, String service) {
        if (devices.containsKey(target)) {
            return List.of(devices.get(target));
        }
        if (pools.containsKey(target)) {
            List<String> m = pools.get(target).members();
            Device d = devices.get(m.get(Math.floorMod(service.hashCode(), m.size())));
            return d == null ? List.of() : List.of(d);
        }
        if (groups.containsKey(target)) {
            return groups.get(target).members().stream().filter(devices::containsKey).map(devices::get).toList();
        }
        return List.of();
    }

    /** A device's heartbeat, resolved: how it is probed and, for {@code tcp}, the address and port the SYN goes to. */
    public record ProbeTarget(Probe kind, Ipv4 ip, Integer port) {}

    /**
     * How {@code d} is probed. {@code auto} means: a handshake (tcp) for a server that ends a TCP service (or is
     * a spare in a pool that does), nothing for a device that only receives copies (an IDS returns nothing),
     * a loop through the device otherwise. A tcp probe goes to the device's nat address or the service address,
     * on the health's probe-port or the service's port; null ip/port when there is no such service.
     */
    public ProbeTarget probeFor(Device d) {
        Service ending = null;
        boolean inSequence = false;
        for (Service s : services.values()) {
            for (int i = 0; i < s.sequence().size(); i++) {
                String target = s.sequence().get(i).target();
                boolean mine = devicesOf(target, s.name()).contains(d)
                        || (pools.containsKey(target) && pools.get(target).spares().contains(d.id()));
                inSequence |= mine;
                boolean ends = mine && i == s.sequence().size() - 1 && s.exit() == null && s.address() != null;
                if (ends && (ending == null || (ending.address().protocol() != Protocol.TCP
                        && s.address().protocol() == Protocol.TCP))) {
                    ending = s; // the first TCP service it ends, else the first service
                }
            }
        }
        boolean poolSpareOrMember = pools.values().stream().anyMatch(p -> p.spares().contains(d.id())
                || p.members().contains(d.id()));
        Probe kind = d.health().probe();
        if (kind == Probe.AUTO) {
            kind = ending != null && ending.address().protocol() == Protocol.TCP ? Probe.TCP
                    : !inSequence && !poolSpareOrMember ? Probe.NONE : Probe.LOOP;
        }
        if (kind != Probe.TCP) {
            return new ProbeTarget(kind, null, null);
        }
        Ipv4 ip = d.mode() == Mode.NAT && d.ip() != null ? d.ip() : ending == null ? null : ending.address().ip();
        Integer port = d.health().probePort() != null ? d.health().probePort()
                : ending == null ? null : ending.address().port();
        return new ProbeTarget(kind, ip, port);
    }

    /**
     * The services whose client SYNs watch {@code d} (its health's syn-retries): TCP services by address, clients from
     * the uplinks, ending at {@code d} (their last step's device for that service, not leaving by an uplink).
     */
    public List<Service> synWatched(Device d) {
        return services.values().stream().filter(s -> s.address() != null && s.from() == null && s.exit() == null
                && s.address().protocol() == Protocol.TCP && !s.sequence().isEmpty()
                && devicesOf(s.sequence().get(s.sequence().size() - 1).target(), s.name()).equals(List.of(d))).toList();
    }

    public Catalog withServices(Map<String, Service> newServices) {
        return new Catalog(switchInfo, devices, pools, groups, packages, ipPools, tenants, newServices);
    }

    /**
     * The switch's own MAC (source of rewritten frames) and, optionally, its own IP (answered in ARP with that MAC,
     * as every service address is), its uplinks toward clients and the network,
     * optionally the ports it has (empty: not declared, any port 0..510 is accepted), the address of the
     * controller's heartbeat probes, how many packets a second each port may punt to the controller, and the
     * ports whose ingress is limited.
     */
    public record SwitchInfo(Mac mac, Ipv4 ip, List<Uplink> uplinks, List<PortRange> ports, Ipv4 probeIp,
                             Rate puntRate, List<PortLimit> portLimits, Src src) {
        /** Where heartbeat probes come from and return to (a benchmarking address no client should have). */
        public static final Ipv4 DEFAULT_PROBE_IP = Ipv4.parse("198.18.0.1");
        /**
         * Per port: a device's heartbeats are a few packets a second; a flood from one port is held to this and
         * cannot crowd out the other ports' answers.
         */
        public static final Rate DEFAULT_PUNT_RATE = new Rate(1000, 100, null);

        public SwitchInfo(Mac mac, List<Uplink> uplinks, Src src) {
            this(mac, null, uplinks, List.of(), DEFAULT_PROBE_IP, DEFAULT_PUNT_RATE, List.of(), src);
        }

        public boolean hasPort(int port) {
            return ports.isEmpty() || ports.stream().anyMatch(r -> r.contains(port));
        }

        public Uplink uplink(String name) {
            return uplinks.stream().filter(u -> u.name().equals(name)).findFirst().orElse(null);
        }
    }

    public record Uplink(String name, int port, Mac routerMac, Src src) {}

    public enum Mode { L2, NAT }

    public enum TagMode { DSCP, PORT }

    public enum FailurePolicy { SPARE, BYPASS, DROP }

    /** How a device's health is checked: {@code loop} sends probes through it, {@code tcp} opens a handshake. */
    public enum Probe { AUTO, LOOP, TCP, NONE }

    /** After a failed device answers again for the hold-down time: back automatically, or when told. */
    public enum Failback { AUTO, MANUAL }

    /**
     * Heartbeats of a device: a probe every {@code intervalMs}; {@code misses} probes in a row, each unanswered for
     * its whole interval, make it failed; answering again for {@code holdDownMs} makes it healthy. {@code probePort} (tcp probes) is the
     * port the handshake goes to (null: the port of a service ending at the device). {@code synRetries} (a server;
     * 0: off): that many client SYNs in a row to a TCP service ending at it, with no client ACK between, make it
     * failed (seed ¶160: the engine for client traffic never sees the server's answers when they leave through
     * another engine).
     */
    public record Health(int intervalMs, int misses, int holdDownMs, Failback failback, Probe probe, Integer probePort,
                         int synRetries) {
        public static final Health DEFAULT = new Health(100, 3, 1000, Failback.AUTO, Probe.AUTO, null, 0);
    }

    /** A device port: the switch port it is cabled to and the device's MAC on it. */
    public record Attachment(int port, Mac mac, Src src) {}

    /**
     * A device. A one-port device has {@code outside == inside}. A two-port transparent device (a firewall)
     * takes forward traffic on its outside and passes it out of its inside; replies the other way.
     */
    /**
     * A device. {@code failure}: what its failure does; {@code fallback} (drop or bypass): what a {@code spare} policy
     * does when no healthy spare is free, never silently bypass: drop unless the operator made it bypass (the
     * device's own {@code fallback}, or its function listed in {@code bypassable-functions}).
     */
    public record Device(String id, String function, String vendor, String model, Mode mode, TagMode tag, Ipv4 ip,
                         Attachment outside, Attachment inside, FailurePolicy failure, FailurePolicy fallback,
                         Health health, Src src) {
        public Device {
            if (fallback == FailurePolicy.SPARE) {
                throw new IllegalArgumentException("a device's fallback is drop or bypass, not spare");
            }
        }

        public Device(String id, String function, String vendor, String model, Mode mode, TagMode tag, Ipv4 ip,
                      Attachment outside, Attachment inside, FailurePolicy failure, Src src) {
            this(id, function, vendor, model, mode, tag, ip, outside, inside, failure, FailurePolicy.DROP,
                    Health.DEFAULT, src);
        }

        public boolean twoPort() {
            return !outside.equals(inside);
        }
    }

    /**
     * Like devices (one function, vendor and model): a step naming the pool uses one active member, chosen per
     * service; spares carry no traffic until a member fails over to them.
     */
    public record Pool(String name, String function, String vendor, String model, List<String> members,
                       List<String> spares, Src src) {}

    /**
     * Identical devices sharing a step's load; both directions of a flow reach the same member. A failed member
     * leaves the group; when all have failed, {@code failure} (drop or bypass) says what the step does: it never
     * sends to dead members.
     */
    public record Group(String name, List<String> members, FailurePolicy failure, Src src) {}

    /** A template order of functions; a service picks a vendor (or a device, pool, group, or none) per function. */
    public record ServicePackage(String name, List<String> functions, Src src) {}

    /** Service IPs handed out to services that ask for one ({@code ip-pool}), first..last. */
    public record IpPool(String name, Ipv4 first, Ipv4 last, Src src) {
        public long size() {
            return last.value() - first.value() + 1;
        }
    }

    /** What a tenant may change in its own services. */
    public enum Permission { ACL, RATE, DSCP, SEQUENCE, SERVICES }

    public record Tenant(String name, Set<Permission> mayChange, Src src) {}

    public enum Protocol {
        TCP(6), UDP(17);

        public final int number;

        Protocol(int number) {
            this.number = number;
        }
    }

    /**
     * The service address: IP (or the pool it is taken from), protocol, the service port(s) ({@code port} ..
     * {@code lastPort}; usually one), and optionally the dynamic port range the service port owns.
     */
    public record Address(Ipv4 ip, String ipPool, Protocol protocol, int port, int lastPort, PortRange dynamicPorts,
                          Src src) {
        public Address withIp(Ipv4 newIp) {
            return new Address(newIp, ipPool, protocol, port, lastPort, dynamicPorts, src);
        }

        public String ports() {
            return port == lastPort ? Integer.toString(port) : port + "-" + lastPort;
        }
    }

    public record PortRange(int low, int high, Src src) {
        public boolean overlaps(PortRange o) {
            return low <= o.high && o.low <= high;
        }

        public boolean contains(int port) {
            return low <= port && port <= high;
        }

        @Override
        public String toString() {
            return low + "-" + high;
        }
    }

    /**
     * Source-keyed services (ISP mode, seed Fig. 23; a proxy's outbound requests, Fig. 12): the chain is chosen
     * by who sends, not by where to. Replies come back addressed to these clients.
     */
    public record Clients(List<Ipv4> ips, List<Protocol> protocols, Src src) {}

    /** One step: a device, pool or group; devices that get copies; an optional port the device listens on. */
    public record Step(String target, List<String> copyTo, Integer translatePort, Src src) {}

    /** A service made from a package: a choice per function, and optionally another order of the functions. */
    public record PackageUse(String name, Map<String, String> choose, List<String> order, Src src) {}

    public enum Verdict { PERMIT, DENY }

    /** An IPv4 prefix. */
    public record Cidr(Ipv4 ip, int length) {
        public long mask() {
            return length == 0 ? 0 : (0xFFFFFFFFL << (32 - length)) & 0xFFFFFFFFL;
        }

        @Override
        public String toString() {
            return ip + "/" + length;
        }
    }

    /** One rule of a service's virtual firewall: null fields match anything. */
    public record AclRule(Verdict action, Cidr source, PortRange sourcePorts, PortRange ports, Src src) {}

    /** A service's ACL: rules in order (the first that matches decides), then the default verdict. */
    public record Acl(List<AclRule> rules, Verdict defaultVerdict, Src src) {}

    /**
     * A service: its address (or, source-keyed, its clients), where its clients are ({@code from}: null for
     * the uplinks, or a device such as a VPN or proxy), where it leaves after its last step ({@code exit}: an
     * uplink, for services toward the network; null when the last device is the end), the DSCP it leaves
     * with, its sequence (or the package it is made from), a rate limit and an ACL.
     */
    public record Service(String name, String tenant, Address address, Clients clients, String from, String exit,
                          int dscp, List<Step> sequence, PackageUse pkg, Rate rate, Acl acl, Src src) {
        /** A destination-keyed service steered through {@code sequence}. */
        public Service(String name, String tenant, Address address, String from, int dscp, List<Step> sequence,
                       Rate rate, Src src) {
            this(name, tenant, address, null, from, null, dscp, sequence, null, rate, null, src);
        }

        public Service with(Address newAddress, List<Step> newSequence) {
            return new Service(name, tenant, newAddress, clients, from, exit, dscp, newSequence, pkg, rate, acl, src);
        }

        public boolean sourceKeyed() {
            return clients != null;
        }
    }

    /** Packets per second and burst size (packets) for the service's meter. */
    public record Rate(long pps, long burst, Src src) {}

    /** At most {@code rate} packets a second enter on switch port {@code port}; the rest is dropped (seed ¶153). */
    public record PortLimit(int port, Rate rate, Src src) {}
}
