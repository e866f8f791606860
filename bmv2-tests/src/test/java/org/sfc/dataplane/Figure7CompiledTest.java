package org.sfc.dataplane;

import java.nio.file.Path;
import java.util.List;

import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;

import p4.v1.P4RuntimeOuterClass.Entity;
import p4.v1.P4RuntimeOuterClass.Update;

/**
 * The Figure 7 packet walk with the entries the table compiler makes from examples/figure-7.yaml, written
 * in its order as one ROLLBACK_ON_ERROR batch: the compiler's output works on the switch, not just looks
 * right in a golden file.
 */
class Figure7CompiledTest extends Figure7Test {
    @Override
    int dscpTowardVpn() {
        return 10; // the compiler sends the service's DSCP toward port-tagged devices
    }

    @Override
    void provision() throws Exception {
        var result = TableCompiler.compile(CatalogLoader.load(Path.of("../examples/figure-7.yaml")),
                new Schema(sfc.p4info), Ids.empty());
        List<Entity> entities = result.state().entities();
        sfc.write(entities.stream().map(Sfc::install).toArray(Update[]::new));
    }
}
