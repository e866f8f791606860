package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.dataplane.target.Target;
import org.sfc.dataplane.target.TargetKind;
import org.sfc.sw.testing.TestController;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * P4Runtime behaviour the software switch shares with BMv2 (PI), checked on both with the same requests: what a
 * controller written against one may rely on with the other. (The software switch's own, fuller suite against the
 * spec is P4RuntimeConformanceTest.)
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class P4RuntimeParityTest {
    @Parameter
    TargetKind kind;

    Target target;
    final List<TestController> controllers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        target = kind.start();
    }

    @AfterEach
    void stop() {
        controllers.forEach(TestController::close);
        target.close();
    }

    TestController controller(Long election) {
        TestController c = new TestController(target.grpcPort(), 1, election);
        controllers.add(c);
        return c;
    }

    static Status.Code code(Runnable r) {
        return assertThrows(StatusRuntimeException.class, r::run).getStatus().getCode();
    }

    TestController primaryWithPipeline() throws Exception {
        TestController c = controller(10L);
        assertEquals(Status.Code.OK.value(), c.arbitrate().getStatus().getCode());
        c.stub.setForwardingPipelineConfig(SetForwardingPipelineConfigRequest.newBuilder().setDeviceId(1)
                .setElectionId(c.election()).setAction(SetForwardingPipelineConfigRequest.Action.VERIFY_AND_COMMIT)
                .setConfig(ForwardingPipelineConfig.newBuilder().setP4Info(target.pipeline().p4info())
                        .setP4DeviceConfig(target.pipeline().deviceConfig())).build());
        return c;
    }

    /** port_role: port {@code port} is an uplink. */
    TableEntry uplink(int port) {
        org.sfc.sw.testing.P4Rt rt = new org.sfc.sw.testing.P4Rt(target.pipeline().p4info());
        return rt.entry("port_role", rt.call("set_uplink", port), 0, rt.exact("port_role", "ig_port", port));
    }

    @Test
    void aSecondControllerWithALowerIdIsABackupAndCannotWrite() throws Exception {
        primaryWithPipeline();
        TestController backup = controller(5L);
        MasterArbitrationUpdate told = backup.arbitrate();
        assertEquals(Status.Code.ALREADY_EXISTS.value(), told.getStatus().getCode());
        assertEquals(10, told.getElectionId().getLow());
        assertEquals(Status.Code.PERMISSION_DENIED, code(() -> backup.write(org.sfc.sw.testing.P4Rt.insert(uplink(1)))));
    }

    @Test
    void aTakenElectionIdClosesTheStream() throws Exception {
        primaryWithPipeline();
        TestController twin = controller(10L);
        twin.stream.onNext(StreamMessageRequest.newBuilder().setArbitration(MasterArbitrationUpdate.newBuilder()
                .setDeviceId(1).setElectionId(twin.election())).build());
        assertEquals(Status.Code.INVALID_ARGUMENT.value(), twin.next().getError().getCanonicalCode());
    }

    @Test
    void replicationReadsNameTheirKind() throws Exception {
        TestController c = primaryWithPipeline();
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> c.read(Entity.newBuilder()
                .setPacketReplicationEngineEntry(PacketReplicationEngineEntry.getDefaultInstance()).build())));
        assertEquals(List.of(), c.read(Entity.newBuilder().setPacketReplicationEngineEntry(PacketReplicationEngineEntry
                .newBuilder().setCloneSessionEntry(CloneSessionEntry.getDefaultInstance())).build()));
    }

    @Test
    void directCountersAreReadOnlyWhenAsked() throws Exception {
        TestController c = primaryWithPipeline();
        TableEntry e = uplink(1);
        c.write(org.sfc.sw.testing.P4Rt.insert(e));
        TableEntry query = e.toBuilder().clearAction().build();
        assertFalse(c.read(Entity.newBuilder().setTableEntry(query).build()).get(0).getTableEntry().hasCounterData());
        assertEquals(0, c.read(Entity.newBuilder().setTableEntry(query.toBuilder()
                .setCounterData(CounterData.getDefaultInstance())).build()).get(0).getTableEntry().getCounterData()
                .getPacketCount());
    }
}
