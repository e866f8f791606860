package org.sfc.sw.server;

import java.util.List;
import java.util.function.Consumer;

import org.sfc.sw.SoftwareSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.Any;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import p4.v1.P4RuntimeGrpc;
import p4.v1.P4RuntimeOuterClass.*;

/** The P4Runtime gRPC service over a {@link SoftwareSwitch}. */
public final class P4RuntimeService extends P4RuntimeGrpc.P4RuntimeImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(P4RuntimeService.class);
    /** The P4Runtime release whose protos this switch is built from (p4runtime-proto). */
    public static final String API_VERSION = "1.4.1";
    private static final int READ_CHUNK = 1000;

    private final SoftwareSwitch sw;
    private final Arbitration arbitration;

    public P4RuntimeService(SoftwareSwitch sw) {
        this.sw = sw;
        this.arbitration = new Arbitration(sw.deviceId());
        sw.addPacketInListener(this::deliverPacketIn);
    }

    private void deliverPacketIn(SoftwareSwitch.PacketIn p) {
        List<Arbitration.Client> primaries = arbitration.primaries();
        if (!primaries.isEmpty()) {
            StreamMessageResponse m = StreamMessageResponse.newBuilder().setPacket(PacketIn.newBuilder()
                    .setPayload(p.payload()).addAllMetadata(p.metadata())).build();
            primaries.forEach(c -> c.send(m));
        }
    }

    private static StatusRuntimeException status(P4RtException e) {
        return Status.fromCode(e.code()).withDescription(e.getMessage()).asRuntimeException();
    }

    private void checkDevice(long deviceId) {
        if (deviceId != sw.deviceId()) {
            throw P4RtException.notFound("this switch is device " + sw.deviceId() + ", not " + deviceId);
        }
    }

    @Override
    public void write(WriteRequest request, StreamObserver<WriteResponse> out) {
        try {
            checkDevice(request.getDeviceId());
            arbitration.requirePrimary(request.getRole(), request.hasElectionId(), request.getElectionId(), "Write");
            List<SoftwareSwitch.UpdateResult> results = sw.write(request.getUpdatesList(), request.getAtomicity());
            long failed = results.stream().filter(r -> !r.ok()).count();
            if (failed == 0) {
                out.onNext(WriteResponse.getDefaultInstance());
                out.onCompleted();
                return;
            }
            // The spec's batch error: UNKNOWN with one p4.v1.Error per update, in order.
            com.google.rpc.Status.Builder st = com.google.rpc.Status.newBuilder().setCode(Status.Code.UNKNOWN.value())
                    .setMessage(failed + " of " + results.size() + " updates failed");
            for (SoftwareSwitch.UpdateResult r : results) {
                st.addDetails(Any.pack(p4.v1.P4RuntimeOuterClass.Error.newBuilder()
                        .setCanonicalCode(r.code().value()).setMessage(r.message()).build()));
            }
            out.onError(StatusProto.toStatusRuntimeException(st.build()));
        } catch (P4RtException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void read(ReadRequest request, StreamObserver<ReadResponse> out) {
        try {
            checkDevice(request.getDeviceId());
            ReadResponse.Builder chunk = ReadResponse.newBuilder();
            for (Entity q : request.getEntitiesList()) {
                for (Entity e : sw.read(q)) {
                    chunk.addEntities(e);
                    if (chunk.getEntitiesCount() >= READ_CHUNK) {
                        out.onNext(chunk.build());
                        chunk = ReadResponse.newBuilder();
                    }
                }
            }
            out.onNext(chunk.build());
            out.onCompleted();
        } catch (P4RtException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void setForwardingPipelineConfig(SetForwardingPipelineConfigRequest request,
                                            StreamObserver<SetForwardingPipelineConfigResponse> out) {
        try {
            checkDevice(request.getDeviceId());
            arbitration.requirePrimary(request.getRole(), request.hasElectionId(), request.getElectionId(),
                    "SetForwardingPipelineConfig");
            SoftwareSwitch.ConfigAction action = switch (request.getAction()) {
                case VERIFY -> SoftwareSwitch.ConfigAction.VERIFY;
                case VERIFY_AND_SAVE -> SoftwareSwitch.ConfigAction.VERIFY_AND_SAVE;
                case VERIFY_AND_COMMIT -> SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT;
                case COMMIT -> SoftwareSwitch.ConfigAction.COMMIT;
                case RECONCILE_AND_COMMIT -> SoftwareSwitch.ConfigAction.RECONCILE_AND_COMMIT;
                default -> throw P4RtException.invalid("pipeline config action must be set (e.g. VERIFY_AND_COMMIT)");
            };
            if (action == SoftwareSwitch.ConfigAction.COMMIT && request.hasConfig()) {
                throw P4RtException.invalid("COMMIT takes no config: it commits the one saved with VERIFY_AND_SAVE");
            }
            ForwardingPipelineConfig c = request.getConfig();
            sw.setPipeline(action, c.getP4Info(), c.getP4DeviceConfig(), c.getCookie().getCookie());
            out.onNext(SetForwardingPipelineConfigResponse.getDefaultInstance());
            out.onCompleted();
        } catch (P4RtException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void getForwardingPipelineConfig(GetForwardingPipelineConfigRequest request,
                                            StreamObserver<GetForwardingPipelineConfigResponse> out) {
        try {
            checkDevice(request.getDeviceId());
            Pipeline p = sw.pipeline();
            if (p == null) { // no pipeline yet: OK, with the config unset (spec)
                out.onNext(GetForwardingPipelineConfigResponse.getDefaultInstance());
                out.onCompleted();
                return;
            }
            ForwardingPipelineConfig.Builder c = ForwardingPipelineConfig.newBuilder()
                    .setCookie(ForwardingPipelineConfig.Cookie.newBuilder().setCookie(p.cookie));
            switch (request.getResponseType()) {
                case ALL -> c.setP4Info(p.p4info).setP4DeviceConfig(p.deviceConfig);
                case P4INFO_AND_COOKIE -> c.setP4Info(p.p4info);
                case DEVICE_CONFIG_AND_COOKIE -> c.setP4DeviceConfig(p.deviceConfig);
                default -> { }
            }
            out.onNext(GetForwardingPipelineConfigResponse.newBuilder().setConfig(c).build());
            out.onCompleted();
        } catch (P4RtException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void capabilities(CapabilitiesRequest request, StreamObserver<CapabilitiesResponse> out) {
        out.onNext(CapabilitiesResponse.newBuilder().setP4RuntimeApiVersion(API_VERSION).build());
        out.onCompleted();
    }

    @Override
    public StreamObserver<StreamMessageRequest> streamChannel(StreamObserver<StreamMessageResponse> out) {
        Arbitration.Client client = arbitration.connect(out);
        return new StreamObserver<>() {
            @Override
            public void onNext(StreamMessageRequest m) {
                switch (m.getUpdateCase()) {
                    case ARBITRATION -> {
                        P4RtException err = arbitration.arbitrate(client, m.getArbitration());
                        if (err != null) {
                            arbitration.disconnect(out);
                            out.onError(status(err));
                        }
                    }
                    case PACKET -> packetOut(client, m.getPacket());
                    default -> { /* digest acks and other messages: nothing to do */ }
                }
            }

            @Override
            public void onError(Throwable t) {
                arbitration.disconnect(out);
            }

            @Override
            public void onCompleted() {
                arbitration.disconnect(out);
                try {
                    out.onCompleted();
                } catch (RuntimeException e) {
                    // already closed
                }
            }
        };
    }

    private void packetOut(Arbitration.Client client, PacketOut p) {
        if (!arbitration.isPrimary(client)) {
            client.send(StreamMessageResponse.newBuilder().setError(StreamError.newBuilder()
                    .setCanonicalCode(Status.Code.PERMISSION_DENIED.value())
                    .setMessage("packet-out refused: only the primary controller may send packets")
                    .setPacketOut(PacketOutError.newBuilder().setPacketOut(p))).build());
            return;
        }
        try {
            sw.packetOut(p.getPayload(), p.getMetadataList());
        } catch (P4RtException e) {
            LOG.debug("packet-out rejected: {}", e.getMessage());
            client.send(StreamMessageResponse.newBuilder().setError(StreamError.newBuilder()
                    .setCanonicalCode(e.code().value()).setMessage(e.getMessage())
                    .setPacketOut(PacketOutError.newBuilder().setPacketOut(p))).build());
        }
    }

    /** For tests and tools: observe what is sent to the primary. */
    public void onPacketIn(Consumer<SoftwareSwitch.PacketIn> l) {
        sw.addPacketInListener(l);
    }
}
