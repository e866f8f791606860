package org.sfc.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogException;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sfc catalog validate}: every problem of each catalog, or what it compiles to. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check catalogs without touching a switch: syntax, references, address and port-range",
            "conflicts, what the data plane can express, and table capacities of the pipeline.",
            "Prints every problem as FILE:LINE:COL: what is wrong; how to fix it. Exit 1 if any catalog is invalid."})
final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "CATALOG", description = "catalog files (YAML)")
    List<Path> files;

    @Mixin
    PipelineOptions pipeline = new PipelineOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Schema schema = pipeline.schema();
        int invalid = 0;
        for (Path f : files) {
            try {
                Catalog c = CatalogLoader.load(f);
                var r = TableCompiler.compile(c, schema, Ids.empty());
                spec.commandLine().getOut().printf("%s: valid: %d services, %d devices -> %d P4Runtime entities%n", f,
                        c.services().size(), c.devices().size(), r.state().entities().size());
            } catch (CatalogException e) {
                invalid++;
                spec.commandLine().getErr().printf("%s: invalid (%d problem%s):%n", f, e.problems().size(),
                        e.problems().size() == 1 ? "" : "s");
                e.problems().forEach(p -> spec.commandLine().getErr().println("  " + p));
            }
        }
        return invalid == 0 ? 0 : SfcCommand.INVALID;
    }
}
