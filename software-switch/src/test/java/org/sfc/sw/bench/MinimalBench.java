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

    SoftwareSwitch parseOnly;

    @Setup
    public void setUpParseOnly() throws Exception {
        // The router program's headers, checksums and deparser, with an ingress that only sets the port:
        // what parsing, checksum verify/update and emission cost without any table.
        String router = java.nio.file.Files.readString(java.nio.file.Path.of("src/test/resources/p4/router.p4"));
        int start = router.indexOf("control MyIngress(");
        int end = router.indexOf("control MyEgress(");
        String program = router.substring(0, start)
                + "control MyIngress(inout headers_t hdr, inout metadata_t meta, inout standard_metadata_t standard_metadata) {\n"
                + "    apply { standard_metadata.egress_spec = 2; }\n}\n" + router.substring(end);
        parseOnly = new SoftwareSwitch(1, 255);
        parseOnly.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, null, ByteString.copyFromUtf8(program), 0);
    }

    @Benchmark
    public int minimal() {
        return sw.receive(1, frame).size();
    }

    @Benchmark
    public int parseChecksumsAndEmitOnly() {
        return parseOnly.receive(1, frame).size();
    }
}
