package org.sfc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogLoader;
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
        Catalog.Service s = c.services().get(name);
        if (s == null || s.address() == null) {
            throw new IllegalArgumentException("no service '" + name + "' with a service address in " + loaded.name());
        }
        if (c.services().containsKey(newName)) {
            throw new IllegalArgumentException("the catalog already has a service '" + newName + "'");
        }
        for (String old : swaps.keySet()) {
            if (s.sequence().stream().noneMatch(st -> st.target().equals(old) || st.copyTo().contains(old))) {
                throw new IllegalArgumentException("service " + name + " does not use '" + old + "'; its chain is "
                        + ServiceCommand.chain(s));
            }
        }
        List<Catalog.Step> steps = new ArrayList<>();
        for (Catalog.Step st : s.sequence()) {
            steps.add(new Catalog.Step(swaps.getOrDefault(st.target(), st.target()),
                    st.copyTo().stream().map(x -> swaps.getOrDefault(x, x)).toList(), st.translatePort(), st.src()));
        }
        Catalog.Service clone = new Catalog.Service(newName, s.tenant(), s.address().withIp(Ipv4.parse(ip)), s.clients(),
                s.from(), s.exit(), s.dscp(), steps, null, s.rate(), s.acl(), s.src());
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
