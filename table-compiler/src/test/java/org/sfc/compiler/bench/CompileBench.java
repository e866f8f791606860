package org.sfc.compiler.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sfc.catalog.Catalog;
import org.sfc.catalog.Catalog.*;
import org.sfc.catalog.Ipv4;
import org.sfc.catalog.Mac;
import org.sfc.catalog.Src;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;

import com.google.protobuf.TextFormat;

import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * Issue 4's goals: compile 100,000 services x 4 steps (aim <= 1 s) and diff one changed service among them
 * (aim <= 10 ms); also the incremental compilation that makes such a diff cheap. The catalog: 16 chains of firewall (two-port) -> IPS -> load balancer -> server.
 * Run: scripts/bench.sh -m table-compiler (or the JMH Main with 'CompileBench').
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
// The throughput collector: a compilation builds a large state that lives on; on 2 cores the default G1
// keeps its young generation small and evacuates that state again and again (full compile ~2.1 s vs ~0.9 s).
@Fork(value = 1, jvmArgs = {"-Xmx8g", "-XX:+UseParallelGC"})
public class CompileBench {
    static final int SERVICES = 100_000;
    static final Src SRC = new Src("bench", 0, 0);

    Schema schema;
    Catalog catalog;
    Catalog changed;
    TableCompiler.Result base;
    TableCompiler.Result next;

    static Catalog catalog(int services, int changedService) {
        Map<String, Device> devices = new LinkedHashMap<>();
        int port = 2;
        for (int k = 0; k < 16; k++) {
            devices.put("fw-" + k, new Device("fw-" + k, "firewall", null, null, Catalog.Mode.L2, TagMode.DSCP, null,
                    new Attachment(port, new Mac(0x100 + port), SRC), new Attachment(port + 1, new Mac(0x101 + port), SRC),
                    FailurePolicy.SPARE, SRC));
            port += 2;
            for (String f : List.of("ips", "lb", "srv")) {
                Attachment a = new Attachment(port, new Mac(0x100 + port), SRC);
                devices.put(f + "-" + k, new Device(f + "-" + k, f, null, null, Catalog.Mode.L2,
                        f.equals("srv") ? TagMode.PORT : TagMode.DSCP, null, a, a, FailurePolicy.SPARE, SRC));
                port++;
            }
        }
        Map<String, Service> svcs = new LinkedHashMap<>();
        for (int i = 0; i < services; i++) {
            int k = i % 16;
            int dscp = i == changedService ? 12 : 10;
            List<Step> steps = new ArrayList<>();
            for (String d : List.of("fw-", "ips-", "lb-", "srv-")) {
                steps.add(new Step(d + k, List.of(), null, SRC));
            }
            String name = "svc-" + i;
            svcs.put(name, new Service(name, null, new Address(new Ipv4((10L << 24) + i), null, Protocol.TCP, 443, 443, null, SRC),
                    null, dscp, steps, null, SRC));
        }
        return new Catalog(new SwitchInfo(new Mac(0x02000000fe01L),
                List.of(new Uplink("internet", 1, new Mac(0xa1), SRC)), SRC), devices, svcs);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        schema = bigSchema();
        catalog = catalog(SERVICES, -1);
        changed = catalog(SERVICES, 4242);
        long before = usedHeap();
        base = TableCompiler.compile(catalog, schema, Ids.empty());
        long one = usedHeap();
        next = TableCompiler.compile(changed, schema, base);
        long two = usedHeap();
        System.out.printf("%n%d services -> %d entities; heap: %d MiB for one version's state, %d MiB more for the "
                + "next (fragments shared)%n", SERVICES, base.state().entities().size(), (one - before) >> 20,
                (two - one) >> 20);
    }

    /** The program's P4Info with tables big enough for 100k services x 4 steps (v1model's sizes hold 64k addresses). */
    static Schema bigSchema() throws java.io.IOException {
        P4Info.Builder b = P4Info.newBuilder();
        TextFormat.merge(java.nio.file.Files.readString(java.nio.file.Path.of("../p4src/v1model/sfc.p4info.txtpb")), b);
        for (int i = 0; i < b.getTablesCount(); i++) {
            b.getTablesBuilder(i).setSize(2_000_000);
        }
        return new Schema(b.build());
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    @Benchmark
    public int compile100kServices() {
        return TableCompiler.compile(catalog, schema, Ids.empty()).state().fragments().size();
    }

    /** The next version with one service changed, from the previous result (unchanged fragments carried over). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 3)
    @Measurement(iterations = 5, time = 3)
    public int compileOneChangedService() {
        return TableCompiler.compile(changed, schema, base).state().fragments().size();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public int diffOneChangedService() {
        return Diff.between(base.state(), next.state()).size();
    }
}
