package org.sfc.dataplane.target;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two switches on shared segments, as a redundant pair is cabled (seed Fig. 15, with Linux bridges for its hubs): for
 * each switch port named, a bridge joins that port of both switches and one end of a veth pair whose other end is
 * in a network namespace made here (a router, a device). What a namespace sends reaches both switches (flooded, or
 * to the one the bridge learned the destination MAC behind); what either switch sends reaches the namespace. Needs
 * root; {@link #close} removes everything.
 */
public final class SharedSegments implements AutoCloseable {
    private final String id = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xFFFF));
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> links = new ArrayList<>();

    /** The name of namespace {@code role} ("r": router, ...), made on first use. */
    public String namespace(String role) throws Exception {
        String ns = "sfc" + role + id;
        if (!namespaces.contains(ns)) {
            run("ip", "netns", "add", ns);
            namespaces.add(ns);
            exec(ns, "ip", "link", "set", "lo", "up");
        }
        return ns;
    }

    /**
     * Joins port {@code port} of both switches on a bridge, with a veth into namespace {@code role} as
     * {@code iface} (MAC {@code mac}); returns the namespace.
     */
    public String segment(int port, VethSwitchTarget a, VethSwitchTarget b, String role, String iface, String mac)
            throws Exception {
        String ns = namespace(role);
        String bridge = "sfcb" + port + id;
        String outside = "sfcx" + port + id;
        run("ip", "link", "add", bridge, "type", "bridge");
        links.add(bridge);
        run("ip", "link", "add", outside, "type", "veth", "peer", "name", iface, "netns", ns);
        links.add(outside);
        for (String member : List.of(a.peer(port), b.peer(port), outside)) {
            run("ip", "link", "set", member, "master", bridge);
        }
        run("sysctl", "-q", "-w", "net.ipv6.conf." + bridge + ".disable_ipv6=1");
        run("sysctl", "-q", "-w", "net.ipv6.conf." + outside + ".disable_ipv6=1");
        run("ip", "link", "set", outside, "up");
        run("ip", "link", "set", bridge, "up");
        exec(ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
        exec(ns, "ip", "link", "set", iface, "address", mac);
        exec(ns, "ip", "link", "set", iface, "up");
        return ns;
    }

    /** Runs {@code cmd} in namespace {@code ns}, failing with its output if it fails. */
    public static void exec(String ns, String... cmd) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        run(all.toArray(String[]::new));
    }

    /** Starts {@code cmd} in namespace {@code ns} (its output kept for the caller). */
    public static Process start(String ns, String... cmd) throws Exception {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return new ProcessBuilder(all).redirectErrorStream(true).start();
    }

    private static void run(String... cmd) throws Exception {
        VethSwitchTarget.run(cmd);
    }

    @Override
    public void close() {
        for (String link : links) {
            try {
                run("ip", "link", "del", link); // a veth takes its peer (in a namespace) with it
            } catch (Exception alreadyGone) {
                // nothing to clean
            }
        }
        for (String ns : namespaces) {
            try {
                run("ip", "netns", "del", ns);
            } catch (Exception alreadyGone) {
                // nothing to clean
            }
        }
    }
}
