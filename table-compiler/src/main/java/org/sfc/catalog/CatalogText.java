package org.sfc.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.sfc.catalog.Catalog.*;

/** Services written back as catalog YAML, and inserted into a catalog's text (for cloning). */
public final class CatalogText {
    private CatalogText() {}

    /** {@code svc} as an entry of the services mapping, indented by {@code indent}. */
    public static String service(Service svc, String indent) {
        String i2 = indent + "  ";
        StringBuilder b = new StringBuilder(indent).append(svc.name()).append(":\n");
        if (svc.tenant() != null) {
            b.append(i2).append("tenant: ").append(svc.tenant()).append('\n');
        }
        if (svc.address() != null) {
            Address a = svc.address();
            b.append(i2).append("address: {ip: ").append(a.ip()).append(", protocol: ")
                    .append(a.protocol().name().toLowerCase()).append(", port: ").append(a.ports());
            if (a.dynamicPorts() != null) {
                b.append(", dynamic-ports: ").append(a.dynamicPorts());
            }
            b.append("}\n");
        } else {
            b.append(i2).append("clients: {ip: [").append(svc.clients().ips().stream().map(Object::toString)
                    .collect(Collectors.joining(", "))).append("], protocol: [").append(svc.clients().protocols().stream()
                    .map(p -> p.name().toLowerCase()).collect(Collectors.joining(", "))).append("]}\n");
        }
        if (svc.from() != null) {
            b.append(i2).append("from: ").append(svc.from()).append('\n');
        }
        if (svc.exit() != null) {
            b.append(i2).append("exit: ").append(svc.exit()).append('\n');
        }
        if (svc.dscp() != 0) {
            b.append(i2).append("dscp: ").append(svc.dscp()).append('\n');
        }
        if (svc.rate() != null) {
            b.append(i2).append("rate: {pps: ").append(svc.rate().pps()).append(", burst: ").append(svc.rate().burst())
                    .append("}\n");
        }
        b.append(i2).append("sequence:\n");
        for (Step st : svc.sequence()) {
            List<String> parts = new ArrayList<>(List.of("device: " + st.target()));
            if (!st.copyTo().isEmpty()) {
                parts.add("copy-to: [" + String.join(", ", st.copyTo()) + "]");
            }
            if (st.translatePort() != null) {
                parts.add("port: " + st.translatePort());
            }
            b.append(i2).append("  - {").append(String.join(", ", parts)).append("}\n");
        }
        if (svc.acl() != null) {
            b.append(i2).append("acl:\n").append(i2).append("  default: ").append(svc.acl().defaultVerdict().name()
                    .toLowerCase()).append('\n');
            if (!svc.acl().rules().isEmpty()) {
                b.append(i2).append("  rules:\n");
                for (AclRule r : svc.acl().rules()) {
                    List<String> parts = new ArrayList<>(List.of("action: " + r.action().name().toLowerCase()));
                    if (r.source() != null) {
                        parts.add("source: " + r.source());
                    }
                    if (r.sourcePorts() != null) {
                        parts.add("source-ports: " + r.sourcePorts());
                    }
                    if (r.ports() != null) {
                        parts.add("ports: " + r.ports());
                    }
                    b.append(i2).append("    - {").append(String.join(", ", parts)).append("}\n");
                }
            }
        }
        return b.toString();
    }

    /**
     * Service replication (seed ¶199): {@code original} as a new service {@code name} on {@code ip}, with the
     * devices in {@code swaps} (old -> new) replaced in its steps and copies; everything else kept.
     */
    public static Service replica(Catalog resolved, String original, String name, Ipv4 ip, java.util.Map<String, String> swaps) {
        Service s = resolved.services().get(original);
        if (s == null || s.address() == null) {
            throw new IllegalArgumentException("no service '" + original + "' with a service address; the catalog has "
                    + new java.util.TreeSet<>(resolved.services().keySet()));
        }
        if (resolved.services().containsKey(name)) {
            throw new IllegalArgumentException("the catalog already has a service '" + name + "'");
        }
        for (String old : swaps.keySet()) {
            if (s.sequence().stream().noneMatch(st -> st.target().equals(old) || st.copyTo().contains(old))) {
                throw new IllegalArgumentException("service " + original + " does not use '" + old + "'");
            }
        }
        List<Step> steps = new ArrayList<>();
        for (Step st : s.sequence()) {
            steps.add(new Step(swaps.getOrDefault(st.target(), st.target()),
                    st.copyTo().stream().map(x -> swaps.getOrDefault(x, x)).toList(), st.translatePort(), st.src()));
        }
        return new Service(name, s.tenant(), s.address().withIp(ip), s.clients(), s.from(), s.exit(), s.dscp(), steps, null,
                s.rate(), s.acl(), s.src());
    }

    /** The catalog text with {@code entry} added at the end of its top-level services mapping. */
    public static String withService(String text, Service svc) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("services:")) {
                start = i;
            }
        }
        if (start < 0) {
            throw new IllegalArgumentException("the catalog has no top-level 'services:' to add the clone to");
        }
        String indent = "  ";
        int end = lines.size();
        for (int i = start + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isBlank() && !l.startsWith(" ") && !l.startsWith("#")) {
                end = i;
                break;
            }
            if (!l.isBlank() && !l.trim().startsWith("#") && indent.equals("  ") && i == start + 1) {
                indent = l.substring(0, l.length() - l.stripLeading().length());
            }
        }
        while (end > start + 1 && lines.get(end - 1).isBlank()) {
            end--;
        }
        lines.add(end, service(svc, indent).stripTrailing());
        return String.join("\n", lines) + "\n";
    }

    /**
     * The catalog text with every use of device {@code old} in services and groups changed to {@code replacement},
     * and the two swapped in pools (the replacement takes the old device's place as a member; the old one takes
     * the replacement's, e.g. as the spare). Only those values change: comments and layout stay (seed ¶198).
     * Throws if nothing uses {@code old}.
     */
    public static String replaceDevice(String text, String old, String replacement) {
        org.yaml.snakeyaml.nodes.Node root = CatalogLoader.compose(text);
        List<int[]> spans = new ArrayList<>(); // [start, end, 1: becomes replacement / 0: becomes old]
        if (root instanceof org.yaml.snakeyaml.nodes.MappingNode m) {
            for (org.yaml.snakeyaml.nodes.NodeTuple t : m.getValue()) {
                String section = t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k ? k.getValue() : "";
                switch (section) {
                    case "services", "groups" -> values(t.getValueNode(), old, null, spans);
                    case "pools" -> pools(t.getValueNode(), old, replacement, spans);
                    default -> { }
                }
            }
        }
        if (spans.stream().noneMatch(sp -> sp[2] == 1)) {
            throw new IllegalArgumentException("no service, pool or group uses device '" + old + "'");
        }
        spans.sort((a, b) -> Integer.compare(b[0], a[0]));
        StringBuilder out = new StringBuilder(text);
        for (int[] sp : spans) {
            int from = text.offsetByCodePoints(0, sp[0]);
            int to = text.offsetByCodePoints(0, sp[1]);
            out.replace(from, to, text.substring(from, to).replace(sp[2] == 1 ? old : replacement,
                    sp[2] == 1 ? replacement : old));
        }
        return out.toString();
    }

    /**
     * Pools swap the two devices, except a pool where both are members: swapping there would move the services
     * that pool gives the replacement onto the old device.
     */
    private static void pools(org.yaml.snakeyaml.nodes.Node pools, String old, String replacement, List<int[]> spans) {
        if (!(pools instanceof org.yaml.snakeyaml.nodes.MappingNode m)) {
            return;
        }
        for (org.yaml.snakeyaml.nodes.NodeTuple pool : m.getValue()) {
            List<int[]> members = new ArrayList<>();
            if (pool.getValueNode() instanceof org.yaml.snakeyaml.nodes.MappingNode pm) {
                for (org.yaml.snakeyaml.nodes.NodeTuple t : pm.getValue()) {
                    if (t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k && k.getValue().equals("members")) {
                        values(t.getValueNode(), old, replacement, members);
                    }
                }
            }
            if (members.size() < 2) {
                values(pool.getValueNode(), old, replacement, spans);
            }
        }
    }

    /** Spans of scalar values (not keys) equal to {@code name} (and, if given, to {@code swap}) under {@code n}. */
    private static void values(org.yaml.snakeyaml.nodes.Node n, String name, String swap, List<int[]> spans) {
        if (n instanceof org.yaml.snakeyaml.nodes.ScalarNode sc) {
            int kind = sc.getValue().equals(name) ? 1 : sc.getValue().equals(swap) ? 0 : -1;
            if (kind >= 0) {
                spans.add(new int[] {sc.getStartMark().getIndex(), sc.getEndMark().getIndex(), kind});
            }
        } else if (n instanceof org.yaml.snakeyaml.nodes.SequenceNode sq) {
            sq.getValue().forEach(x -> values(x, name, swap, spans));
        } else if (n instanceof org.yaml.snakeyaml.nodes.MappingNode mp) {
            mp.getValue().forEach(t -> values(t.getValueNode(), name, swap, spans));
        }
    }
}
