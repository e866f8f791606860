package org.sfc.cli;

import java.util.List;
import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.Validator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sfc service list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "One line per service: address, chain, marking.")
final class ServiceListCommand implements Callable<Integer> {
    enum Format { table, json, csv }

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    Format format;

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
        List<Catalog.Service> services = c.services().values().stream()
                .sorted(java.util.Comparator.comparing(Catalog.Service::name)).toList();
        switch (format) {
            case json -> {
                out.println("[");
                for (int i = 0; i < services.size(); i++) {
                    Catalog.Service s = services.get(i);
                    out.printf("  {\"name\": %s, \"tenant\": %s, \"address\": %s, \"chain\": %s, \"dscp\": %d}%s%n",
                            HistoryCommand.json(s.name()), HistoryCommand.json(s.tenant()),
                            HistoryCommand.json(ServiceCommand.address(s)), HistoryCommand.json(ServiceCommand.chain(s)),
                            s.dscp(), i + 1 < services.size() ? "," : "");
                }
                out.println("]");
            }
            case csv -> {
                out.println("name,tenant,address,chain,dscp");
                services.forEach(s -> out.printf("%s,%s,\"%s\",\"%s\",%d%n", s.name(), s.tenant() == null ? "" : s.tenant(),
                        ServiceCommand.address(s), ServiceCommand.chain(s), s.dscp()));
            }
            default -> {
                out.printf("%-18s %-10s %-34s %-5s %s%n", "SERVICE", "TENANT", "ADDRESS", "DSCP", "CHAIN");
                services.forEach(s -> out.printf("%-18s %-10s %-34s %-5d %s%n", s.name(), s.tenant() == null ? "-" : s.tenant(),
                        ServiceCommand.address(s), s.dscp(), ServiceCommand.chain(s)));
            }
        }
        return 0;
    }
}
