package org.sfc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogLoader;
import org.sfc.catalog.CatalogText;
import org.sfc.catalog.Ipv4;
import org.sfc.catalog.Validator;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sfc service clone}: service replication (seed ¶199). */
@Command(name = "clone", mixinStandardHelpOptions = true,
        description = {"Replicate SERVICE as NEW on another service IP with all its devices, optionally swapping",
            "devices (to bring a new one in without touching the original, seed ¶199). Writes the catalog with the",
            "clone added (validated) to --write, or prints the new service's entry. Apply it with",
            "'sfc catalog apply'."})
final class ServiceCloneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SERVICE")
    String name;

    @Parameters(index = "1", paramLabel = "NEW")
    String newName;

    @Option(names = "--ip", required = true, description = "the clone's service IP")
    String ip;

    @Option(names = "--swap", paramLabel = "OLD=NEW", description = "use device NEW where the original uses OLD (repeatable)")
    Map<String, String> swaps = Map.of();

    @Option(names = {"-w", "--write"}, paramLabel = "FILE", description = "write the whole catalog with the clone here")
    Path write;

    @Mixin
    CatalogSource source = new CatalogSource();

    @Mixin
    SwitchOptions target = new SwitchOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CatalogSource.Loaded loaded = source.load(target);
        Catalog c = Validator.validate(loaded.catalog());
        Catalog.Service clone = CatalogText.replica(c, name, newName, Ipv4.parse(ip), swaps);
        String text = CatalogText.withService(loaded.text(), clone);
        Validator.validate(CatalogLoader.loadText(write != null ? write.toString() : loaded.name(), text));
        var out = spec.commandLine().getOut();
        if (write != null) {
            Files.writeString(write, text);
            out.printf("wrote %s: %s cloned as %s on %s (%s)%n", write, name, newName, ip, ServiceCommand.chain(clone));
        } else {
            out.print(CatalogText.service(clone, "  "));
        }
        return 0;
    }
}
