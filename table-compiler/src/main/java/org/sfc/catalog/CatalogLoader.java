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
    /** The largest catalog read: 256 Mi characters (millions of services). */
    static final int MAX_CODE_POINTS = 256 * 1024 * 1024;

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

    /** The YAML node tree of a catalog's text (with positions), as every reader of catalog text parses it. */
    static Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        // SnakeYAML's default stops at 3 MiB; a catalog of 100k services is about 10 MiB.
        options.setCodePointLimit(MAX_CODE_POINTS);
        return new Yaml(options).compose(new StringReader(text));
    }

    /** As {@link #compose(String)}, a YAML error becoming a problem located in {@code file} (null: empty text). */
    static Node compose(String file, String text) {
        try {
            return compose(text);
        } catch (MarkedYAMLException e) {
            var m = e.getProblemMark();
            throw new CatalogException(List.of(file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) + ": "
                    + e.getProblem() + (e.getContext() != null ? " (" + e.getContext() + ")" : "")));
        } catch (org.yaml.snakeyaml.reader.ReaderException e) {
            // A character YAML does not allow (a NUL, a control character): located by its code point index.
            int[] at = lineAndColumn(text, e.getPosition());
            throw new CatalogException(List.of(file + ":" + at[0] + ":" + at[1] + ": special character 0x"
                    + Integer.toHexString(e.getCodePoint()) + " is not allowed in YAML; remove it"));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new CatalogException(List.of(file + ":1:1: " + e.getMessage()));
        }
    }

    /** Line and column (from 1) of the code point at {@code index}. */
    private static int[] lineAndColumn(String text, int index) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int cp = 0; cp < index && i < text.length(); cp++) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
            i += Character.charCount(text.codePointAt(i));
        }
        return new int[] {line, column};
    }

    private Catalog read(String text) {
        Node root = compose(file, text);
        if (root == null) {
            throw new CatalogException(List.of(file + ":1:1: the catalog is empty; it needs switch, devices and services"));
        }
        Map<String, Node> top = map(root, "the catalog", Set.of("switch", "devices", "pools", "groups", "packages",
                "service-ip-pools", "tenants", "services", "bypassable-functions"));
        bypassable = Set.copyOf(names(top, "bypassable-functions", "the catalog"));
        SwitchInfo sw = null;
        if (top.containsKey("switch")) {
            sw = switchInfo(top.get("switch"));
        } else {
            problem(root, "missing 'switch' (the switch's mac and its uplinks)");
        }
        Map<String, Device> devices = section(top, "devices", this::device);
        devicesRead = devices;
        Map<String, Pool> pools = section(top, "pools", this::pool);
        Map<String, Group> groups = section(top, "groups", this::group);
        Map<String, ServicePackage> packages = section(top, "packages", this::servicePackage);
        Map<String, IpPool> ipPools = section(top, "service-ip-pools", this::ipPool);
        Map<String, Tenant> tenants = section(top, "tenants", this::tenant);
        Map<String, Service> services = section(top, "services", this::service);
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new Catalog(sw, devices, pools, groups, packages, ipPools, tenants, services);
    }

    /** A top-level mapping of named things; entries that fail to read are left out (their problems are kept). */
    private <T> Map<String, T> section(Map<String, Node> top, String key, java.util.function.BiFunction<String, Node, T> read) {
        Map<String, T> out = new LinkedHashMap<>();
        if (top.containsKey(key)) {
            for (Map.Entry<String, Node> e : map(top.get(key), key, null).entrySet()) {
                T t = read.apply(e.getKey(), e.getValue());
                if (t != null) {
                    out.put(e.getKey(), t);
                }
            }
        }
        return out;
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
            Node before = out.put(k.getValue(), t.getValueNode());
            if (before != null) { // YAML would quietly keep the last one
                problem(k, "'" + k.getValue() + "' is given twice in " + what + " (also at line "
                        + (before.getStartMark().getLine() + 1) + "); keep one");
            }
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

    /** A name or a list of names (an empty list when the key is absent). */
    private List<String> names(Map<String, Node> m, String key, String what) {
        Node n = m.get(key);
        List<String> out = new ArrayList<>();
        if (n instanceof ScalarNode s) {
            out.add(s.getValue());
        } else if (n instanceof SequenceNode seq) {
            for (Node x : seq.getValue()) {
                if (x instanceof ScalarNode xs) {
                    out.add(xs.getValue());
                } else {
                    problem(x, "'" + key + "' of " + what + " lists names, e.g. [a, b]");
                }
            }
        } else if (n != null) {
            problem(n, "'" + key + "' of " + what + " lists names, e.g. [a, b]");
        }
        return List.copyOf(out);
    }

    /** A port or a port range LOW-HIGH. */
    private PortRange portRange(Map<String, Node> m, String key, String what, int min) {
        Node n = m.get(key);
        if (n == null) {
            return null;
        }
        String r = n instanceof ScalarNode sn ? sn.getValue().trim() : "";
        try {
            String[] parts = r.split("-", -1);
            int lo = Integer.parseInt(parts[0].trim());
            int hi = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : lo;
            if (parts.length > 2 || lo < min || hi > 65535 || lo > hi) {
                throw new NumberFormatException();
            }
            return new PortRange(lo, hi, src(n));
        } catch (RuntimeException e) {
            problem(n, "'" + key + "' of " + what + " must be a port or LOW-HIGH with " + min
                    + " <= LOW <= HIGH <= 65535, e.g. 1025-1125; not '" + r + "'");
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

    /** {pps, burst}: packets a second, and how many may come at once (default a tenth of a second's worth). */
    private Rate rate(Node r, String what) {
        String key = what.equals("switch") ? "punt-rate of switch" : "rate of " + what;
        return rate(map(r, key, Set.of("pps", "burst")), r, key);
    }

    /** The pps and burst of {@code m} (of node {@code r}, named {@code key} in problems); null if pps is bad. */
    private Rate rate(Map<String, Node> m, Node r, String key) {
        Integer pps = integer(m, "pps", r, key, true, 1, Integer.MAX_VALUE);
        Integer burst = integer(m, "burst", r, key, false, 1, Integer.MAX_VALUE);
        return pps == null ? null : new Rate(pps, burst == null ? Math.max(1, pps / 10) : burst, src(r));
    }

    private SwitchInfo switchInfo(Node n) {
        Map<String, Node> m = map(n, "switch", Set.of("mac", "ip", "uplinks", "ports", "probe-ip", "punt-rate",
                "port-limits"));
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
        List<PortRange> ports = new ArrayList<>();
        Node pn = m.get("ports");
        List<Node> items = pn instanceof SequenceNode ps ? ps.getValue() : pn == null ? List.of() : List.of(pn);
        for (Node item : items) {
            PortRange r = portRange(Map.of("ports", item), "ports", "switch", 0);
            if (r != null && r.high() > 510) {
                problem(item, "'ports' of switch: " + r + " goes beyond 510, the last port a v1model switch can have");
            } else if (r != null) {
                ports.add(r);
            }
        }
        Ipv4 probe = ip(m, "probe-ip", n, "switch", false);
        Rate punt = m.containsKey("punt-rate") ? rate(m.get("punt-rate"), "switch") : null;
        return new SwitchInfo(mac, ip(m, "ip", n, "switch", false), List.copyOf(uplinks), List.copyOf(ports),
                probe != null ? probe : SwitchInfo.DEFAULT_PROBE_IP, punt != null ? punt : SwitchInfo.DEFAULT_PUNT_RATE,
                portLimits(m.get("port-limits")), src(n));
    }

    /** [{port, pps, burst}]: ports whose ingress is limited (optional). */
    private List<PortLimit> portLimits(Node n) {
        List<PortLimit> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof SequenceNode seq)) {
            problem(n, "'port-limits' of switch must be a list of {port, pps, burst}");
            return out;
        }
        for (Node item : seq.getValue()) {
            Map<String, Node> lm = map(item, "a port limit", Set.of("port", "pps", "burst"));
            Integer port = integer(lm, "port", item, "a port limit", true, 0, 510);
            if (port == null) {
                continue;
            }
            Rate rate = rate(lm, item, "the limit of port " + port);
            if (rate != null) {
                out.add(new PortLimit(port, rate, src(item)));
            }
        }
        return List.copyOf(out);
    }

    /** Functions whose devices may be bypassed when they fail with no spare left (else they drop). */
    private Set<String> bypassable = Set.of();
    private Map<String, Device> devicesRead = Map.of();

    private static final Set<String> DEVICE_KEYS = Set.of("function", "vendor", "model", "mode", "tag", "ip", "port",
            "mac", "outside", "inside", "failure", "health");

    private Device device(String id, Node n) {
        String what = "device " + id;
        Map<String, Node> m = map(n, what, DEVICE_KEYS);
        String function = string(m, "function", n, what, true);
        Mode mode = choice(m, "mode", n, what, Mode.class, Mode.L2);
        TagMode tag = choice(m, "tag", n, what, TagMode.class, TagMode.DSCP);
        FailurePolicy fallback = function != null && bypassable.contains(function) ? FailurePolicy.BYPASS
                : FailurePolicy.DROP;
        FailurePolicy failure = FailurePolicy.DROP;
        if (m.get("failure") instanceof MappingNode fm) {
            // {policy: spare, fallback: drop}: what happens when no healthy spare is free.
            Map<String, Node> f = map(fm, what + " failure", Set.of("policy", "fallback"));
            failure = choice(f, "policy", fm, what + " failure", FailurePolicy.class, FailurePolicy.DROP);
            if (f.containsKey("fallback")) {
                fallback = choice(f, "fallback", fm, what + " failure", FailurePolicy.class, fallback);
                if (fallback == FailurePolicy.SPARE) {
                    problem(f.get("fallback"), "'fallback' of " + what + " must be drop or bypass: what its step does "
                            + "when no healthy spare is free");
                    fallback = FailurePolicy.DROP;
                } else if (failure != FailurePolicy.SPARE) {
                    problem(f.get("fallback"), "'fallback' of " + what + " applies to policy spare only (its policy is "
                            + failure.name().toLowerCase() + ")");
                }
            }
        } else {
            failure = choice(m, "failure", n, what, FailurePolicy.class, FailurePolicy.DROP);
        }
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
        Health health = health(m.get("health"), what);
        return new Device(id, function, string(m, "vendor", n, what, false), string(m, "model", n, what, false), mode,
                tag, ip, outside, inside, failure, fallback, health, src(n));
    }

    private Health health(Node n, String device) {
        if (n == null) {
            return Health.DEFAULT;
        }
        String what = device + " health";
        Map<String, Node> m = map(n, what, Set.of("interval-ms", "misses", "hold-down-ms", "failback", "probe",
                "probe-port", "syn-retries"));
        Health d = Health.DEFAULT;
        Integer interval = integer(m, "interval-ms", n, what, false, 10, 60_000);
        Integer misses = integer(m, "misses", n, what, false, 1, 100);
        Integer holdDown = integer(m, "hold-down-ms", n, what, false, 0, 3_600_000);
        Integer port = integer(m, "probe-port", n, what, false, 1, 65535);
        Integer synRetries = integer(m, "syn-retries", n, what, false, 0, 100);
        return new Health(interval != null ? interval : d.intervalMs(), misses != null ? misses : d.misses(),
                holdDown != null ? holdDown : d.holdDownMs(), choice(m, "failback", n, what, Failback.class, d.failback()),
                choice(m, "probe", n, what, Probe.class, d.probe()), port, synRetries != null ? synRetries : 0);
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

    private Pool pool(String name, Node n) {
        String what = "pool " + name;
        Map<String, Node> m = map(n, what, Set.of("function", "vendor", "model", "members", "spares"));
        String function = string(m, "function", n, what, true);
        List<String> members = names(m, "members", what);
        if (members.isEmpty()) {
            problem(n, what + " needs 'members': the devices that carry traffic, e.g. [fw-1, fw-2]");
        }
        return function == null ? null : new Pool(name, function, string(m, "vendor", n, what, false),
                string(m, "model", n, what, false), members, names(m, "spares", what), src(n));
    }

    private Group group(String name, Node n) {
        String what = "group " + name;
        Map<String, Node> m = map(n, what, Set.of("members", "failure"));
        List<String> members = names(m, "members", what);
        if (members.size() < 2) {
            problem(n, what + " needs 'members': at least two identical devices sharing the load");
            return null;
        }
        // When every member has failed: drop, unless the members' function is bypassable.
        boolean bypassableMembers = members.stream().map(devicesRead::get)
                .allMatch(d -> d != null && bypassable.contains(d.function()));
        FailurePolicy failure = choice(m, "failure", n, what, FailurePolicy.class,
                bypassableMembers ? FailurePolicy.BYPASS : FailurePolicy.DROP);
        if (failure == FailurePolicy.SPARE) {
            problem(m.get("failure"), "'failure' of " + what + " must be drop or bypass: what the step does when every "
                    + "member has failed (a group has no spares)");
            failure = FailurePolicy.DROP;
        }
        return new Group(name, members, failure, src(n));
    }

    private ServicePackage servicePackage(String name, Node n) {
        String what = "package " + name;
        Map<String, Node> m = map(n, what, Set.of("functions"));
        List<String> functions = names(m, "functions", what);
        if (functions.isEmpty()) {
            problem(n, what + " needs 'functions': the template order, e.g. [firewall, ids, server]");
            return null;
        }
        return new ServicePackage(name, functions, src(n));
    }

    private IpPool ipPool(String name, Node n) {
        String what = "service-ip pool " + name;
        Map<String, Node> m = map(n, what, Set.of("first", "last"));
        Ipv4 first = ip(m, "first", n, what, true);
        Ipv4 last = ip(m, "last", n, what, true);
        if (first == null || last == null) {
            return null;
        }
        if (last.value() < first.value()) {
            problem(n, what + ": 'last' (" + last + ") comes before 'first' (" + first + ")");
            return null;
        }
        return new IpPool(name, first, last, src(n));
    }

    private Tenant tenant(String name, Node n) {
        String what = "tenant " + name;
        Map<String, Node> m = map(n, what, Set.of("may-change"));
        java.util.EnumSet<Permission> may = java.util.EnumSet.noneOf(Permission.class);
        for (String p : names(m, "may-change", what)) {
            try {
                may.add(Permission.valueOf(p.toUpperCase()));
            } catch (IllegalArgumentException e) {
                problem(m.get("may-change"), "'may-change' of " + what + ": '" + p + "' is not one of "
                        + java.util.Arrays.stream(Permission.values()).map(x -> x.name().toLowerCase()).toList());
            }
        }
        return new Tenant(name, java.util.Collections.unmodifiableSet(may), src(n));
    }

    private static final Set<String> SERVICE_KEYS = Set.of("tenant", "address", "clients", "from", "exit", "dscp",
            "sequence", "package", "choose", "order", "rate", "acl");

    private Service service(String name, Node n) {
        String what = "service " + name;
        Map<String, Node> m = map(n, what, SERVICE_KEYS);
        Address address = null;
        Clients clients = null;
        if (m.containsKey("address") && m.containsKey("clients")) {
            problem(n, what + ": give 'address' (chosen by destination) or 'clients' (chosen by source), not both");
        } else if (m.containsKey("address")) {
            address = address(m.get("address"), what);
        } else if (m.containsKey("clients")) {
            clients = clients(m.get("clients"), what);
        } else {
            problem(n, what + " needs 'address': {ip, protocol, port} (or 'clients' for a source-keyed service)");
        }
        Integer dscp = integer(m, "dscp", n, what, false, 0, 63);
        List<Step> steps = new ArrayList<>();
        Node seq = m.get("sequence");
        PackageUse pkg = null;
        if (m.containsKey("package")) {
            if (seq != null) {
                problem(seq, what + ": give 'sequence' or 'package', not both");
            }
            pkg = packageUse(m, n, what);
        } else if (seq == null) {
            problem(n, what + " needs 'sequence': the devices its packets go through, in order (or a 'package')");
        } else if (!(seq instanceof SequenceNode list) || list.getValue().isEmpty()) {
            problem(seq, "'sequence' of " + what + " must be a non-empty list of devices");
        } else {
            for (Node st : list.getValue()) {
                Step step = step(st, what);
                if (step != null) {
                    steps.add(step);
                }
            }
        }
        if (pkg == null && (m.containsKey("choose") || m.containsKey("order"))) {
            problem(m.containsKey("choose") ? m.get("choose") : m.get("order"),
                    what + ": 'choose' and 'order' go with a 'package'");
        }
        Rate rate = m.containsKey("rate") ? rate(m.get("rate"), what) : null;
        Acl acl = m.containsKey("acl") ? acl(m.get("acl"), what) : null;
        if ((address == null && clients == null) || (pkg == null && steps.isEmpty())) {
            return null;
        }
        return new Service(name, string(m, "tenant", n, what, false), address, clients,
                string(m, "from", n, what, false), string(m, "exit", n, what, false), dscp == null ? 0 : dscp,
                List.copyOf(steps), pkg, rate, acl, src(n));
    }

    private PackageUse packageUse(Map<String, Node> m, Node owner, String what) {
        String name = string(m, "package", owner, what, true);
        Map<String, String> choose = new LinkedHashMap<>();
        if (m.containsKey("choose")) {
            Map<String, Node> cm = map(m.get("choose"), "'choose' of " + what, null);
            for (String function : cm.keySet()) {
                String v = string(cm, function, m.get("choose"), "'choose' of " + what, true);
                if (v != null) {
                    choose.put(function, v);
                }
            }
        }
        List<String> order = names(m, "order", what);
        return name == null ? null : new PackageUse(name, java.util.Collections.unmodifiableMap(choose), order,
                src(m.get("package")));
    }

    private Clients clients(Node n, String what) {
        Map<String, Node> m = map(n, "clients of " + what, Set.of("ip", "protocol"));
        List<Ipv4> ips = new ArrayList<>();
        for (String ip : names(m, "ip", "clients of " + what)) {
            try {
                ips.add(Ipv4.parse(ip));
            } catch (IllegalArgumentException e) {
                problem(m.get("ip"), "'ip' of clients of " + what + ": " + e.getMessage());
            }
        }
        if (!m.containsKey("ip")) {
            problem(n, "clients of " + what + " need 'ip': the client addresses that choose this chain");
        }
        List<Protocol> protocols = new ArrayList<>();
        for (String p : names(m, "protocol", "clients of " + what)) {
            try {
                protocols.add(Protocol.valueOf(p.toUpperCase()));
            } catch (IllegalArgumentException e) {
                problem(m.get("protocol"), "'protocol' of clients of " + what + " must be tcp or udp, not '" + p + "'");
            }
        }
        return ips.isEmpty() ? null : new Clients(List.copyOf(ips),
                protocols.isEmpty() ? List.of(Protocol.TCP, Protocol.UDP) : List.copyOf(protocols), src(n));
    }

    private Acl acl(Node n, String what) {
        Map<String, Node> m = map(n, "acl of " + what, Set.of("rules", "default"));
        Verdict dflt = choice(m, "default", n, "acl of " + what, Verdict.class, Verdict.PERMIT);
        List<AclRule> rules = new ArrayList<>();
        Node r = m.get("rules");
        if (r instanceof SequenceNode seq) {
            for (Node x : seq.getValue()) {
                String rw = "a rule of the acl of " + what;
                Map<String, Node> rm = map(x, rw, Set.of("action", "source", "source-ports", "ports"));
                if (!rm.containsKey("action")) {
                    problem(x, rw + " needs 'action': permit or deny");
                    continue;
                }
                Verdict action = choice(rm, "action", x, rw, Verdict.class, null);
                Cidr source = cidr(rm, "source", rw);
                PortRange sports = portRange(rm, "source-ports", rw, 0);
                PortRange dports = portRange(rm, "ports", rw, 0);
                if (action != null) {
                    rules.add(new AclRule(action, source, sports, dports, src(x)));
                }
            }
        } else if (r != null) {
            problem(r, "'rules' of the acl of " + what + " must be a list of {action, source, source-ports, ports}");
        }
        return new Acl(List.copyOf(rules), dflt, src(n));
    }

    private Cidr cidr(Map<String, Node> m, String key, String what) {
        String v = string(m, key, null, what, false);
        if (v == null) {
            return null;
        }
        String[] parts = v.split("/", -1);
        try {
            Ipv4 ip = Ipv4.parse(parts[0].trim());
            int len = parts.length == 1 ? 32 : Integer.parseInt(parts[1].trim());
            if (parts.length > 2 || len < 0 || len > 32) {
                throw new IllegalArgumentException();
            }
            Cidr c = new Cidr(ip, len);
            if ((ip.value() & ~c.mask() & 0xFFFFFFFFL) != 0) {
                problem(m.get(key), "'" + key + "' of " + what + ": " + v + " has bits set beyond its /" + len
                        + " prefix; write " + new Cidr(new Ipv4(ip.value() & c.mask()), len));
                return null;
            }
            return c;
        } catch (IllegalArgumentException e) {
            problem(m.get(key), "'" + key + "' of " + what + " must be an address or prefix like 198.51.100.0/24, "
                    + "not '" + v + "'");
            return null;
        }
    }

    private Address address(Node n, String what) {
        String aw = "address of " + what;
        Map<String, Node> m = map(n, aw, Set.of("ip", "ip-pool", "protocol", "port", "dynamic-ports"));
        Ipv4 ip = null;
        String pool = string(m, "ip-pool", n, aw, false);
        if (pool != null && m.containsKey("ip")) {
            problem(n, aw + ": give 'ip' or 'ip-pool', not both");
        } else if (pool == null) {
            ip = ip(m, "ip", n, aw, true);
        }
        Protocol proto = choice(m, "protocol", n, aw, Protocol.class, Protocol.TCP);
        PortRange ports = portRange(m, "port", aw, 1);
        if (!m.containsKey("port")) {
            problem(n, aw + " needs 'port': the service port (or a range LOW-HIGH)");
        }
        PortRange range = portRange(m, "dynamic-ports", aw, 1);
        if (range != null && ports != null && ports.low() != ports.high()) {
            problem(m.get("dynamic-ports"), aw + ": only a single service port owns dynamic ports; the service's "
                    + "port is already the range " + ports);
        }
        return (ip == null && pool == null) || ports == null ? null
                : new Address(ip, pool, proto, ports.low(), ports.high(), range, src(n));
    }

    private Step step(Node n, String what) {
        if (n instanceof ScalarNode s) {
            return new Step(s.getValue(), List.of(), null, src(n));
        }
        Map<String, Node> m = map(n, "a step of " + what, Set.of("device", "copy-to", "port"));
        String device = string(m, "device", n, "a step of " + what, true); // a device, pool or group
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
