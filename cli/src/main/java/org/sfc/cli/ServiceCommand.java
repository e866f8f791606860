package org.sfc.cli;


import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sfc service}: look at, trace, draw and clone services. */
@Command(name = "service", mixinStandardHelpOptions = true,
        description = {"The services of a catalog (a file, a recorded version, or by default what the switch has):",
            "list, show one with its P4Runtime entries, trace a request and its reply through a copy of the",
            "pipeline before a cut-over, draw the chain as Graphviz, clone one to a new address."},
        subcommands = {ServiceListCommand.class, ServiceShowCommand.class, ServiceTraceCommand.class,
            ServiceGraphCommand.class, ServiceCloneCommand.class, CommandLine.HelpCommand.class})
final class ServiceCommand extends GroupCommand {

    /** The service {@code name} of {@code c} (read from {@code where}), or an error listing the services. */
    static org.sfc.catalog.Catalog.Service find(org.sfc.catalog.Catalog c, String name, String where) {
        org.sfc.catalog.Catalog.Service s = c.services().get(name);
        if (s == null) {
            throw new IllegalArgumentException("no service '" + name + "' in " + where + "; it has "
                    + new java.util.TreeSet<>(c.services().keySet()));
        }
        return s;
    }

    /** "fw-1 -> vpn-1 -> app-1 (+copy ids-1)". */
    static String chain(org.sfc.catalog.Catalog.Service s) {
        StringBuilder b = new StringBuilder();
        for (var st : s.sequence()) {
            if (b.length() > 0) {
                b.append(" -> ");
            }
            b.append(st.target());
            if (st.translatePort() != null) {
                b.append(":").append(st.translatePort());
            }
            if (!st.copyTo().isEmpty()) {
                b.append(" (+copy ").append(String.join(",", st.copyTo())).append(")");
            }
        }
        if (s.exit() != null) {
            b.append(" -> uplink ").append(s.exit());
        }
        return b.toString();
    }

    static String address(org.sfc.catalog.Catalog.Service s) {
        if (s.address() == null) {
            return "clients " + s.clients().ips();
        }
        var a = s.address();
        return a.ip() + " " + a.protocol().name().toLowerCase() + " " + a.ports()
                + (a.dynamicPorts() != null ? " (+" + a.dynamicPorts() + ")" : "");
    }
}
