package org.sfc.cli;

import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.cli.demo.Tracer;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.TableCompiler;
import org.sfc.controller.PipelineConfig;
import org.sfc.sw.SoftwareSwitch;

import p4.v1.P4RuntimeOuterClass.WriteRequest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfc service trace}: the seed's service validation, before a cut-over. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Follow a client's request to SERVICE and the reply back, hop by hop, through a private copy",
            "of the pipeline holding the catalog's entries (nothing is sent to a real switch). The devices are",
            "played from the catalog. Exit 0 if the reply reached the client, 1 if not."})
final class ServiceTraceCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SERVICE")
    String name;

    @Option(names = "--client", defaultValue = "198.51.100.7", description = "the client's address (default: ${DEFAULT-VALUE})")
    String client;

    @Option(names = "--client-port", defaultValue = "40000", description = "the client's source port (default: ${DEFAULT-VALUE})")
    int clientPort;

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
        PipelineConfig config = pipeline.load();
        SoftwareSwitch sw = new SoftwareSwitch(1, 255);
        sw.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, config.p4info(), config.deviceConfig(), 1);
        TableCompiler.Result r = TableCompiler.compile(loaded.catalog(), new org.sfc.compiler.Schema(config.p4info()),
                Ids.empty());
        for (Diff.Batch b : Diff.between(DesiredState.empty(r.state().schema()), r.state())) {
            for (SoftwareSwitch.UpdateResult u : sw.write(b.updates(), WriteRequest.Atomicity.ROLLBACK_ON_ERROR)) {
                if (!u.ok()) {
                    throw new IllegalStateException("the pipeline refused the catalog's entries: " + u.message());
                }
            }
        }
        Catalog.Service s = ServiceCommand.find(r.catalog(), name, loaded.name());
        var out = spec.commandLine().getOut();
        out.printf("trace of service %s (%s): %s%n", name, loaded.name(), ServiceCommand.chain(s));
        boolean ok = new Tracer(r.catalog(), sw, out).trace(s, org.sfc.catalog.Ipv4.parse(client).value(), clientPort);
        return ok ? 0 : 1;
    }
}
