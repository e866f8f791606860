package org.sfc.cli;

import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.Validator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sfc device list}. */
@Command(name = "device", mixinStandardHelpOptions = true, description = "The devices of a catalog.",
        subcommands = {DeviceCommand.List.class, CommandLine.HelpCommand.class})
final class DeviceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "One line per device: function, ports, mode, pool, failure policy, and the services using it.")
    static final class List implements Callable<Integer> {
        @Mixin
        CatalogSource source = new CatalogSource();

        @Mixin
        SwitchOptions target = new SwitchOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Catalog c = Validator.validate(source.load(target).catalog());
            var out = spec.commandLine().getOut();
            out.printf("%-12s %-10s %-9s %-4s %-5s %-14s %-8s %s%n", "DEVICE", "FUNCTION", "PORTS", "MODE", "TAG", "POOL",
                    "FAILURE", "SERVICES");
            for (Catalog.Device d : new TreeMap<>(c.devices()).values()) {
                String ports = d.twoPort() ? d.outside().port() + "/" + d.inside().port() : Integer.toString(d.outside().port());
                String pool = c.pools().values().stream().filter(p -> p.members().contains(d.id()) || p.spares().contains(d.id()))
                        .map(p -> p.name() + (p.spares().contains(d.id()) ? " (spare)" : "")).findFirst().orElse("-");
                java.util.List<String> users = c.services().values().stream()
                        .filter(s -> s.sequence().stream().anyMatch(st -> c.devicesOf(st.target(), s.name()).contains(d)
                                || st.copyTo().contains(d.id())) || d.id().equals(s.from()))
                        .map(Catalog.Service::name).sorted().toList();
                out.printf("%-12s %-10s %-9s %-4s %-5s %-14s %-8s %s%n", d.id(), d.function(), ports,
                        d.mode().name().toLowerCase(), d.tag().name().toLowerCase(), pool, d.failure().name().toLowerCase(),
                        users.isEmpty() ? "-" : String.join(", ", users));
            }
            return 0;
        }
    }
}
