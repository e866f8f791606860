package org.sfc.catalog;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sfc.catalog.Catalog.*;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a service catalog from YAML, keeping where every value was written. Every problem is collected
 * (not just the first) and reported as {@code file:line:col: what is wrong; how to fix it}. The schema is
 * documented in table-compiler/README.md.
 */
public final class CatalogLoader {
    private final String file;
    private final List<String> problems = new ArrayList<>();

    private CatalogLoader(String file) {
        this.file = file;
    }

    public static Catalog load(Path path) throws IOException {
        return loadText(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
    }

    public static Catalog loadText(String file, String text) {
        return new CatalogLoader(file).read(text);
    }

    private Src src(Node n) {
        return new Src(file, n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1);
    }

    private void problem(Node n, String message) {
        problems.add(src(n) + ": " + message);
    }

    private Catalog read(String text) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            var m = e.getProblemMark();
            throw new CatalogException(List.of(file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": "
                    + e.getProblem() + (e.getContext() != null ? " (" + e.getContext() + ")" : "")));
        }
        if (root == null) {
            throw new CatalogException(List.of(file + ":1:1: the catalog is empty; it needs switch, devices and services"));
        }
        Map<String, Node> top = map(root, "the catalog", Set.of("switch", "devices", "services"));
        SwitchInfo sw = null;
        if (top.containsKey("switch")) {
            sw = switchInfo(top.get("switch"));
        } else {
            problem(root, "missing 'switch' (the switch's mac and its uplinks)");
        }
        Map<String, Device> devices = new LinkedHashMap<>();
        if (top.containsKey("devices")) {
            for (Map.Entry<String, Node> e : map(top.get("devices"), "devices", null).entrySet()) {
                Device d = device(e.getKey(), e.getValue());
                if (d != null) {
                    devices.put(d.id(), d);
                }
            }
        }
        Map<String, Service> services = new LinkedHashMap<>();
        if (top.containsKey("services")) {
            for (Map.Entry<String, Node> e : map(top.get("services"), "services", null).entrySet()) {
                Service s = service(e.getKey(), e.getValue());
                if (s != null) {
                    services.put(s.name(), s);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new Catalog(sw, devices, services);
    }

    // ------------------------------------------------------------------ structure helpers

    /** A mapping's entries by key; {@code allowed} (null: any) lists the keys it may have. */
    private Map<String, Node> map(Node n, String what, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        if (!(n instanceof MappingNode m)) {
            problem(n, what + " must be a mapping (key: value lines)");
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(t.getKeyNode(), "keys in " + what + " must be plain names");
                continue;
            }
            if (allowed != null && !allowed.contains(k.getValue())) {
                problem(k, "unknown key '" + k.getValue() + "' in " + what + "; expected one of "
                        + new java.util.TreeSet<>(allowed));
                continue;
            }
            out.put(k.getValue(), t.getValueNode());
        }
        return out;
    }

    private String string(Map<String, Node> m, String key, Node owner, String what, boolean required) {
        Node n = m.get(key);
        if (n == null) {
            if (required) {
                problem(owner, what + " needs '" + key + "'");
            }
            return null;
        }
        if (!(n instanceof ScalarNode s)) {
            problem(n, "'" + key + "' of " + what + " must be a single value");
            return null;
        }
        return s.getValue();
    }

    private Integer integer(Map<String, Node> m, String key, Node owner, String what, boolean required, int min,
                            int max) {
        String v = string(m, key, owner, what, required);
        if (v == null) {
            return null;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                problem(m.get(key), "'" + key + "' of " + what + " must be " + min + ".." + max + ", not " + i);
                return null;
            }
            return i;
        } catch (NumberFormatException e) {
            problem(m.get(key), "'" + key + "' of " + what + " must be a whole number, not '" + v + "'");
            return null;
        }
    }

    private Mac mac(Map<String, Node> m, String key, Node owner, String what) {
        String v = string(m, key, owner, what, true);
        if (v == null) {
            return null;
        }
        try {
            return Mac.parse(v);
        } catch (IllegalArgumentException e) {
            problem(m.get(key), "'" + key + "' of " + what + ": " + e.getMessage());
            return null;
        }
    }

    private Ipv4 ip(Map<String, Node> m, String key, Node owner, String what, boolean required) {
        String v = string(m, key, owner, what, required);
        if (v == null) {
            return null;
        }
        try {
            return Ipv4.parse(v);
        } catch (IllegalArgumentException e) {
            problem(m.get(key), "'" + key + "' of " + what + ": " + e.getMessage());
            return null;
        }
    }

    private <E extends Enum<E>> E choice(Map<String, Node> m, String key, Node owner, String what, Class<E> type,
                                         E dflt) {
        String v = string(m, key, owner, what, false);
        if (v == null) {
            return dflt;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase());
        }
        problem(m.get(key), "'" + key + "' of " + what + " must be one of " + names + ", not '" + v + "'");
        return dflt;
    }

    // ------------------------------------------------------------------ sections

    private SwitchInfo switchInfo(Node n) {
        Map<String, Node> m = map(n, "switch", Set.of("mac", "uplinks"));
        Mac mac = mac(m, "mac", n, "switch");
        List<Uplink> uplinks = new ArrayList<>();
        Node ul = m.get("uplinks");
        if (ul == null) {
            problem(n, "switch needs 'uplinks': at least one {name, port, router-mac}");
        } else if (!(ul instanceof SequenceNode seq)) {
            problem(ul, "'uplinks' must be a list of {name, port, router-mac}");
        } else {
            for (Node u : seq.getValue()) {
                Map<String, Node> um = map(u, "an uplink", Set.of("name", "port", "router-mac"));
                String name = string(um, "name", u, "an uplink", true);
                Integer port = integer(um, "port", u, "uplink " + name, true, 0, 510);
                Mac router = mac(um, "router-mac", u, "uplink " + name);
                if (name != null && port != null && router != null) {
                    uplinks.add(new Uplink(name, port, router, src(u)));
                }
            }
        }
        return new SwitchInfo(mac, List.copyOf(uplinks), src(n));
    }

    private static final Set<String> DEVICE_KEYS = Set.of("function", "vendor", "model", "mode", "tag", "ip", "port",
            "mac", "outside", "inside", "failure");

    private Device device(String id, Node n) {
        String what = "device " + id;
        Map<String, Node> m = map(n, what, DEVICE_KEYS);
        String function = string(m, "function", n, what, true);
        Mode mode = choice(m, "mode", n, what, Mode.class, Mode.L2);
        TagMode tag = choice(m, "tag", n, what, TagMode.class, TagMode.DSCP);
        FailurePolicy failure = choice(m, "failure", n, what, FailurePolicy.class, FailurePolicy.DROP);
        Ipv4 ip = ip(m, "ip", n, what, false);
        Attachment outside;
        Attachment inside;
        if (m.containsKey("outside") || m.containsKey("inside")) {
            if (m.containsKey("port") || m.containsKey("mac")) {
                problem(n, what + ": give either port and mac (one-port device) or outside and inside (two-port), "
                        + "not both");
            }
            outside = attachment(m, "outside", n, what);
            inside = attachment(m, "inside", n, what);
        } else {
            Integer port = integer(m, "port", n, what, true, 0, 510);
            Mac mac = mac(m, "mac", n, what);
            outside = port == null || mac == null ? null : new Attachment(port, mac, src(m.get("port")));
            inside = outside;
        }
        if (function == null || outside == null || inside == null) {
            return null;
        }
        return new Device(id, function, string(m, "vendor", n, what, false), string(m, "model", n, what, false), mode,
                tag, ip, outside, inside, failure, src(n));
    }

    private Attachment attachment(Map<String, Node> m, String side, Node owner, String what) {
        Node n = m.get(side);
        if (n == null) {
            problem(owner, what + " is a two-port device: it needs both 'outside' and 'inside' ({port, mac})");
            return null;
        }
        Map<String, Node> am = map(n, what + " " + side, Set.of("port", "mac"));
        Integer port = integer(am, "port", n, what + " " + side, true, 0, 510);
        Mac mac = mac(am, "mac", n, what + " " + side);
        return port == null || mac == null ? null : new Attachment(port, mac, src(n));
    }

    private static final Set<String> SERVICE_KEYS = Set.of("tenant", "address", "from", "dscp", "sequence", "rate");

    private Service service(String name, Node n) {
        String what = "service " + name;
        Map<String, Node> m = map(n, what, SERVICE_KEYS);
        Address address = null;
        if (m.containsKey("address")) {
            address = address(m.get("address"), what);
        } else {
            problem(n, what + " needs 'address': {ip, protocol, port}");
        }
        Integer dscp = integer(m, "dscp", n, what, false, 0, 63);
        List<Step> steps = new ArrayList<>();
        Node seq = m.get("sequence");
        if (seq == null) {
            problem(n, what + " needs 'sequence': the devices its packets go through, in order");
        } else if (!(seq instanceof SequenceNode list) || list.getValue().isEmpty()) {
            problem(seq, "'sequence' of " + what + " must be a non-empty list of devices");
        } else {
            for (Node s : list.getValue()) {
                Step st = step(s, what);
                if (st != null) {
                    steps.add(st);
                }
            }
        }
        Rate rate = null;
        if (m.containsKey("rate")) {
            Node r = m.get("rate");
            Map<String, Node> rm = map(r, "rate of " + what, Set.of("pps", "burst"));
            Integer pps = integer(rm, "pps", r, "rate of " + what, true, 1, Integer.MAX_VALUE);
            Integer burst = integer(rm, "burst", r, "rate of " + what, false, 1, Integer.MAX_VALUE);
            if (pps != null) {
                rate = new Rate(pps, burst == null ? Math.max(1, pps / 10) : burst, src(r));
            }
        }
        if (address == null || (seq != null && steps.isEmpty())) {
            return null;
        }
        return new Service(name, string(m, "tenant", n, what, false), address, string(m, "from", n, what, false),
                dscp == null ? 0 : dscp, List.copyOf(steps), rate, src(n));
    }

    private Address address(Node n, String what) {
        Map<String, Node> m = map(n, "address of " + what, Set.of("ip", "protocol", "port", "dynamic-ports"));
        Ipv4 ip = ip(m, "ip", n, "address of " + what, true);
        Protocol proto = choice(m, "protocol", n, "address of " + what, Protocol.class, Protocol.TCP);
        Integer port = integer(m, "port", n, "address of " + what, true, 1, 65535);
        PortRange range = null;
        String r = string(m, "dynamic-ports", n, "address of " + what, false);
        if (r != null) {
            String[] parts = r.split("-");
            try {
                int lo = Integer.parseInt(parts[0].trim());
                int hi = Integer.parseInt(parts[1].trim());
                if (parts.length != 2 || lo < 1 || hi > 65535 || lo > hi) {
                    throw new NumberFormatException();
                }
                range = new PortRange(lo, hi, src(m.get("dynamic-ports")));
            } catch (RuntimeException e) {
                problem(m.get("dynamic-ports"), "'dynamic-ports' of " + what + " must be LOW-HIGH with "
                        + "1 <= LOW <= HIGH <= 65535, e.g. 1025-1125; not '" + r + "'");
            }
        }
        return ip == null || port == null ? null : new Address(ip, proto, port, range, src(n));
    }

    private Step step(Node n, String what) {
        if (n instanceof ScalarNode s) {
            return new Step(s.getValue(), List.of(), null, src(n));
        }
        Map<String, Node> m = map(n, "a step of " + what, Set.of("device", "copy-to", "port"));
        String device = string(m, "device", n, "a step of " + what, true);
        List<String> copies = new ArrayList<>();
        Node c = m.get("copy-to");
        if (c instanceof SequenceNode cs) {
            for (Node x : cs.getValue()) {
                if (x instanceof ScalarNode xs) {
                    copies.add(xs.getValue());
                } else {
                    problem(x, "'copy-to' lists device names");
                }
            }
        } else if (c instanceof ScalarNode cs) {
            copies.add(cs.getValue());
        } else if (c != null) {
            problem(c, "'copy-to' lists device names, e.g. [ids-1]");
        }
        Integer port = integer(m, "port", n, "a step of " + what, false, 1, 65535);
        return device == null ? null : new Step(device, List.copyOf(copies), port, src(n));
    }
}
