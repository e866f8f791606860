package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.dataplane.target.Target;
import org.sfc.dataplane.target.TargetKind;
import org.sfc.sw.runtime.V1ModelPipeline.Output;
import org.sfc.sw.testing.P4Rt;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * What v1model clones carry, pinned on every target (BMv2 is the reference): resources/p4/clone_semantics.p4
 * writes the metadata egress sees into a probe header. An ingress-to-egress clone is the packet as it arrived,
 * parsed again, with every metadata field zero (standard metadata included, even what the parser set) except
 * the preserved field list; an egress-to-egress clone keeps the headers egress left and likewise loses all
 * metadata but its field list.
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(value = TargetKind.class, names = {"SOFTWARE_SWITCH", "BMV2"}) // v1model's clone()
class CloneSemanticsTest {
    static final Path PROGRAM = Path.of("src/test/resources/p4/clone_semantics.p4");
    static final int IN = 1, ORIGINAL = 2, I2E_COPY = 3, E2E_COPY = 4;

    @Parameter
    TargetKind kind;

    @AutoClose
    Target target;
    @AutoClose
    P4RuntimeClient client;

    /** The probe header as it left, field by field. */
    record Probe(int fromParser, int kept, int notKept, int ingressEdit, int instanceType, int ingressPort,
            int packetLength, int e2eKept) {
        static Probe of(byte[] frame) {
            ByteBuffer b = ByteBuffer.wrap(frame, 14, 13);
            return new Probe(b.get() & 0xff, b.get() & 0xff, b.get() & 0xff, b.get() & 0xff, b.get() & 0xff,
                    b.getShort() & 0xffff, b.getShort() & 0xffff, b.get() & 0xff);
        }
    }

    @BeforeEach
    void start() throws Exception {
        target = kind.start(PROGRAM);
        client = P4RuntimeClient.connect(target.host(), target.grpcPort(), 1, 10, 5000);
        client.setPipeline(target.pipeline().p4info(), target.pipeline().deviceConfig());
        client.write(List.of(cloneSession(5, I2E_COPY), cloneSession(6, E2E_COPY)),
                WriteRequest.Atomicity.CONTINUE_ON_ERROR);
    }

    static Update cloneSession(int id, int port) {
        return P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setPacketReplicationEngineEntry(
                PacketReplicationEngineEntry.newBuilder().setCloneSessionEntry(CloneSessionEntry.newBuilder()
                        .setSessionId(id).addReplicas(Replica.newBuilder().setEgressPort(port).setInstance(1))))
                .build());
    }

    @Test
    void clonesCarryOnlyTheirFieldListsAndI2eClonesThePacketAsItArrived() {
        byte[] frame = new byte[64];
        ByteBuffer.wrap(frame).put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x88b5);
        Map<Integer, Probe> out = new TreeMap<>();
        for (Output o : target.send(IN, frame)) {
            out.put(o.port(), Probe.of(o.data()));
        }
        assertEquals(Map.of(
                ORIGINAL, new Probe(0xa1, 0xb2, 0xc3, 0xd4, 0, IN, 64, 0),
                // parsed again from the frame as it arrived: no ingress edit, the parser's metadata gone too
                I2E_COPY, new Probe(0, 0xb2, 0, 0, 1, 0, 64, 0),
                // the headers as the original's egress left them; only field list 2 survives
                E2E_COPY, new Probe(0, 0, 0, 0xd4, 2, 0, 64, 0xe5)), out);
    }
}
