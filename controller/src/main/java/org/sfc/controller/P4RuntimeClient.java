package org.sfc.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeGrpc;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * A P4Runtime controller connection to one device: the stream channel with mastership arbitration (an
 * election id; primary or backup as the spec defines), pipeline push, batched writes whose per-update errors
 * are returned, wildcard reads, and packet-out/in.
 */
public final class P4RuntimeClient implements AutoCloseable {
    /** Room for the per-update errors of the largest batch we send (5,000 updates), with margin. */
    static final int MAX_TRAILERS = 16 * 1024 * 1024;

    /** One failed update of a write: its position in the request, the gRPC code and the switch's message. */
    public record UpdateError(int index, Status.Code code, String message) {}

    /** A write the switch refused, with every update's outcome (OK ones included, per the spec). */
    public static final class WriteFailed extends RuntimeException {
        private final List<UpdateError> errors;

        WriteFailed(String message, List<UpdateError> errors) {
            super(message);
            this.errors = List.copyOf(errors);
        }

        /** The updates that failed (code not OK). */
        public List<UpdateError> errors() {
            return errors.stream().filter(e -> e.code() != Status.Code.OK).toList();
        }

        /** The whole request was refused as UNIMPLEMENTED (e.g. its batch atomicity, by BMv2). */
        public boolean unimplemented() {
            return errors.size() == 1 && errors.get(0).index() < 0 && errors.get(0).code() == Status.Code.UNIMPLEMENTED;
        }
    }

    private final ManagedChannel channel;
    private final P4RuntimeGrpc.P4RuntimeBlockingStub stub;
    private final StreamObserver<StreamMessageRequest> stream;
    private final BlockingQueue<StreamMessageResponse> arbitration = new LinkedBlockingQueue<>();
    private final BlockingQueue<PacketIn> packetIns = new LinkedBlockingQueue<>();
    private final long deviceId;
    private final Uint128 electionId;
    private volatile boolean primary;
    private volatile Throwable streamError;

    /**
     * How to reach a switch over TLS: the CA certificate(s) to trust the switch by, and, for a switch that
     * requires mutual TLS, this controller's certificate chain and private key (PKCS#8 PEM). Files, never their
     * contents, are what is passed around, so no secret reaches a log or a command line.
     */
    public record Tls(java.nio.file.Path ca, java.nio.file.Path cert, java.nio.file.Path key) {
        public Tls {
            if (ca == null) {
                throw new IllegalArgumentException("TLS needs the CA certificate to trust the switch by (--tls-ca)");
            }
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("a client certificate and its key go together (--tls-cert and --tls-key)");
            }
        }

        /** TLS trusting {@code ca}, presenting no certificate of its own; null (plaintext) without a CA. */
        public static Tls trusting(java.nio.file.Path ca) {
            return ca == null ? null : new Tls(ca, null, null);
        }
    }

    private P4RuntimeClient(String host, int port, long deviceId, long electionId, Tls tls) {
        this.channel = channel(host, port, tls);
        this.stub = P4RuntimeGrpc.newBlockingStub(channel);
        this.deviceId = deviceId;
        this.electionId = Uint128.newBuilder().setLow(electionId).build();
        this.stream = P4RuntimeGrpc.newStub(channel).streamChannel(new StreamObserver<>() {
            @Override
            public void onNext(StreamMessageResponse m) {
                if (m.hasPacket()) {
                    packetIns.add(m.getPacket());
                } else if (m.hasArbitration()) {
                    primary = m.getArbitration().getStatus().getCode() == Status.Code.OK.value();
                    arbitration.add(m);
                }
            }

            @Override
            public void onError(Throwable t) {
                streamError = t;
                primary = false;
                arbitration.add(StreamMessageResponse.getDefaultInstance());
            }

            @Override
            public void onCompleted() {
                primary = false;
                streamError = new IllegalStateException("the switch closed the stream");
            }
        });
    }

    /**
     * Connects to {@code host:port}, opens the stream channel and takes part in the election for
     * {@code deviceId} with {@code electionId}. Returns once the switch answered (primary or backup).
     */
    public static P4RuntimeClient connect(String host, int port, long deviceId, long electionId, long timeoutMillis) {
        return connect(host, port, deviceId, electionId, timeoutMillis, (Tls) null);
    }

    /** As {@link #connect(String, int, long, long, long, Tls)}, trusting the CA certificate(s) in {@code tlsCa}. */
    public static P4RuntimeClient connect(String host, int port, long deviceId, long electionId, long timeoutMillis,
                                          java.nio.file.Path tlsCa) {
        return connect(host, port, deviceId, electionId, timeoutMillis, Tls.trusting(tlsCa));
    }

    /**
     * As {@link #connect(String, int, long, long, long)}, over TLS when {@code tls} is given (never falling back
     * to plaintext), presenting its client certificate where it has one. A switch that still counts a stream of ours that went away (a controller restarted at once, before the switch
     * noticed) refuses the same election id as already taken: that is retried until the timeout.
     */
    public static P4RuntimeClient connect(String host, int port, long deviceId, long electionId, long timeoutMillis,
                                          Tls tls) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            P4RuntimeClient c = new P4RuntimeClient(host, port, deviceId, electionId, tls);
            c.stream.onNext(StreamMessageRequest.newBuilder().setArbitration(MasterArbitrationUpdate.newBuilder()
                    .setDeviceId(deviceId).setElectionId(c.electionId)).build());
            try {
                long left = Math.max(1, deadline - System.currentTimeMillis());
                StreamMessageResponse m = c.arbitration.poll(left, TimeUnit.MILLISECONDS);
                if (m != null && m.hasArbitration()) {
                    return c;
                }
                Throwable cause = c.streamError;
                c.close();
                Status status = cause == null ? null : Status.fromThrowable(cause);
                if (status != null && status.getCode() == Status.Code.INVALID_ARGUMENT
                        && System.currentTimeMillis() + 200 < deadline) {
                    Thread.sleep(200); // election id taken, by a stream of ours the switch has not seen close yet
                    continue;
                }
                throw new IllegalStateException("no P4Runtime switch answered at " + host + ":" + port
                        + (status != null ? " (" + status.getCode() + ": " + status.getDescription() + ")"
                        : " within " + timeoutMillis + " ms") + "; is it running, and is the address right?", cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.close();
                throw new IllegalStateException("interrupted while connecting", e);
            }
        }
    }

    private static ManagedChannel channel(String host, int port, Tls tls) {
        // A refused batch reports one p4.v1.Error per update in the trailers: 5,000 of them are far beyond gRPC's
        // default 8 KiB of metadata, which would cut the stream (RST_STREAM) and lose every per-update error.
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port).maxInboundMessageSize(256 * 1024 * 1024)
                .maxInboundMetadataSize(MAX_TRAILERS);
        if (tls == null) {
            return b.usePlaintext().build();
        }
        var ssl = io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forClient();
        try {
            ssl.trustManager(tls.ca().toFile());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use " + tls.ca() + " as the TLS CA: " + e.getMessage(), e);
        }
        if (tls.cert() != null) {
            try {
                ssl.keyManager(tls.cert().toFile(), tls.key().toFile());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot use " + tls.cert() + " and " + tls.key() + " as this "
                        + "controller's TLS certificate and key (PEM, the key PKCS#8): " + e.getMessage(), e);
            }
        }
        try {
            return b.sslContext(ssl.build()).build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot set up TLS with " + tls + ": " + e.getMessage(), e);
        }
    }

    /** Whether the stream channel is still up (a switch that went away ends it). */
    public boolean alive() {
        return streamError == null && !channel.isShutdown();
    }

    /** Whether this connection is the primary controller (only the primary may write). */
    public boolean primary() {
        return primary;
    }

    /** A pipeline as the switch holds it: its P4Info and the cookie the controller that pushed it gave it. */
    public record Installed(P4Info p4info, long cookie) {}

    /**
     * Pushes the pipeline: P4Info plus the target's device config (BMv2 JSON, or the P4 source for ours), with
     * {@code cookie} to tell this pipeline instance from any other (the spec's opaque pipeline cookie).
     */
    public void setPipeline(P4Info p4info, ByteString deviceConfig, long cookie) {
        stub.setForwardingPipelineConfig(SetForwardingPipelineConfigRequest.newBuilder().setDeviceId(deviceId)
                .setElectionId(electionId).setAction(SetForwardingPipelineConfigRequest.Action.VERIFY_AND_COMMIT)
                .setConfig(ForwardingPipelineConfig.newBuilder().setP4Info(p4info).setP4DeviceConfig(deviceConfig)
                        .setCookie(ForwardingPipelineConfig.Cookie.newBuilder().setCookie(cookie)))
                .build());
    }

    /** Pushes the pipeline with cookie 0 (no identity: for tests and tools that keep no state). */
    public void setPipeline(P4Info p4info, ByteString deviceConfig) {
        setPipeline(p4info, deviceConfig, 0);
    }

    /** The P4Info of the switch's current pipeline, or null if it has none. */
    public P4Info pipeline() {
        Installed i = installed();
        return i == null ? null : i.p4info();
    }

    /** The switch's current pipeline and its cookie, or null if it has none. */
    public Installed installed() {
        try {
            GetForwardingPipelineConfigResponse r = stub.getForwardingPipelineConfig(
                    GetForwardingPipelineConfigRequest.newBuilder().setDeviceId(deviceId)
                            .setResponseType(GetForwardingPipelineConfigRequest.ResponseType.P4INFO_AND_COOKIE).build());
            return r.getConfig().hasP4Info()
                    ? new Installed(r.getConfig().getP4Info(), r.getConfig().getCookie().getCookie()) : null;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION) {
                return null;
            }
            throw e;
        }
    }

    /** Writes {@code updates} in one request; throws {@link WriteFailed} with every update's outcome. */
    public void write(List<Update> updates, WriteRequest.Atomicity atomicity) {
        if (updates.isEmpty()) {
            return;
        }
        try {
            stub.write(WriteRequest.newBuilder().setDeviceId(deviceId).setElectionId(electionId)
                    .setAtomicity(atomicity).addAllUpdates(updates).build());
        } catch (StatusRuntimeException e) {
            List<UpdateError> errors = new ArrayList<>();
            com.google.rpc.Status status = StatusProto.fromThrowable(e);
            if (status != null) {
                for (int i = 0; i < status.getDetailsCount(); i++) {
                    Any detail = status.getDetails(i);
                    try {
                        p4.v1.P4RuntimeOuterClass.Error err = detail.unpack(p4.v1.P4RuntimeOuterClass.Error.class);
                        errors.add(new UpdateError(i, Status.fromCodeValue(err.getCanonicalCode()).getCode(),
                                err.getMessage()));
                    } catch (InvalidProtocolBufferException bad) {
                        errors.add(new UpdateError(i, Status.Code.UNKNOWN, detail.toString()));
                    }
                }
            }
            if (errors.isEmpty()) {
                errors.add(new UpdateError(-1, e.getStatus().getCode(), String.valueOf(e.getStatus().getDescription())));
            }
            throw new WriteFailed("the switch refused the write: " + e.getStatus().getCode() + " "
                    + e.getStatus().getDescription(), errors);
        }
    }

    /** Everything matching the queries (wildcards as the P4Runtime spec defines them). */
    public List<Entity> read(List<Entity> queries) {
        List<Entity> out = new ArrayList<>();
        stub.read(ReadRequest.newBuilder().setDeviceId(deviceId).addAllEntities(queries).build())
                .forEachRemaining(r -> out.addAll(r.getEntitiesList()));
        return out;
    }

    /** Sends a packet-out (thread-safe: a gRPC stream takes one message at a time). */
    public void packetOut(ByteString payload, List<PacketMetadata> metadata) {
        synchronized (stream) {
            stream.onNext(StreamMessageRequest.newBuilder().setPacket(PacketOut.newBuilder().setPayload(payload)
                    .addAllMetadata(metadata)).build());
        }
    }

    /** Packets the switch sent to the controller, in arrival order. */
    public BlockingQueue<PacketIn> packetIns() {
        return packetIns;
    }

    @Override
    public void close() {
        try {
            stream.onCompleted();
        } catch (RuntimeException ignored) {
            // the stream may already be gone
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
