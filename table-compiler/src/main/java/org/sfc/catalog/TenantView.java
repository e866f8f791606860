package org.sfc.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A tenant's view of a catalog (seed ¶137, ¶151: to the customer the shared switch looks like its own
 * firewall): only its services, as the operator's YAML has them (comments and layout kept), under
 * {@code services:}. A view posted back is merged into the catalog: the tenant's services are replaced by the
 * view's, services it left out are removed, new ones are added; the operator's text is untouched. Problems
 * found in the merged catalog are located in the view where they come from it.
 */
public final class TenantView {
    private static final Pattern LOCATED = Pattern.compile("^(.*?):(\\d+):(\\d+): (.*)$", Pattern.DOTALL);

    private TenantView() {}

    /** Tenant {@code tenant}'s services of {@code text} (the catalog {@code file}), as a view. */
    public static String extract(String file, String text, String tenant) {
        Catalog catalog = CatalogLoader.loadText(file, text);
        List<String> lines = text.lines().toList();
        StringBuilder b = new StringBuilder("# The services of tenant ").append(tenant).append(" (").append(file)
                .append("). Edit them and post this file back ('sfc catalog apply FILE --controller URL'):\n")
                .append("# a service left out is removed, a new one is added. The rest of the catalog is the operator's.\n");
        List<String> own = new ArrayList<>();
        for (Block blk : blocks(file, lines, CatalogLoader.compose(file, text)).values()) {
            Catalog.Service s = catalog.services().get(blk.name());
            if (s != null && tenant.equals(s.tenant())) {
                own.add(String.join("\n", lines.subList(blk.from(), blk.to())));
            }
        }
        return b.append(own.isEmpty() ? "services: {}\n" : "services:\n" + String.join("\n", own) + "\n").toString();
    }

    /**
     * The catalog {@code text} with tenant {@code tenant}'s services replaced by those of {@code view}. Throws a
     * {@link CatalogException} located in {@code viewFile} for a view that is not YAML or holds more than services.
     * Whether the tenant may make the change is {@link TenantPolicy}'s to say, on the merged catalog.
     */
    public static Merged merge(String file, String text, String viewFile, String view, String tenant) {
        List<String> viewLines = view.lines().toList();
        Map<String, Block> posted = viewBlocks(viewFile, view, viewLines);
        Catalog catalog = CatalogLoader.loadText(file, text);
        List<String> lines = text.lines().toList();
        Map<String, Block> current = blocks(file, lines, CatalogLoader.compose(file, text));
        int indent = current.isEmpty() ? 2 : current.values().iterator().next().indent();
        List<String> out = new ArrayList<>();
        List<int[]> origin = new ArrayList<>(); // per output line: {0, base line} or {1, view line, column shift}
        int next = 0;
        for (Block blk : current.values()) {
            copy(lines, next, blk.from(), out, origin);
            Catalog.Service s = catalog.services().get(blk.name());
            Block replacement = posted.get(blk.name());
            if (replacement != null) {
                insert(viewLines, replacement, indent, out, origin);
            } else if (s == null || !tenant.equals(s.tenant())) {
                copy(lines, blk.from(), blk.to(), out, origin);
            } // else: the tenant's service, left out of its view: removed
            next = blk.to();
        }
        if (current.isEmpty()) { // no service yet: new ones go under a 'services:' of their own
            int key = servicesKeyLine(lines);
            copy(lines, 0, key < 0 ? lines.size() : key, out, origin);
            out.add("services:");
            origin.add(new int[] {0, key + 1, 0});
            next = key < 0 ? lines.size() : key + 1;
        }
        for (Block blk : posted.values()) {
            if (!current.containsKey(blk.name())) {
                insert(viewLines, blk, indent, out, origin);
            }
        }
        copy(lines, next, lines.size(), out, origin);
        return new Merged(file, viewFile, String.join("\n", out) + "\n", origin);
    }

    /** A merged catalog, and where each of its lines came from. */
    public static final class Merged {
        private final String file;
        private final String viewFile;
        private final String text;
        private final List<int[]> origin;

        private Merged(String file, String viewFile, String text, List<int[]> origin) {
            this.file = file;
            this.viewFile = viewFile;
            this.text = text;
            this.origin = origin;
        }

        public String text() {
            return text;
        }

        /**
         * {@code e} with each problem located in the merged catalog moved to where the tenant can see it: the line
         * of its view, or, for the operator's part, the catalog's name without a line.
         */
        public CatalogException relocate(CatalogException e) {
            List<String> out = new ArrayList<>();
            for (String p : e.problems()) {
                Matcher m = LOCATED.matcher(p);
                if (!m.matches() || !m.group(1).equals(file)) {
                    out.add(p);
                    continue;
                }
                int line = Integer.parseInt(m.group(2));
                int[] o = line >= 1 && line <= origin.size() ? origin.get(line - 1) : null;
                if (o != null && o[0] == 1) {
                    out.add(viewFile + ":" + o[1] + ":" + Math.max(1, Integer.parseInt(m.group(3)) - o[2]) + ": "
                            + m.group(4));
                } else {
                    out.add("the operator's part of the catalog (" + file + "): " + m.group(4));
                }
            }
            return e instanceof TenantPolicy.Refused ? new TenantPolicy.Refused(out) : new CatalogException(out);
        }
    }

    /** One service's lines [from, to) (its comments above it included, trailing blank lines not), its key's column. */
    private record Block(String name, int from, int to, int indent) {}

    private static void copy(List<String> lines, int from, int to, List<String> out, List<int[]> origin) {
        for (int i = from; i < to; i++) {
            out.add(lines.get(i));
            origin.add(new int[] {0, i + 1, 0});
        }
    }

    /** A posted block, re-indented to the catalog's services (the line map keeps the view's columns). */
    private static void insert(List<String> viewLines, Block blk, int indent, List<String> out, List<int[]> origin) {
        int shift = indent - blk.indent();
        for (int i = blk.from(); i < blk.to(); i++) {
            String l = viewLines.get(i);
            int lead = l.length() - l.stripLeading().length();
            boolean moves = !l.isBlank() && lead >= blk.indent();
            out.add(moves ? " ".repeat(lead + shift) + l.substring(lead) : l);
            origin.add(new int[] {1, i + 1, moves ? shift : 0});
        }
    }

    private static Map<String, Block> viewBlocks(String viewFile, String view, List<String> lines) {
        Node root = CatalogLoader.compose(viewFile, view);
        if (root == null) {
            return Map.of(); // an empty view: the tenant gives up all its services
        }
        List<String> problems = new ArrayList<>();
        if (!(root instanceof MappingNode m)) {
            throw new CatalogException(List.of(at(viewFile, root) + "a tenant's catalog is a mapping with one key, "
                    + "'services'"));
        }
        for (NodeTuple t : m.getValue()) {
            String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
            if (!key.equals("services")) {
                problems.add(at(viewFile, t.getKeyNode()) + "a tenant's catalog holds only its services; '" + key
                        + "' is the operator's");
            }
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return blocks(viewFile, lines, root);
    }

    /** The entries of the top-level services mapping, in order. */
    private static Map<String, Block> blocks(String file, List<String> lines, Node root) {
        Map<String, Block> out = new LinkedHashMap<>();
        if (!(root instanceof MappingNode m)) {
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k) || !k.getValue().equals("services")) {
                continue;
            }
            if (!(t.getValueNode() instanceof MappingNode services)) {
                return out; // services: (nothing) — no entries
            }
            if (services.getFlowStyle() == org.yaml.snakeyaml.DumperOptions.FlowStyle.FLOW) {
                if (!services.getValue().isEmpty()) {
                    throw new CatalogException(List.of(at(file, services) + "write services one per line (block style), "
                            + "not as one {...} mapping, so that each can be replaced on its own"));
                }
                return out;
            }
            List<NodeTuple> entries = services.getValue();
            int servicesEnd = endLine(lines, services.getEndMark().getLine(), services.getEndMark().getColumn());
            for (int i = 0; i < entries.size(); i++) {
                Node key = entries.get(i).getKeyNode();
                int keyLine = key.getStartMark().getLine();
                int to = i + 1 < entries.size() ? entries.get(i + 1).getKeyNode().getStartMark().getLine() : servicesEnd;
                while (to > keyLine + 1 && (lines.get(to - 1).isBlank() || lines.get(to - 1).strip().startsWith("#"))) {
                    to--;
                }
                int from = keyLine;
                int floor = out.isEmpty() ? k.getStartMark().getLine() + 1 : last(out).to();
                while (from > floor && lines.get(from - 1).strip().startsWith("#")) {
                    from--;
                }
                String name = ((ScalarNode) key).getValue();
                out.put(name, new Block(name, from, to, key.getStartMark().getColumn()));
            }
        }
        return out;
    }

    private static Block last(Map<String, Block> blocks) {
        Block b = null;
        for (Block x : blocks.values()) {
            b = x;
        }
        return b;
    }

    /** The top-level 'services:' line (of a catalog with no service in it), or -1. */
    private static int servicesKeyLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("services:")) {
                return i;
            }
        }
        return -1;
    }

    /** The exclusive end line of a node whose end mark is at (line, column), within the text's lines. */
    private static int endLine(List<String> lines, int line, int column) {
        return Math.min(lines.size(), column == 0 ? line : line + 1);
    }

    private static String at(String file, Node n) {
        return file + ":" + (n.getStartMark().getLine() + 1) + ":" + (n.getStartMark().getColumn() + 1) + ": ";
    }
}
