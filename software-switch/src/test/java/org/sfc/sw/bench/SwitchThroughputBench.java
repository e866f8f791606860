package org.sfc.sw.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.testing.P4Rt;
import org.sfc.sw.testing.Packets;

import com.google.protobuf.ByteString;

import p4.v1.P4RuntimeOuterClass.Update;
import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * Packets per second through a realistic pipeline on one core, in process: the router program's parser
 * (Ethernet/IPv4/TCP), checksum verify, a meter, an indexed counter, a register write, two exact tables, a
 * selector table miss, a 1,000-route LPM table, a nested ACL control with 64 ternary/range entries and a
 * direct counter, checksum update and deparse. 64-byte TCP frames, 256 different flows.
 * Run: scripts/bench.sh
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SwitchThroughputBench {
    SoftwareSwitch sw;
    byte[][] frames;
    int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        sw = new SoftwareSwitch(1, 255);
        sw.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null,
                ByteString.copyFromUtf8(Files.readString(Path.of("src/test/resources/p4/router.p4"))), 1);
        P4Rt rt = new P4Rt(sw.pipeline().p4info);
        List<Update> ups = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            ups.add(P4Rt.insert(rt.entry("ipv4_lpm", rt.call("MyIngress.forward", 0x00cc00000000L + i, 1 + i % 8), 0,
                    rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", (10L << 24) | ((long) i << 8), 24))));
        }
        for (int i = 0; i < 64; i++) {
            ups.add(P4Rt.insert(rt.entry("acl", rt.call("MyIngress.acl_ctl.deny"), 1 + i,
                    rt.ternary("acl", "hdr.ipv4.srcAddr", (172L << 24) | ((long) i << 16), 0xFFFF0000L),
                    rt.range("acl", "l4_dport", 6000 + i * 10, 6005 + i * 10))));
        }
        for (SoftwareSwitch.UpdateResult r : sw.write(ups, WriteRequest.Atomicity.CONTINUE_ON_ERROR)) {
            if (!r.ok()) {
                throw new IllegalStateException(r.message());
            }
        }
        frames = new byte[256][];
        for (int i = 0; i < frames.length; i++) {
            // 14 + 20 + 20 + 10 bytes of payload = 64 bytes.
            frames[i] = Packets.tcp(0x00aa00000001L, 0x00bb00000002L, "192.168.1." + (i % 200), "10.0." + (i % 250)
                    + ".7", 20000 + i, 80, 64, 0, new byte[10]);
        }
        if (sw.receive(1, frames[0]).size() != 1) {
            throw new IllegalStateException("the benchmark packet is not forwarded");
        }
    }

    @Benchmark
    public int forward64ByteTcp() {
        byte[] f = frames[next++ & 255];
        return sw.receive(1, f).size();
    }
}
