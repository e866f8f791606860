package org.sfc.cli;

import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Ids;
import org.sfc.compiler.TableCompiler;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sfc service show}. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "A service: its address, chain, ACL, rate, and the P4Runtime entries it compiles to.")
final class ServiceShowCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SERVICE")
    String name;

    @Mixin
    CatalogSource source = new CatalogSource();

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @Mixin
    PipelineOptions pipeline = new PipelineOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CatalogSource.Loaded loaded = source.load(target);
        TableCompiler.Result r = TableCompiler.compile(loaded.catalog(), pipeline.schema(), Ids.empty());
        Catalog.Service s = ServiceCommand.find(r.catalog(), name, loaded.name());
        var out = spec.commandLine().getOut();
        out.printf("service %s (%s)%n", s.name(), loaded.name());
        out.printf("  tenant   %s%n  address  %s%n  chain    %s%n  dscp     %d%n", s.tenant() == null ? "-" : s.tenant(),
                ServiceCommand.address(s), ServiceCommand.chain(s), s.dscp());
        if (s.from() != null) {
            out.printf("  from     %s%n", s.from());
        }
        if (s.rate() != null) {
            out.printf("  rate     %d pps, burst %d%n", s.rate().pps(), s.rate().burst());
        }
        if (s.acl() != null) {
            out.printf("  acl      %d rules, default %s%n", s.acl().rules().size(), s.acl().defaultVerdict().name().toLowerCase());
        }
        out.println("  entries");
        for (DesiredState.Fragment f : r.state().fragments()) {
            if (f.owner().equals("service:" + name)) {
                f.entities().forEach(e -> out.println("    " + r.state().describe(e)));
            }
        }
        return 0;
    }
}
