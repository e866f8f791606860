package org.sfc.sw.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeGrpc;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * A P4Runtime controller as tests drive it, over a real gRPC channel: a blocking stub and an open stream channel
 * whose messages (arbitration updates, packet-ins, stream errors) land in {@link #inbox}. Its election id may be
 * unset (null) and it may take a named role.
 */
public final class TestController implements AutoCloseable {
    public final P4RuntimeGrpc.P4RuntimeBlockingStub stub;
    public final StreamObserver<StreamMessageRequest> stream;
    public final BlockingQueue<StreamMessageResponse> inbox = new LinkedBlockingQueue<>();
    private final ManagedChannel channel;
    private final long device;
    private final String role;
    private Uint128 election;

    /** The default role. */
    public TestController(int port, long device, Long election) {
        this(port, device, election, "");
    }

    public TestController(int port, long device, Long election, String role) {
        this.device = device;
        this.role = role;
        this.election = election == null ? null : Uint128.newBuilder().setLow(election).build();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        stub = P4RuntimeGrpc.newBlockingStub(channel);
        stream = P4RuntimeGrpc.newStub(channel).streamChannel(new StreamObserver<>() {
            public void onNext(StreamMessageResponse m) {
                inbox.add(m);
            }

            public void onError(Throwable t) {
                inbox.add(StreamMessageResponse.newBuilder().setError(StreamError.newBuilder()
                        .setCanonicalCode(Status.fromThrowable(t).getCode().value())
                        .setMessage(String.valueOf(Status.fromThrowable(t).getDescription()))).build());
            }

            public void onCompleted() {
            }
        });
    }

    public Uint128 election() {
        return election;
    }

    /** Sends an arbitration update with this controller's device, role and election id; returns the answer. */
    public MasterArbitrationUpdate arbitrate() throws InterruptedException {
        MasterArbitrationUpdate.Builder u = MasterArbitrationUpdate.newBuilder().setDeviceId(device);
        if (election != null) {
            u.setElectionId(election);
        }
        if (!role.isEmpty()) {
            u.setRole(Role.newBuilder().setName(role));
        }
        return arbitrate(u.build());
    }

    /** Arbitrates again with another election id (null: unset). */
    public MasterArbitrationUpdate arbitrate(Long newElection) throws InterruptedException {
        election = newElection == null ? null : Uint128.newBuilder().setLow(newElection).build();
        return arbitrate();
    }

    public MasterArbitrationUpdate arbitrate(MasterArbitrationUpdate u) throws InterruptedException {
        stream.onNext(StreamMessageRequest.newBuilder().setArbitration(u).build());
        return nextArbitration();
    }

    /** The next arbitration update (or stream error, as an assertion failure) within 5 s. */
    public MasterArbitrationUpdate nextArbitration() throws InterruptedException {
        StreamMessageResponse m = next();
        assertTrue(m.hasArbitration(), "expected an arbitration update, got " + m);
        return m.getArbitration();
    }

    public StreamMessageResponse next() throws InterruptedException {
        StreamMessageResponse m = inbox.poll(5, TimeUnit.SECONDS);
        assertTrue(m != null, "nothing arrived on the stream within 5 s");
        return m;
    }

    public void pushPipeline(P4Info p4info, String program) {
        stub.setForwardingPipelineConfig(SetForwardingPipelineConfigRequest.newBuilder().setDeviceId(device)
                .setElectionId(election).setRole(role).setAction(SetForwardingPipelineConfigRequest.Action.VERIFY_AND_COMMIT)
                .setConfig(ForwardingPipelineConfig.newBuilder().setP4Info(p4info)
                        .setP4DeviceConfig(ByteString.copyFromUtf8(program))
                        .setCookie(ForwardingPipelineConfig.Cookie.newBuilder().setCookie(42))).build());
    }

    public WriteRequest.Builder request(WriteRequest.Atomicity atomicity, List<Update> updates) {
        WriteRequest.Builder b = WriteRequest.newBuilder().setDeviceId(device).setRole(role).setAtomicity(atomicity)
                .addAllUpdates(updates);
        return election == null ? b : b.setElectionId(election);
    }

    public void write(WriteRequest.Atomicity atomicity, List<Update> updates) {
        stub.write(request(atomicity, updates).build());
    }

    public void write(Update... updates) {
        write(WriteRequest.Atomicity.CONTINUE_ON_ERROR, List.of(updates));
    }

    public List<Entity> read(Entity query) {
        List<Entity> out = new ArrayList<>();
        stub.read(ReadRequest.newBuilder().setDeviceId(device).addEntities(query).build())
                .forEachRemaining(r -> out.addAll(r.getEntitiesList()));
        return out;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
