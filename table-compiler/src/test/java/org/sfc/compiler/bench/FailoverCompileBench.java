package org.sfc.compiler.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sfc.catalog.Catalog;
import org.sfc.catalog.Catalog.Attachment;
import org.sfc.catalog.Catalog.Device;
import org.sfc.catalog.Catalog.FailurePolicy;
import org.sfc.catalog.Catalog.TagMode;
import org.sfc.catalog.Mac;
import org.sfc.compiler.DeviceStates;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;

/**
 * What a failover costs the compiler: every service shares 16 firewalls; fw-0 fails and a spare takes its place.
 * The states-only compilation from the previous result, and the diff to write, for 10,000 and 100,000 services.
 * Run: scripts/bench.sh -m table-compiler FailoverCompileBench
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx8g", "-XX:+UseParallelGC"})
public class FailoverCompileBench {
    @Param({"10000", "100000"})
    int services;

    Schema schema;
    TableCompiler.Result base;
    DeviceStates failed;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        schema = CompileBench.bigSchema();
        Catalog c = CompileBench.catalog(services, -1);
        Map<String, Device> devices = new LinkedHashMap<>(c.devices());
        devices.put("fw-spare", new Device("fw-spare", "firewall", null, null, Catalog.Mode.L2, TagMode.DSCP, null,
                new Attachment(200, new Mac(0x300), CompileBench.SRC), new Attachment(201, new Mac(0x301), CompileBench.SRC),
                FailurePolicy.DROP, CompileBench.SRC));
        Catalog withSpare = new Catalog(c.switchInfo(), devices, c.services());
        base = TableCompiler.compile(withSpare, schema, Ids.empty());
        base = TableCompiler.compile(base.catalog(), schema, base); // as the controller holds it: validated once
        failed = DeviceStates.NONE.replace("fw-0", "fw-spare");
    }

    @Benchmark
    public int compileFailoverToSpare() {
        return TableCompiler.compile(base.catalog(), schema, base, failed).state().fragments().size();
    }

    @Benchmark
    public int compileAndDiffFailoverToSpare() {
        TableCompiler.Result next = TableCompiler.compile(base.catalog(), schema, base, failed);
        return Diff.between(base.state(), next.state()).stream().mapToInt(x -> x.updates().size()).sum();
    }
}
