package org.sfc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sfc.catalog.CatalogLoader;
import org.sfc.catalog.Ipv4;
import org.sfc.cli.demo.Tracer;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;
import org.sfc.controller.PipelineConfig;
import org.sfc.sw.SoftwareSwitch;

import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * Every service of every example answers: a client's request goes through the whole chain (devices played
 * from the catalog) on the software switch running p4src with the compiled entries, and the reply gets back
 * to the client with intact checksums. (This found a NAT service whose reply was lost after a mid-chain IDS.)
 */
class TraceExamplesTest {
    static PipelineConfig pipeline;

    @BeforeAll
    static void load() throws Exception {
        PipelineOptions o = new PipelineOptions();
        o.program = Path.of(CliTest.PROGRAM);
        pipeline = o.load();
    }

    static Stream<Arguments> services() throws Exception {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("../examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                CatalogLoader.load(f).services().keySet().stream().sorted()
                        .forEach(s -> out.add(Arguments.of(f.getFileName().toString(), s)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("services")
    void theRequestGoesThroughTheChainAndTheReplyComesBack(String example, String service) throws Exception {
        SoftwareSwitch sw = new SoftwareSwitch(1, 255);
        sw.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, pipeline.p4info(), pipeline.deviceConfig(), 1);
        var r = TableCompiler.compile(CatalogLoader.load(Path.of("../examples", example)), new Schema(pipeline.p4info()),
                Ids.empty());
        for (Diff.Batch b : Diff.between(DesiredState.empty(r.state().schema()), r.state())) {
            sw.write(b.updates(), WriteRequest.Atomicity.ROLLBACK_ON_ERROR).forEach(u -> assertTrue(u.ok(), u.message()));
        }
        StringWriter trace = new StringWriter();
        boolean ok = new Tracer(r.catalog(), sw, new PrintWriter(trace, true))
                .trace(r.catalog().services().get(service), Ipv4.parse("198.51.100.7").value(), 40000);
        assertTrue(ok, trace.toString());
    }
}
