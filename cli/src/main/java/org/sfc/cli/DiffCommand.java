package org.sfc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;
import org.sfc.controller.Provisioner;

import p4.v1.P4RuntimeOuterClass.Update;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sfc catalog diff}: the writes that turn one catalog's switch state into another's. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"The P4Runtime writes that would take a switch from OLD to NEW, in the order they would be",
            "written (batches that never leave a dangling reference). '+' insert, '~' modify, '-' delete."})
final class DiffCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD", description = "the catalog the switch has")
    Path oldFile;

    @Parameters(index = "1", paramLabel = "NEW", description = "the catalog it should get")
    Path newFile;

    @Mixin
    PipelineOptions pipeline = new PipelineOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Schema schema = pipeline.schema();
        TableCompiler.Result a = TableCompiler.compile(CatalogLoader.load(oldFile), schema, Ids.empty());
        TableCompiler.Result b = TableCompiler.compile(CatalogLoader.load(newFile), schema, a);
        var out = spec.commandLine().getOut();
        int writes = 0;
        for (Diff.Batch batch : Diff.between(a.state(), b.state())) {
            out.println("# " + batch.label());
            for (Update u : batch.updates()) {
                String sign = switch (u.getType()) {
                    case INSERT -> "+ ";
                    case MODIFY -> "~ ";
                    default -> "- ";
                };
                out.println(sign + (u.getType() == Update.Type.DELETE ? a.state() : b.state()).describe(u.getEntity()));
                writes++;
            }
        }
        out.println(writes == 0 ? "no change" : Provisioner.writes(writes));
        return 0;
    }
}
