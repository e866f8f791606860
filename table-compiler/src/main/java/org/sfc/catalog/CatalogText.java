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
}
