package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sfc.sw.p4info.P4InfoBuilder;
import org.sfc.sw.server.Bytes;
import org.sfc.sw.server.SwitchServer;
import org.sfc.sw.testing.P4Rt;
import org.sfc.sw.testing.Packets;
import org.sfc.sw.testing.TestController;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeGrpc;
import p4.v1.P4RuntimeOuterClass.*;

/** The P4Runtime server driven by a real gRPC client over loopback TCP. */
class P4RuntimeServerTest {
    static final long DEVICE = 1;

    SoftwareSwitch sw;
    SwitchServer server;
    List<TestController> controllers = new ArrayList<>();
    String program;
    P4Info p4info;
    P4Rt rt;

    /** A controller on this test's switch (closed after the test), with the router program to push. */
    final class Controller {
        final TestController c;
        final P4RuntimeGrpc.P4RuntimeBlockingStub stub;
        final StreamObserver<StreamMessageRequest> stream;
        final BlockingQueue<StreamMessageResponse> inbox;

        Controller(long election) {
            c = new TestController(server.port(), DEVICE, election);
            controllers.add(c);
            stub = c.stub;
            stream = c.stream;
            inbox = c.inbox;
        }

        Uint128 election() {
            return c.election();
        }

        MasterArbitrationUpdate arbitrate() throws InterruptedException {
            return c.arbitrate();
        }

        MasterArbitrationUpdate arbitrate(long election) throws InterruptedException {
            return c.arbitrate(election);
        }

        MasterArbitrationUpdate nextArbitration() throws InterruptedException {
            return c.nextArbitration();
        }

        void pushPipeline() {
            c.pushPipeline(p4info, program);
        }

        void write(WriteRequest.Atomicity atomicity, List<Update> updates) {
            c.write(atomicity, updates);
        }

        void write(Update... updates) {
            c.write(updates);
        }

        List<Entity> read(Entity query) {
            return c.read(query);
        }
    }

    @BeforeEach
    void start() throws Exception {
        sw = new SoftwareSwitch(DEVICE, 255);
        server = SwitchServer.start(sw, "127.0.0.1", 0);
        program = Files.readString(Path.of("src/test/resources/p4/router.p4"));
        p4info = P4InfoBuilder.build(org.sfc.sw.compile.Compiler.compileText("router.p4", program));
        rt = new P4Rt(p4info);
    }

    @AfterEach
    void stop() {
        controllers.forEach(TestController::close);
        server.close();
    }

    static Status.Code code(Runnable r) {
        return assertThrows(StatusRuntimeException.class, r::run).getStatus().getCode();
    }

    static List<p4.v1.P4RuntimeOuterClass.Error> details(StatusRuntimeException e) throws Exception {
        List<p4.v1.P4RuntimeOuterClass.Error> out = new ArrayList<>();
        for (Any a : StatusProto.fromThrowable(e).getDetailsList()) {
            out.add(a.unpack(p4.v1.P4RuntimeOuterClass.Error.class));
        }
        return out;
    }

    TableEntry route(String prefix, int len, int port) {
        return rt.entry("ipv4_lpm", rt.call("MyIngress.forward", 0x00cc00000003L, port), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip(prefix), len));
    }

    @Test
    void capabilitiesAndPipelineRoundTrip() throws Exception {
        Controller c = new Controller(10);
        assertEquals("1.4.1", c.stub.capabilities(CapabilitiesRequest.getDefaultInstance()).getP4RuntimeApiVersion());
        assertEquals(Status.Code.OK.value(), c.arbitrate().getStatus().getCode());
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> c.write(P4Rt.insert(route("10.0.0.0", 8, 2)))));
        c.pushPipeline();
        ForwardingPipelineConfig got = c.stub.getForwardingPipelineConfig(GetForwardingPipelineConfigRequest
                .newBuilder().setDeviceId(DEVICE).build()).getConfig();
        assertEquals(p4info, got.getP4Info());
        assertEquals(42, got.getCookie().getCookie());
        assertEquals(program, got.getP4DeviceConfig().toStringUtf8());
    }

    @Test
    void brokenProgramIsRejectedWithTheCompilerMessage() throws Exception {
        Controller c = new Controller(10);
        c.arbitrate();
        program = program.replace("hdr.ipv4.ttl = hdr.ipv4.ttl - 1;", "hdr.ipv4.ttl = nosuch;");
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, c::pushPipeline);
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("unknown name 'nosuch'"), e.getStatus().getDescription());
    }

    @Test
    void everyEntityKindRoundTripsThroughWriteAndRead() throws Exception {
        Controller c = new Controller(10);
        c.arbitrate();
        c.pushPipeline();
        TableEntry entry = route("10.0.0.0", 8, 2);
        int prof = rt.id("profile", "nh_selector");
        ActionProfileMember member = ActionProfileMember.newBuilder().setActionProfileId(prof).setMemberId(1)
                .setAction(rt.call("MyIngress.set_port", 4)).build();
        ActionProfileGroup group = ActionProfileGroup.newBuilder().setActionProfileId(prof).setGroupId(9).setMaxSize(4)
                .addMembers(ActionProfileGroup.Member.newBuilder().setMemberId(1).setWeight(3)).build();
        PacketReplicationEngineEntry clone = PacketReplicationEngineEntry.newBuilder().setCloneSessionEntry(
                CloneSessionEntry.newBuilder().setSessionId(5).addReplicas(Replica.newBuilder().setEgressPort(9)
                        .setInstance(1))).build();
        PacketReplicationEngineEntry mcast = PacketReplicationEngineEntry.newBuilder().setMulticastGroupEntry(
                MulticastGroupEntry.newBuilder().setMulticastGroupId(3).addReplicas(Replica.newBuilder()
                        .setEgressPort(2).setInstance(1))).build();
        c.write(P4Rt.insert(entry),
                P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setActionProfileMember(member).build()),
                P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setActionProfileGroup(group).build()),
                P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setPacketReplicationEngineEntry(clone).build()),
                P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setPacketReplicationEngineEntry(mcast).build()),
                P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setRegisterEntry(RegisterEntry.newBuilder()
                        .setRegisterId(rt.id("register", "last_len")).setIndex(Index.newBuilder().setIndex(3))
                        .setData(p4.v1.P4DataOuterClass.P4Data.newBuilder().setBitstring(Bytes.canonical(777)))).build()),
                P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder()
                        .setCounterId(rt.id("counter", "port_counter")).setIndex(Index.newBuilder().setIndex(2))
                        .setData(CounterData.newBuilder().setPacketCount(5).setByteCount(500))).build()),
                P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setMeterEntry(MeterEntry.newBuilder()
                        .setMeterId(rt.id("meter", "port_meter")).setIndex(Index.newBuilder().setIndex(1))
                        .setConfig(MeterConfig.newBuilder().setCir(10).setCburst(20).setPir(30).setPburst(40))).build()));

        TableEntry read = c.read(Entity.newBuilder().setTableEntry(TableEntry.newBuilder()
                .setTableId(entry.getTableId())).build()).get(0).getTableEntry();
        assertEquals(entry, read);
        assertEquals(member, c.read(Entity.newBuilder().setActionProfileMember(ActionProfileMember.newBuilder()
                .setActionProfileId(prof)).build()).get(0).getActionProfileMember());
        assertEquals(group, c.read(Entity.newBuilder().setActionProfileGroup(ActionProfileGroup.getDefaultInstance())
                .build()).get(0).getActionProfileGroup());
        List<Entity> pre = new ArrayList<>(c.read(Entity.newBuilder().setPacketReplicationEngineEntry(
                PacketReplicationEngineEntry.newBuilder().setCloneSessionEntry(CloneSessionEntry.getDefaultInstance()))
                .build()));
        pre.addAll(c.read(Entity.newBuilder().setPacketReplicationEngineEntry(PacketReplicationEngineEntry.newBuilder()
                .setMulticastGroupEntry(MulticastGroupEntry.getDefaultInstance())).build()));
        assertEquals(List.of(clone, mcast), pre.stream().map(Entity::getPacketReplicationEngineEntry).toList());
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> c.read(Entity.newBuilder().setPacketReplicationEngineEntry(
                PacketReplicationEngineEntry.getDefaultInstance()).build())), "a read must say which kind (as BMv2)");
        assertEquals(777, Bytes.toLong(c.read(Entity.newBuilder().setRegisterEntry(RegisterEntry.newBuilder()
                .setRegisterId(rt.id("register", "last_len")).setIndex(Index.newBuilder().setIndex(3))).build())
                .get(0).getRegisterEntry().getData().getBitstring(), 32, "r"));
        assertEquals(500, c.read(Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder()
                .setCounterId(rt.id("counter", "port_counter")).setIndex(Index.newBuilder().setIndex(2))).build())
                .get(0).getCounterEntry().getData().getByteCount());
        assertEquals(64, c.read(Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder()
                .setCounterId(rt.id("counter", "port_counter"))).build()).size(), "no index reads every cell");
        assertEquals(30, c.read(Entity.newBuilder().setMeterEntry(MeterEntry.newBuilder()
                .setMeterId(rt.id("meter", "port_meter")).setIndex(Index.newBuilder().setIndex(1))).build())
                .get(0).getMeterEntry().getConfig().getPir());
        // Wildcard read of all tables: the one entry plus the const table's entry.
        assertEquals(2, c.read(Entity.newBuilder().setTableEntry(TableEntry.getDefaultInstance()).build()).size());

        // Deleting a member a group still uses is refused; the table entry and group go first.
        assertEquals(Status.Code.UNKNOWN, code(() -> c.write(P4Rt.update(Update.Type.DELETE,
                Entity.newBuilder().setActionProfileMember(member).build()))));
        c.write(P4Rt.update(Update.Type.DELETE, Entity.newBuilder().setActionProfileGroup(group).build()),
                P4Rt.update(Update.Type.DELETE, Entity.newBuilder().setActionProfileMember(member).build()),
                P4Rt.update(Update.Type.DELETE, Entity.newBuilder().setTableEntry(entry).build()));
        assertEquals(1, c.read(Entity.newBuilder().setTableEntry(TableEntry.getDefaultInstance()).build()).size());
    }

    @Test
    void batchErrorsAreReportedPerUpdateAndRollbackUndoesTheBatch() throws Exception {
        Controller c = new Controller(10);
        c.arbitrate();
        c.pushPipeline();
        c.write(P4Rt.insert(route("10.2.0.0", 16, 2)));
        List<Update> batch = List.of(P4Rt.insert(route("10.1.0.0", 16, 2)), P4Rt.insert(route("10.2.0.0", 16, 3)),
                P4Rt.insert(route("10.3.0.0", 16, 2)));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> c.write(WriteRequest.Atomicity.ROLLBACK_ON_ERROR, batch));
        assertEquals(Status.Code.UNKNOWN, e.getStatus().getCode());
        assertEquals(List.of(Status.Code.ABORTED.value(), Status.Code.ALREADY_EXISTS.value(), Status.Code.ABORTED.value()),
                details(e).stream().map(p4.v1.P4RuntimeOuterClass.Error::getCanonicalCode).toList());
        assertEquals(1, c.read(Entity.newBuilder().setTableEntry(TableEntry.newBuilder()
                .setTableId(rt.table("ipv4_lpm").getPreamble().getId())).build()).size(), "nothing of the batch stays");

        e = assertThrows(StatusRuntimeException.class, () -> c.write(WriteRequest.Atomicity.CONTINUE_ON_ERROR, batch));
        assertEquals(List.of(Status.Code.OK.value(), Status.Code.ALREADY_EXISTS.value(), Status.Code.OK.value()),
                details(e).stream().map(p4.v1.P4RuntimeOuterClass.Error::getCanonicalCode).toList());
        assertEquals(3, c.read(Entity.newBuilder().setTableEntry(TableEntry.newBuilder()
                .setTableId(rt.table("ipv4_lpm").getPreamble().getId())).build()).size());
    }

    @Test
    void errorCodesFollowTheSpec() throws Exception {
        Controller c = new Controller(10);
        c.arbitrate();
        c.pushPipeline();
        List<Integer> codes = new ArrayList<>();
        Runnable[] cases = {
            () -> c.write(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setTableEntry(route("10.0.0.0", 8, 2)).build())),
            () -> c.write(P4Rt.update(Update.Type.DELETE, Entity.newBuilder().setTableEntry(route("10.0.0.0", 8, 2)).build())),
            () -> c.write(P4Rt.insert(rt.entry("ipv4_lpm", rt.call("MyIngress.forward", 1, 2), 0,
                    rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.1"), 8)))),
            () -> c.write(P4Rt.insert(rt.entry("acl", rt.call("MyIngress.acl_ctl.deny"), 0,
                    rt.range("acl", "l4_dport", 1, 2)))),
            () -> c.write(P4Rt.insert(rt.entry("ipv4_lpm", rt.call("MyIngress.set_port", 1), 0,
                    rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8)))),
        };
        for (Runnable r : cases) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, r::run);
            codes.add(details(e).get(0).getCanonicalCode());
        }
        assertEquals(List.of(Status.Code.NOT_FOUND.value(), Status.Code.NOT_FOUND.value(),
                Status.Code.INVALID_ARGUMENT.value(), Status.Code.INVALID_ARGUMENT.value(),
                Status.Code.INVALID_ARGUMENT.value()), codes,
                "modify/delete missing; bits beyond the prefix; ternary/range table without priority; action not in table");

        // The acl table holds 256 entries; the 257th is RESOURCE_EXHAUSTED.
        List<Update> fill = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            fill.add(P4Rt.insert(rt.entry("acl", rt.call("MyIngress.acl_ctl.deny"), 1,
                    rt.range("acl", "l4_dport", i, i))));
        }
        c.write(WriteRequest.Atomicity.CONTINUE_ON_ERROR, fill);
        StatusRuntimeException full = assertThrows(StatusRuntimeException.class, () -> c.write(P4Rt.insert(
                rt.entry("acl", rt.call("MyIngress.acl_ctl.deny"), 1, rt.range("acl", "l4_dport", 999, 999)))));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED.value(), details(full).get(0).getCanonicalCode());
    }

    @Test
    void backupControllerIsToldSoAndCannotChangeAnything() throws Exception {
        Controller primary = new Controller(10);
        assertEquals(Status.Code.OK.value(), primary.arbitrate().getStatus().getCode());
        primary.pushPipeline();
        Controller backup = new Controller(5);
        MasterArbitrationUpdate b = backup.arbitrate();
        assertEquals(Status.Code.ALREADY_EXISTS.value(), b.getStatus().getCode());
        assertEquals(10, b.getElectionId().getLow());
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> backup.write(P4Rt.insert(route("10.0.0.0", 8, 2)))));
        assertEquals(Status.Code.PERMISSION_DENIED, code(backup::pushPipeline));
        assertEquals(0, backup.read(Entity.newBuilder().setTableEntry(TableEntry.newBuilder()
                .setTableId(rt.table("ipv4_lpm").getPreamble().getId())).build()).size(), "backups may read");

        // A controller with a higher election id takes over; the old primary is told it is now a backup.
        Controller usurper = new Controller(20);
        assertEquals(Status.Code.OK.value(), usurper.arbitrate().getStatus().getCode());
        assertEquals(Status.Code.ALREADY_EXISTS.value(), primary.nextArbitration().getStatus().getCode());
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> primary.write(P4Rt.insert(route("10.0.0.0", 8, 2)))));
        usurper.write(P4Rt.insert(route("10.0.0.0", 8, 2)));

        // When the primary's stream closes, nobody is promoted (NOT_FOUND: no primary) until a controller
        // arbitrates with an election id at least the highest seen (20).
        usurper.stream.onCompleted();
        MasterArbitrationUpdate none = primary.nextArbitration();
        assertEquals(Status.Code.NOT_FOUND.value(), none.getStatus().getCode());
        assertEquals(20, none.getElectionId().getLow());
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> primary.write(P4Rt.insert(route("10.9.0.0", 16, 2)))));
        assertEquals(Status.Code.NOT_FOUND.value(), primary.arbitrate(19).getStatus().getCode());
        assertEquals(Status.Code.OK.value(), primary.arbitrate(20).getStatus().getCode());
        primary.write(P4Rt.insert(route("10.9.0.0", 16, 2)));
    }

    @Test
    void packetOutAndPacketInOverTheStream() throws Exception {
        Controller c = new Controller(10);
        c.arbitrate();
        c.pushPipeline();
        c.write(P4Rt.insert(rt.entry("ipv4_lpm", rt.call("MyIngress.to_cpu"), 0,
                rt.lpm("ipv4_lpm", "hdr.ipv4.dstAddr", Packets.ip("10.0.0.0"), 8))));
        BlockingQueue<byte[]> port3 = new LinkedBlockingQueue<>();
        List<PacketMetadata> toPort3 = List.of(PacketMetadata.newBuilder().setMetadataId(1).setValue(Bytes.canonical(3))
                .build(), PacketMetadata.newBuilder().setMetadataId(2).setValue(Bytes.canonical(0)).build());
        sw.attachPort(3, port3::add);

        byte[] frame = Packets.tcp(0xaa, 0xbb, "192.168.0.1", "10.1.1.1", 1234, 80, 64, 0, new byte[] {1, 2, 3});
        c.stream.onNext(StreamMessageRequest.newBuilder().setPacket(PacketOut.newBuilder()
                .setPayload(ByteString.copyFrom(frame)).addAllMetadata(toPort3)).build());
        assertEquals(Packets.hex(frame), Packets.hex(port3.poll(5, TimeUnit.SECONDS)));

        sw.receive(6, frame);
        StreamMessageResponse m = c.inbox.poll(5, TimeUnit.SECONDS);
        assertTrue(m != null && m.hasPacket(), "expected a packet-in, got " + m);
        assertEquals(Packets.hex(frame), Packets.hex(m.getPacket().getPayload().toByteArray()));
        assertEquals(6, Bytes.toLong(m.getPacket().getMetadata(0).getValue(), 9, "ingress_port"));

        // A backup's packet-out is refused with a stream error and nothing is sent.
        Controller backup = new Controller(5);
        backup.arbitrate();
        backup.stream.onNext(StreamMessageRequest.newBuilder().setPacket(PacketOut.newBuilder()
                .setPayload(ByteString.copyFrom(frame)).addAllMetadata(toPort3)).build());
        StreamMessageResponse err = backup.inbox.poll(5, TimeUnit.SECONDS);
        assertTrue(err != null && err.hasError(), "expected a stream error, got " + err);
        assertEquals(Status.Code.PERMISSION_DENIED.value(), err.getError().getCanonicalCode());
        assertEquals(null, port3.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void reconcileKeepsEntriesThatTheNewPipelineCanHold() throws Exception {
        Controller c = new Controller(10);
        c.arbitrate();
        c.pushPipeline();
        c.write(P4Rt.insert(route("10.0.0.0", 8, 2)));
        c.stub.setForwardingPipelineConfig(SetForwardingPipelineConfigRequest.newBuilder().setDeviceId(DEVICE)
                .setElectionId(c.election()).setAction(SetForwardingPipelineConfigRequest.Action.RECONCILE_AND_COMMIT)
                .setConfig(ForwardingPipelineConfig.newBuilder().setP4Info(p4info)
                        .setP4DeviceConfig(ByteString.copyFromUtf8(program))).build());
        assertEquals(1, c.read(Entity.newBuilder().setTableEntry(TableEntry.newBuilder()
                .setTableId(rt.table("ipv4_lpm").getPreamble().getId())).build()).size());
        c.pushPipeline();
        assertEquals(0, c.read(Entity.newBuilder().setTableEntry(TableEntry.newBuilder()
                .setTableId(rt.table("ipv4_lpm").getPreamble().getId())).build()).size(), "COMMIT starts empty");
    }
}
