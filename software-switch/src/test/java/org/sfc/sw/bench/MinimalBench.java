package org.sfc.sw.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.*;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.testing.Packets;

import com.google.protobuf.ByteString;

@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class MinimalBench {
    SoftwareSwitch sw;
    byte[] frame;

    @Setup
    public void setUp() {
        sw = new SoftwareSwitch(1, 255);
        sw.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null, ByteString.copyFromUtf8("""
                #include <core.p4>
                #include <v1model.p4>
                header eth_t { bit<48> dst; bit<48> src; bit<16> type; }
                struct headers_t { eth_t eth; }
                struct meta_t { bit<8> m; }
                parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
                    state start { pkt.extract(hdr.eth); transition accept; }
                }
                control VC(inout headers_t hdr, inout meta_t meta) { apply {} }
                control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply { sm.egress_spec = 1; } }
                control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply {} }
                control CC(inout headers_t hdr, inout meta_t meta) { apply {} }
                control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr.eth); } }
                V1Switch(P(), VC(), I(), E(), CC(), D()) main;
                """), 0);
        frame = Packets.tcp(1, 2, "1.1.1.1", "2.2.2.2", 1, 2, 64, 0, new byte[10]);
    }

    @Benchmark
    public int minimal() {
        return sw.receive(1, frame).size();
    }
}
