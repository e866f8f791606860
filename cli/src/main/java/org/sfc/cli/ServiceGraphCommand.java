package org.sfc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.Validator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfc service graph}: a service's chain as Graphviz. */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"The chain of SERVICE (or of every service) as Graphviz DOT: clients, each step in order,",
            "copies dashed. With -o FILE.svg and Graphviz's dot on the PATH, an SVG; otherwise DOT."})
final class ServiceGraphCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SERVICE", arity = "0..1", description = "default: every service")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write here (.dot or .svg) instead of stdout")
    Path output;

    @Mixin
    CatalogSource source = new CatalogSource();

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Catalog c = Validator.validate(source.load(target).catalog());
        if (name != null && !c.services().containsKey(name)) {
            throw new IllegalArgumentException("no service '" + name + "'; the catalog has "
                    + new java.util.TreeSet<>(c.services().keySet()));
        }
        String dot = dot(c, name);
        var out = spec.commandLine().getOut();
        if (output == null) {
            out.print(dot);
            return 0;
        }
        if (output.toString().endsWith(".svg")) {
            Path tmp = Files.createTempFile("sfc", ".dot");
            Files.writeString(tmp, dot);
            try {
                Process p = new ProcessBuilder("dot", "-Tsvg", tmp.toString(), "-o", output.toString())
                        .redirectErrorStream(true).start();
                if (p.waitFor() == 0) {
                    out.println("wrote " + output);
                    return 0;
                }
                throw new IllegalStateException("dot failed: " + new String(p.getInputStream().readAllBytes()));
            } catch (java.io.IOException e) {
                Path dotFile = Path.of(output.toString().replaceAll("\\.svg$", ".dot"));
                Files.writeString(dotFile, dot);
                out.println("Graphviz's dot is not installed: wrote " + dotFile + " instead");
                return 0;
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        Files.writeString(output, dot);
        out.println("wrote " + output);
        return 0;
    }

    static String dot(Catalog c, String only) {
        StringBuilder b = new StringBuilder("digraph sfc {\n  rankdir=LR;\n  node [shape=box, fontname=Helvetica];\n");
        Set<String> nodes = new LinkedHashSet<>();
        StringBuilder edges = new StringBuilder();
        for (Catalog.Service s : c.services().values()) {
            if (only != null && !s.name().equals(only)) {
                continue;
            }
            String from = s.from() != null ? s.from() : "clients of " + s.name();
            if (s.from() == null) {
                nodes.add(q(from) + " [shape=ellipse]");
            } else {
                nodes.add(q(from) + " [label=" + q(label(c, from)) + "]");
            }
            String prev = from;
            for (Catalog.Step st : s.sequence()) {
                nodes.add(q(st.target()) + " [label=" + q(label(c, st.target())) + "]");
                edges.append("  ").append(q(prev)).append(" -> ").append(q(st.target())).append(" [label=")
                        .append(q(s.name())).append("];\n");
                for (String copy : st.copyTo()) {
                    nodes.add(q(copy) + " [label=" + q(label(c, copy)) + "]");
                    edges.append("  ").append(q(st.target())).append(" -> ").append(q(copy))
                            .append(" [style=dashed, label=\"copy\"];\n");
                }
                prev = st.target();
            }
            if (s.exit() != null) {
                nodes.add(q("uplink " + s.exit()) + " [shape=ellipse]");
                edges.append("  ").append(q(prev)).append(" -> ").append(q("uplink " + s.exit())).append(";\n");
            }
        }
        nodes.forEach(n -> b.append("  ").append(n).append(";\n"));
        return b.append(edges).append("}\n").toString();
    }

    private static String label(Catalog c, String name) {
        Catalog.Device d = c.devices().get(name);
        if (d != null) {
            return name + "\\n" + d.function() + (d.mode() == Catalog.Mode.NAT ? " (nat " + d.ip() + ")" : "");
        }
        return name + (c.pools().containsKey(name) ? "\\npool" : c.groups().containsKey(name) ? "\\ngroup" : "");
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }
}
