package org.sfc.sw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.sfc.sw.p4info.P4InfoBuilder;
import org.sfc.sw.server.Bytes;
import org.sfc.sw.server.SwitchServer;
import org.sfc.sw.testing.P4Rt;
import org.sfc.sw.testing.TestController;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * Our P4Runtime conformance suite: the rules of the P4Runtime 1.4 specification that third-party clients
 * (p4runtime-shell, finsy) rely on, each checked over a real gRPC channel against the software switch running
 * resources/p4/conformance.p4. Grouped by the spec's sections.
 */
class P4RuntimeConformanceTest {
    static final long DEVICE = 1;
    static final Path PROGRAM = Path.of("src/test/resources/p4/conformance.p4");

    SoftwareSwitch sw;
    SwitchServer server;
    String program;
    P4Info p4info;
    P4Rt rt;
    final List<TestController> controllers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        sw = new SoftwareSwitch(DEVICE, 255);
        server = SwitchServer.start(sw, "127.0.0.1", 0);
        p4info = P4InfoBuilder.build(org.sfc.sw.compile.Compiler.compileFile(PROGRAM, List.of()));
        program = org.sfc.sw.frontend.Preprocessor.run(PROGRAM, List.of()).text(); // what a controller pushes
        rt = new P4Rt(p4info);
    }

    @AfterEach
    void stop() {
        controllers.forEach(TestController::close);
        server.close();
    }

    TestController controller(Long election) {
        return controller(election, "");
    }

    TestController controller(Long election, String role) {
        TestController c = new TestController(server.port(), DEVICE, election, role);
        controllers.add(c);
        return c;
    }

    /** A primary controller with the conformance program pushed. */
    TestController primary() throws Exception {
        TestController c = controller(10L);
        assertEquals(Status.Code.OK.value(), c.arbitrate().getStatus().getCode());
        c.pushPipeline(p4info, program);
        return c;
    }

    static Status.Code code(Runnable r) {
        return assertThrows(StatusRuntimeException.class, r::run).getStatus().getCode();
    }

    /** The code of the one failed update of a write (the spec's batch error carries one p4.v1.Error per update). */
    static Status.Code updateCode(Runnable write) throws Exception {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, write::run);
        List<Any> details = StatusProto.fromThrowable(e).getDetailsList();
        assertEquals(1, details.size(), "one error per update: " + e.getStatus());
        return Status.Code.values()[details.get(0).unpack(p4.v1.P4RuntimeOuterClass.Error.class).getCanonicalCode()];
    }

    static Entity entity(TableEntry e) {
        return Entity.newBuilder().setTableEntry(e).build();
    }

    TableEntry l2(long dst, int port) {
        return rt.entry("l2", rt.call("metered_to_port", port), 0, rt.exact("l2", "dst", dst));
    }

    // ------------------------------------------------------------------------------------ capabilities, pipeline

    @Nested
    class Pipeline {
        @Test
        void capabilitiesAnnounceTheRelease() throws Exception {
            assertEquals("1.4.1", controller(10L).stub.capabilities(CapabilitiesRequest.getDefaultInstance())
                    .getP4RuntimeApiVersion());
        }

        @Test
        void getBeforeAnyPipelineIsOkWithTheConfigUnset() throws Exception {
            GetForwardingPipelineConfigResponse r = controller(10L).stub.getForwardingPipelineConfig(
                    GetForwardingPipelineConfigRequest.newBuilder().setDeviceId(DEVICE).build());
            assertFalse(r.hasConfig());
        }

        @Test
        void commitNeedsASavedConfigAndTakesNone() throws Exception {
            TestController c = controller(10L);
            c.arbitrate();
            SetForwardingPipelineConfigRequest commit = SetForwardingPipelineConfigRequest.newBuilder()
                    .setDeviceId(DEVICE).setElectionId(c.election())
                    .setAction(SetForwardingPipelineConfigRequest.Action.COMMIT).build();
            assertEquals(Status.Code.NOT_FOUND, code(() -> c.stub.setForwardingPipelineConfig(commit)));
            assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> c.stub.setForwardingPipelineConfig(commit.toBuilder()
                    .setConfig(ForwardingPipelineConfig.newBuilder().setP4Info(p4info)).build())));
            c.stub.setForwardingPipelineConfig(commit.toBuilder()
                    .setAction(SetForwardingPipelineConfigRequest.Action.VERIFY_AND_SAVE)
                    .setConfig(ForwardingPipelineConfig.newBuilder().setP4Info(p4info)
                            .setP4DeviceConfig(ByteString.copyFromUtf8(program))).build());
            c.stub.setForwardingPipelineConfig(commit);
            assertEquals(p4info, c.stub.getForwardingPipelineConfig(GetForwardingPipelineConfigRequest.newBuilder()
                    .setDeviceId(DEVICE).build()).getConfig().getP4Info());
        }
    }

    // ------------------------------------------------------------------------------------ arbitration

    @Nested
    class Arbitration {
        @Test
        void controllersWithoutAnElectionIdAreBackupsThatMayRead() throws Exception {
            TestController a = controller(null);
            TestController b = controller(null);
            assertEquals(Status.Code.NOT_FOUND.value(), a.arbitrate().getStatus().getCode(), "no primary yet");
            assertEquals(Status.Code.NOT_FOUND.value(), b.arbitrate().getStatus().getCode(), "a second one is welcome");
            TestController p = primary();
            for (TestController backup : List.of(a, b)) {
                MasterArbitrationUpdate told = backup.nextArbitration();
                assertEquals(Status.Code.ALREADY_EXISTS.value(), told.getStatus().getCode());
                assertEquals(10, told.getElectionId().getLow());
            }
            assertEquals(Status.Code.PERMISSION_DENIED, code(() -> a.write(P4Rt.insert(l2(1, 2)))));
            p.write(P4Rt.insert(l2(1, 2)));
            assertEquals(1, a.read(entity(TableEntry.newBuilder().setTableId(rt.table("l2").getPreamble().getId())
                    .build())).size());
        }

        @Test
        void aPrimaryThatLeavesIsNotReplacedUntilSomeoneClaimsTheHighestIdSeen() throws Exception {
            TestController p = primary();
            TestController backup = controller(5L);
            assertEquals(Status.Code.ALREADY_EXISTS.value(), backup.arbitrate().getStatus().getCode());
            p.stream.onCompleted();
            MasterArbitrationUpdate none = backup.nextArbitration();
            assertEquals(Status.Code.NOT_FOUND.value(), none.getStatus().getCode(), "no primary now");
            assertEquals(10, none.getElectionId().getLow(), "the highest election id seen");
            assertEquals(Status.Code.PERMISSION_DENIED, code(() -> backup.write(P4Rt.insert(l2(1, 2)))));
            assertEquals(Status.Code.NOT_FOUND.value(), backup.arbitrate(9L).getStatus().getCode());
            assertEquals(Status.Code.OK.value(), backup.arbitrate(10L).getStatus().getCode());
            backup.write(P4Rt.insert(l2(1, 2)));
        }

        @Test
        void aPrimaryThatStepsDownLeavesNoPrimary() throws Exception {
            TestController p = primary();
            TestController backup = controller(5L);
            backup.arbitrate();
            assertEquals(Status.Code.NOT_FOUND.value(), p.arbitrate(3L).getStatus().getCode());
            assertEquals(Status.Code.NOT_FOUND.value(), backup.nextArbitration().getStatus().getCode());
        }

        @Test
        void streamsAreClosedForAWrongDeviceOrATakenElectionId() throws Exception {
            TestController wrong = controller(10L);
            wrong.stream.onNext(StreamMessageRequest.newBuilder().setArbitration(MasterArbitrationUpdate.newBuilder()
                    .setDeviceId(99).setElectionId(Uint128.newBuilder().setLow(10))).build());
            assertEquals(Status.Code.NOT_FOUND.value(), wrong.next().getError().getCanonicalCode());
            primary();
            TestController twin = controller(10L);
            twin.stream.onNext(StreamMessageRequest.newBuilder().setArbitration(MasterArbitrationUpdate.newBuilder()
                    .setDeviceId(DEVICE).setElectionId(Uint128.newBuilder().setLow(10))).build());
            assertEquals(Status.Code.INVALID_ARGUMENT.value(), twin.next().getError().getCanonicalCode());
        }

        @Test
        void namedRolesElectTheirOwnPrimaryAndWritesMustNameTheirRole() throws Exception {
            TestController def = primary();
            TestController tenant = controller(3L, "tenant-a");
            MasterArbitrationUpdate t = tenant.arbitrate();
            assertEquals(Status.Code.OK.value(), t.getStatus().getCode(), "primary of its own role");
            assertEquals("tenant-a", t.getRole().getName());
            tenant.write(P4Rt.insert(l2(1, 2)));
            // The same election id under the default role is not the default role's primary.
            WriteRequest asDefault = tenant.request(WriteRequest.Atomicity.CONTINUE_ON_ERROR,
                    List.of(P4Rt.insert(l2(2, 2)))).setRole("").build();
            assertEquals(Status.Code.PERMISSION_DENIED, code(() -> tenant.stub.write(asDefault)));
            WriteRequest unknownRole = def.request(WriteRequest.Atomicity.CONTINUE_ON_ERROR,
                    List.of(P4Rt.insert(l2(3, 2)))).setRole("nobody").build();
            assertEquals(Status.Code.PERMISSION_DENIED, code(() -> def.stub.write(unknownRole)));
            // A stream keeps its role; a role configuration we have not agreed on is refused.
            tenant.stream.onNext(StreamMessageRequest.newBuilder().setArbitration(MasterArbitrationUpdate.newBuilder()
                    .setDeviceId(DEVICE).setElectionId(Uint128.newBuilder().setLow(4))).build());
            assertEquals(Status.Code.FAILED_PRECONDITION.value(), tenant.next().getError().getCanonicalCode());
            TestController configured = controller(7L, "tenant-b");
            configured.stream.onNext(StreamMessageRequest.newBuilder().setArbitration(MasterArbitrationUpdate.newBuilder()
                    .setDeviceId(DEVICE).setElectionId(Uint128.newBuilder().setLow(7)).setRole(Role.newBuilder()
                            .setName("tenant-b").setConfig(Any.pack(Uint128.getDefaultInstance())))).build());
            assertEquals(Status.Code.INVALID_ARGUMENT.value(), configured.next().getError().getCanonicalCode());
        }
    }

    // ------------------------------------------------------------------------------------ values and status codes

    @Nested
    class Values {
        @Test
        void valuesTooWideOrEmptyAreOutOfRange() throws Exception {
            TestController c = primary();
            TableEntry tooWide = l2(1, 2).toBuilder().setMatch(0, FieldMatch.newBuilder()
                    .setFieldId(rt.fieldId("l2", "dst")).setExact(FieldMatch.Exact.newBuilder()
                            .setValue(ByteString.copyFrom(new byte[] {1, 0, 0, 0, 0, 0, 1})))).build();
            assertEquals(Status.Code.OUT_OF_RANGE, updateCode(() -> c.write(P4Rt.insert(tooWide))));
            TableEntry empty = l2(1, 2).toBuilder().setMatch(0, FieldMatch.newBuilder()
                    .setFieldId(rt.fieldId("l2", "dst")).setExact(FieldMatch.Exact.newBuilder()
                            .setValue(ByteString.EMPTY))).build();
            assertEquals(Status.Code.OUT_OF_RANGE, updateCode(() -> c.write(P4Rt.insert(empty))));
            Action wideParam = rt.call("metered_to_port", 2).toBuilder().setParams(0, Action.Param.newBuilder()
                    .setParamId(1).setValue(Bytes.canonical(512))).build();
            assertEquals(Status.Code.OUT_OF_RANGE, updateCode(() -> c.write(P4Rt.insert(l2(1, 2).toBuilder()
                    .setAction(TableAction.newBuilder().setAction(wideParam)).build()))));
        }

        @Test
        void emptyEntitiesAndNegativeIndexesAreInvalidAndIndexesBeyondTheSizeOutOfRange() throws Exception {
            TestController c = primary();
            assertEquals(Status.Code.INVALID_ARGUMENT, updateCode(() -> c.write(P4Rt.update(Update.Type.INSERT,
                    Entity.getDefaultInstance()))));
            assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> c.read(Entity.getDefaultInstance())));
            int counter = rt.id("counter", "port_counter");
            assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> c.read(Entity.newBuilder().setCounterEntry(
                    CounterEntry.newBuilder().setCounterId(counter).setIndex(Index.newBuilder().setIndex(-1))).build())));
            assertEquals(Status.Code.OUT_OF_RANGE, code(() -> c.read(Entity.newBuilder().setCounterEntry(
                    CounterEntry.newBuilder().setCounterId(counter).setIndex(Index.newBuilder().setIndex(16))).build())));
        }
    }

    // ------------------------------------------------------------------------------------ table entries

    @Nested
    class TableEntries {
        @Test
        void directResourcesAreReadOnlyWhenAskedAndMetadataIsKept() throws Exception {
            TestController c = primary();
            TableEntry e = l2(0x0a, 3).toBuilder().setControllerMetadata(0xfeedL)
                    .setMetadata(ByteString.copyFromUtf8("svc-7")).build();
            c.write(P4Rt.insert(e));
            sw.receive(1, frame(0x0a, 0x01, 0x0800));
            TableEntry plain = c.read(entity(e.toBuilder().clearAction().build())).get(0).getTableEntry();
            assertFalse(plain.hasCounterData(), "counter data nobody asked for");
            assertFalse(plain.hasMeterConfig(), "meter config nobody asked for");
            assertEquals(0xfeedL, plain.getControllerMetadata());
            assertEquals("svc-7", plain.getMetadata().toStringUtf8());
            TableEntry asked = c.read(entity(e.toBuilder().clearAction().setCounterData(CounterData.getDefaultInstance())
                    .setMeterConfig(MeterConfig.getDefaultInstance()).build())).get(0).getTableEntry();
            assertEquals(1, asked.getCounterData().getPacketCount());
            assertFalse(asked.hasMeterConfig(), "a meter at its default configuration reads back unset");
        }

        @Test
        void modifyKeepsCountersWithoutDataAndResetsTheMeterWithoutConfig() throws Exception {
            TestController c = primary();
            MeterConfig cfg = MeterConfig.newBuilder().setCir(1).setCburst(1).setPir(2).setPburst(2).build();
            c.write(P4Rt.insert(l2(0x0a, 3).toBuilder().setMeterConfig(cfg).build()));
            sw.receive(1, frame(0x0a, 0x01, 0x0800));
            sw.receive(1, frame(0x0a, 0x01, 0x0800));
            TableEntry query = l2(0x0a, 3).toBuilder().clearAction().setCounterData(CounterData.getDefaultInstance())
                    .setMeterConfig(MeterConfig.getDefaultInstance()).build();
            assertEquals(cfg, c.read(entity(query)).get(0).getTableEntry().getMeterConfig());
            c.write(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setDirectCounterEntry(DirectCounterEntry
                    .newBuilder().setTableEntry(l2(0x0a, 3).toBuilder().clearAction())).build()));
            assertEquals(2, c.read(entity(query)).get(0).getTableEntry().getCounterData().getPacketCount(),
                    "a DirectCounterEntry MODIFY without data changes nothing");
            c.write(P4Rt.update(Update.Type.MODIFY, entity(l2(0x0a, 4))));
            TableEntry after = c.read(entity(query)).get(0).getTableEntry();
            assertEquals(2, after.getCounterData().getPacketCount(), "MODIFY without counter_data keeps the count");
            assertFalse(after.hasMeterConfig(), "MODIFY without meter_config resets the meter");
        }

        @Test
        void metersCountWhatTheyMarkPerColorAndTheCountsResetOnlyToZero() throws Exception {
            TestController c = primary();
            MeterConfig oneThenRed = MeterConfig.newBuilder().setCir(1).setCburst(1).setPir(1).setPburst(1).build();
            c.write(P4Rt.insert(l2(0x0a, 3).toBuilder().setMeterConfig(oneThenRed).build()));
            for (int i = 0; i < 3; i++) {
                sw.receive(1, frame(0x0a, 0x01, 0x0800));
            }
            TableEntry query = l2(0x0a, 3).toBuilder().clearAction()
                    .setMeterCounterData(MeterCounterData.getDefaultInstance()).build();
            MeterCounterData direct = c.read(entity(query)).get(0).getTableEntry().getMeterCounterData();
            assertEquals(1, direct.getGreen().getPacketCount());
            assertEquals(2, direct.getRed().getPacketCount());
            assertEquals(128, direct.getRed().getByteCount());
            assertFalse(c.read(entity(query.toBuilder().clearMeterCounterData().build())).get(0).getTableEntry()
                    .hasMeterCounterData(), "not asked, not sent");
            // The indexed meter of port 1 marked all three green (no config).
            MeterEntry cell = MeterEntry.newBuilder().setMeterId(rt.id("meter", "port_meter"))
                    .setIndex(Index.newBuilder().setIndex(1)).build();
            assertEquals(3, c.read(Entity.newBuilder().setMeterEntry(cell.toBuilder()
                    .setCounterData(MeterCounterData.getDefaultInstance())).build()).get(0).getMeterEntry()
                    .getCounterData().getGreen().getPacketCount());
            MeterCounterData nonZero = MeterCounterData.newBuilder().setRed(CounterData.newBuilder().setPacketCount(5))
                    .build();
            assertEquals(Status.Code.INVALID_ARGUMENT, updateCode(() -> c.write(P4Rt.update(Update.Type.MODIFY,
                    Entity.newBuilder().setMeterEntry(cell.toBuilder().setCounterData(nonZero)).build()))));
            c.write(P4Rt.update(Update.Type.MODIFY, Entity.newBuilder().setMeterEntry(cell.toBuilder()
                    .setCounterData(MeterCounterData.getDefaultInstance())).build()));
            assertEquals(0, c.read(Entity.newBuilder().setMeterEntry(cell.toBuilder()
                    .setCounterData(MeterCounterData.getDefaultInstance())).build()).get(0).getMeterEntry()
                    .getCounterData().getGreen().getPacketCount());
        }

        @Test
        void constEntriesSayTheyAreConstAndUnconfiguredMeterCellsHaveNoConfig() throws Exception {
            TestController c = primary();
            List<Entity> fixed = c.read(entity(TableEntry.newBuilder().setTableId(rt.table("fixed").getPreamble()
                    .getId()).build()));
            assertEquals(1, fixed.size());
            assertTrue(fixed.get(0).getTableEntry().getIsConst());
            MeterEntry cell = c.read(Entity.newBuilder().setMeterEntry(MeterEntry.newBuilder()
                    .setMeterId(rt.id("meter", "port_meter")).setIndex(Index.newBuilder().setIndex(3))).build())
                    .get(0).getMeterEntry();
            assertFalse(cell.hasConfig());
        }
    }

    // ------------------------------------------------------------------------------------ action selectors

    @Nested
    class ActionSelectors {
        int profile() {
            return rt.id("profile", "ecmp_selector");
        }

        Update member(int id, int port) {
            return P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setActionProfileMember(ActionProfileMember
                    .newBuilder().setActionProfileId(profile()).setMemberId(id).setAction(rt.call("to_port", port)))
                    .build());
        }

        Update group(Update.Type type, int maxSize, int... weights) {
            ActionProfileGroup.Builder g = ActionProfileGroup.newBuilder().setActionProfileId(profile()).setGroupId(1)
                    .setMaxSize(maxSize);
            for (int i = 0; i < weights.length; i++) {
                g.addMembers(ActionProfileGroup.Member.newBuilder().setMemberId(i + 1).setWeight(weights[i]));
            }
            return P4Rt.update(type, Entity.newBuilder().setActionProfileGroup(g).build());
        }

        @Test
        void groupSizesAndWeightsFollowTheMaxSizeRules() throws Exception {
            TestController c = primary();
            c.write(member(1, 2), member(2, 3));
            assertEquals(Status.Code.INVALID_ARGUMENT, updateCode(() -> c.write(group(Update.Type.INSERT, 5, 1, 1))),
                    "max_size above the selector's max_group_size (4)");
            assertEquals(Status.Code.INVALID_ARGUMENT, updateCode(() -> c.write(group(Update.Type.INSERT, 0, 1, 1))),
                    "max_size 0 where P4Info gives a max_group_size");
            assertEquals(Status.Code.INVALID_ARGUMENT, updateCode(() -> c.write(group(Update.Type.INSERT, 4, 1, 0))),
                    "weight 0");
            assertEquals(Status.Code.RESOURCE_EXHAUSTED, updateCode(() -> c.write(group(Update.Type.INSERT, 2, 2, 1))),
                    "weights above max_size");
            c.write(group(Update.Type.INSERT, 4, 1, 2));
            assertEquals(Status.Code.INVALID_ARGUMENT, updateCode(() -> c.write(group(Update.Type.MODIFY, 3, 1, 1))),
                    "max_size changed by a MODIFY");
            c.write(group(Update.Type.MODIFY, 4, 1, 1));
        }

        @Test
        void oneShotProgrammingMakesTheGroupAndReadsBackAsWritten() throws Exception {
            TestController c = primary();
            TableAction set = TableAction.newBuilder().setActionProfileActionSet(ActionProfileActionSet.newBuilder()
                    .addActionProfileActions(ActionProfileAction.newBuilder().setAction(rt.call("to_port", 2)).setWeight(1))
                    .addActionProfileActions(ActionProfileAction.newBuilder().setAction(rt.call("to_port", 3)).setWeight(2)))
                    .build();
            TableEntry e = TableEntry.newBuilder().setTableId(rt.table("ecmp").getPreamble().getId())
                    .addMatch(rt.exact("ecmp", "type", 0x0800)).setAction(set).build();
            c.write(P4Rt.insert(e));
            assertEquals(e, c.read(entity(e.toBuilder().clearAction().build())).get(0).getTableEntry());
            Set<Integer> ports = new HashSet<>();
            for (int src = 1; src <= 40; src++) {
                sw.receive(1, frame(0x99, src, 0x0800)).forEach(o -> ports.add(o.port()));
            }
            assertEquals(Set.of(2, 3), ports, "flows spread over both actions of the set");
            assertTrue(c.read(Entity.newBuilder().setActionProfileMember(ActionProfileMember.newBuilder()
                    .setActionProfileId(profile())).build()).isEmpty(), "the switch's own members are not listed");
            assertEquals(Status.Code.INVALID_ARGUMENT, updateCode(() -> c.write(member(1, 2))),
                    "members by hand on a selector programmed with one shots");
            TableAction zero = set.toBuilder().setActionProfileActionSet(set.getActionProfileActionSet().toBuilder()
                    .setActionProfileActions(1, set.getActionProfileActionSet().getActionProfileActions(1).toBuilder()
                            .setWeight(0))).build();
            assertEquals(Status.Code.INVALID_ARGUMENT, updateCode(() -> c.write(P4Rt.update(Update.Type.MODIFY,
                    entity(e.toBuilder().setAction(zero).build())))));
            assertEquals(e, c.read(entity(e.toBuilder().clearAction().build())).get(0).getTableEntry(),
                    "a refused MODIFY leaves the entry as it was");
            assertEquals(1, sw.receive(1, frame(0x99, 7, 0x0800)).size(), "and it still forwards");
            c.write(P4Rt.update(Update.Type.DELETE, entity(e)));
            c.write(member(1, 2)); // no one-shot entries left: the other style is allowed again
        }
    }

    // ------------------------------------------------------------------------------------ packet I/O, replication

    @Nested
    class PacketIo {
        @Test
        void aPacketOutMissingOrRepeatingAMetadataFieldIsRefused() throws Exception {
            TestController c = primary();
            BlockingQueue<byte[]> port3 = new LinkedBlockingQueue<>();
            sw.attachPort(3, port3::add);
            PacketMetadata port = PacketMetadata.newBuilder().setMetadataId(1).setValue(Bytes.canonical(3)).build();
            PacketMetadata pad = PacketMetadata.newBuilder().setMetadataId(2).setValue(Bytes.canonical(0)).build();
            for (List<PacketMetadata> bad : List.of(List.of(port), List.of(port, port, pad))) {
                c.stream.onNext(StreamMessageRequest.newBuilder().setPacket(PacketOut.newBuilder()
                        .setPayload(ByteString.copyFrom(frame(1, 2, 0x0800))).addAllMetadata(bad)).build());
                StreamMessageResponse err = c.next();
                assertEquals(Status.Code.INVALID_ARGUMENT.value(), err.getError().getCanonicalCode(), err.toString());
            }
            assertNull(port3.poll(200, TimeUnit.MILLISECONDS), "nothing was sent");
            c.stream.onNext(StreamMessageRequest.newBuilder().setPacket(PacketOut.newBuilder()
                    .setPayload(ByteString.copyFrom(frame(1, 2, 0x0800))).addMetadata(port).addMetadata(pad)).build());
            assertTrue(port3.poll(5, TimeUnit.SECONDS) != null);
        }

        @Test
        void replicasNamedByBytesAndMulticastMetadataReadBackAsWritten() throws Exception {
            TestController c = primary();
            PacketReplicationEngineEntry mcast = PacketReplicationEngineEntry.newBuilder().setMulticastGroupEntry(
                    MulticastGroupEntry.newBuilder().setMulticastGroupId(3).setMetadata(ByteString.copyFromUtf8("ids"))
                            .addReplicas(Replica.newBuilder().setPort(Bytes.canonical(2)).setInstance(1))
                            .addReplicas(Replica.newBuilder().setEgressPort(4).setInstance(1))).build();
            c.write(P4Rt.update(Update.Type.INSERT, Entity.newBuilder().setPacketReplicationEngineEntry(mcast).build()));
            assertEquals(mcast, c.read(Entity.newBuilder().setPacketReplicationEngineEntry(
                    PacketReplicationEngineEntry.newBuilder().setMulticastGroupEntry(MulticastGroupEntry.newBuilder()
                            .setMulticastGroupId(3))).build()).get(0).getPacketReplicationEngineEntry());
        }
    }

    static byte[] frame(long dst, long src, int type) {
        byte[] f = new byte[64];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(f);
        b.putShort((short) (dst >>> 32)).putInt((int) dst).putShort((short) (src >>> 32)).putInt((int) src)
                .putShort((short) type);
        return f;
    }
}
