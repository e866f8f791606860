package org.sfc.cli;

import java.util.concurrent.Callable;

import org.sfc.controller.Store;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sfc catalog show}: a recorded catalog's YAML, as applied. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Print the catalog the switch has (or --catalog-version N) as it was applied, comments and all.",
            "Through --controller with a tenant user's token: that tenant's view, its services only; edit it and",
            "post it back with 'sfc catalog apply FILE --controller URL --token-file T'."})
final class ShowCatalogCommand implements Callable<Integer> {
    // (not --version: every command has that one, for the program's version)
    @Option(names = "--catalog-version", paramLabel = "N", description = "a recorded version instead")
    Integer version;

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @Mixin
    DaemonClient daemon = new DaemonClient();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        var out = spec.commandLine().getOut();
        if (daemon.enabled()) {
            out.print(daemon.call("GET", "/v1/catalog" + (version != null ? "?version=" + version : ""), null));
            return 0;
        }
        try (Store store = Store.open(target.database())) {
            out.print(CatalogSource.recorded(store, target, version).catalogText());
        }
        return 0;
    }
}
