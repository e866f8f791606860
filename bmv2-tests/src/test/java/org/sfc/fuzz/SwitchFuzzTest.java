package org.sfc.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.PipelineConfig;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.sw.SoftwareSwitch;
import org.sfc.sw.server.SwitchServer;
import org.sfc.sw.testing.Packets;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import p4.v1.P4RuntimeGrpc;
import p4.v1.P4RuntimeOuterClass.*;

/**
 * The software switch under mutated input (property-based, jqwik; fixed seed and budget, a longer run with
 * {@code -Djqwik.tries.default=N}, see the README):
 * <ul>
 * <li>Write requests made of the sfc program's real entities (Figures 7 and 23 compiled), their protobuf bytes
 * mutated, with any update type and atomicity, over gRPC: the answer is OK or a status the P4Runtime spec names
 * for a refused write — never INTERNAL, and UNKNOWN only as the batch status with one error per update — and the
 * switch keeps answering reads. The same mutated entities as read queries: OK or a spec status, never a crash.</li>
 * <li>Random frames and valid frames truncated or with bytes changed, on any port, through the pipeline: never an
 * exception, and a valid request afterwards still takes exactly the path it took before (nothing corrupted).</li>
 * </ul>
 */
class SwitchFuzzTest {
    /** What a refused update may say (P4Runtime spec, "Error reporting" and the Write RPC); ABORTED: not tried. */
    static final Set<Status.Code> UPDATE_CODES = EnumSet.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT,
            Status.Code.NOT_FOUND, Status.Code.ALREADY_EXISTS, Status.Code.OUT_OF_RANGE, Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.FAILED_PRECONDITION, Status.Code.UNIMPLEMENTED, Status.Code.PERMISSION_DENIED,
            Status.Code.ABORTED);
    static final Set<Status.Code> REQUEST_CODES = EnumSet.of(Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
            Status.Code.OUT_OF_RANGE, Status.Code.FAILED_PRECONDITION, Status.Code.UNIMPLEMENTED,
            Status.Code.PERMISSION_DENIED, Status.Code.RESOURCE_EXHAUSTED);

    static SoftwareSwitch sw;
    static SwitchServer server;
    static P4RuntimeClient primary;
    static ManagedChannel channel;
    static P4RuntimeGrpc.P4RuntimeBlockingStub stub;
    static List<Entity> entities;
    /** A second switch holding Figure 7 exactly, for frames. */
    static SoftwareSwitch frames;
    static byte[] request;
    static List<Integer> requestPath;

    @BeforeContainer
    static void start() throws Exception {
        PipelineConfig pipeline = SoftwareSwitchTarget.sfcPipeline();
        Schema schema = new Schema(pipeline.p4info());
        List<Entity> figure7 = compiled("figure-7", schema);
        entities = new ArrayList<>(figure7);
        entities.addAll(compiled("figure-23", schema));
        sw = new SoftwareSwitch(1, 255);
        server = SwitchServer.start(sw, "127.0.0.1", 0);
        primary = P4RuntimeClient.connect("127.0.0.1", server.port(), 1, 10, 5000);
        primary.setPipeline(pipeline.p4info(), pipeline.deviceConfig());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        stub = P4RuntimeGrpc.newBlockingStub(channel);

        frames = new SoftwareSwitch(1, 255);
        frames.setPipeline(SoftwareSwitch.ConfigAction.VERIFY_AND_COMMIT, pipeline.p4info(), pipeline.deviceConfig(), 1);
        List<Update> all = figure7.stream().map(e -> Update.newBuilder().setType(e.hasMeterEntry() ? Update.Type.MODIFY
                : Update.Type.INSERT).setEntity(e).build()).toList(); // (a meter cell always exists: MODIFY)
        frames.write(all, WriteRequest.Atomicity.CONTINUE_ON_ERROR);
        request = Packets.tcp(0x02000000fe01L, 0xa1, "198.51.100.7", "203.0.113.10", 40000, 443, 64, 0, "GET".getBytes());
        requestPath = ports(frames.receive(1, request));
        assertFalse(requestPath.isEmpty(), "Figure 7 forwards the request");
    }

    /** The entities an example catalog compiles to. */
    static List<Entity> compiled(String figure, Schema schema) throws java.io.IOException {
        String text = Files.readString(Path.of("../examples/" + figure + ".yaml"));
        return TableCompiler.compile(CatalogLoader.loadText(figure + ".yaml", text), schema, Ids.empty()).state().entities();
    }

    @AfterContainer
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        primary.close();
        server.close();
    }

    static List<Integer> ports(List<org.sfc.sw.runtime.V1ModelPipeline.Output> out) {
        return out.stream().map(o -> o.port()).sorted().toList();
    }

    /** One change to a byte string, at a position given as a fraction of its length. */
    record ByteEdit(int kind, double where, byte value) {
        byte[] apply(byte[] b) {
            int at = Math.min(b.length, (int) (where * b.length));
            return switch (kind) {
                case 0 -> at < b.length ? set(b, at, (byte) (b[at] ^ (1 << (value & 7)))) : b; // a bit flipped
                case 1 -> at < b.length ? set(b, at, value) : b; // a byte replaced
                case 2 -> at < b.length ? concat(b, 0, at, new byte[0], at + 1) : b; // a byte dropped
                case 3 -> concat(b, 0, at, new byte[] {value}, at); // a byte inserted
                default -> java.util.Arrays.copyOf(b, at); // truncated
            };
        }

        static byte[] set(byte[] b, int at, byte v) {
            byte[] c = b.clone();
            c[at] = v;
            return c;
        }

        static byte[] concat(byte[] b, int from, int to, byte[] middle, int rest) {
            byte[] c = new byte[(to - from) + middle.length + (b.length - rest)];
            System.arraycopy(b, from, c, 0, to - from);
            System.arraycopy(middle, 0, c, to - from, middle.length);
            System.arraycopy(b, rest, c, to - from + middle.length, b.length - rest);
            return c;
        }
    }

    static Arbitrary<List<ByteEdit>> edits(int max) {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                Arbitraries.bytes()).as(ByteEdit::new).list().ofMinSize(1).ofMaxSize(max);
    }

    /** A real entity with its encoding mutated until it still parses (unknown fields and all). */
    @Provide
    Arbitrary<Entity> mutatedEntities() {
        return Combinators.combine(Arbitraries.integers().between(0, entities.size() - 1), edits(4)).as((i, es) -> {
            byte[] b = entities.get(i).toByteArray();
            for (ByteEdit e : es) {
                byte[] next = e.apply(b);
                try {
                    Entity.parseFrom(next);
                    b = next;
                } catch (InvalidProtocolBufferException notAnEntity) {
                    // this edit broke the encoding itself: gRPC would refuse it before the switch sees it
                }
            }
            try {
                return Entity.parseFrom(b);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Provide
    Arbitrary<WriteRequest> mutatedWrites() {
        Arbitrary<Update> update = Combinators.combine(Arbitraries.of(Update.Type.values()).filter(
                t -> t != Update.Type.UNRECOGNIZED), mutatedEntities()).as((t, e) -> Update.newBuilder().setType(t)
                .setEntity(e).build());
        Arbitrary<WriteRequest.Atomicity> atomicity = Arbitraries.of(WriteRequest.Atomicity.CONTINUE_ON_ERROR,
                WriteRequest.Atomicity.ROLLBACK_ON_ERROR, WriteRequest.Atomicity.DATAPLANE_ATOMIC);
        return Combinators.combine(update.list().ofMinSize(1).ofMaxSize(5), atomicity).as((us, a) -> WriteRequest
                .newBuilder().setDeviceId(1).setElectionId(Uint128.newBuilder().setLow(10)).setAtomicity(a)
                .addAllUpdates(us).build());
    }

    @Property(seed = "20261202")
    void aMutatedWriteIsAppliedOrRefusedWithASpecStatus(@ForAll("mutatedWrites") WriteRequest w) {
        try {
            stub.write(w);
            Statistics.collect("OK");
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            Statistics.collect(code.name());
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            if (code == Status.Code.UNKNOWN) {
                assertNotNull(details, "UNKNOWN without per-update errors: " + e.getStatus());
                assertEquals(w.getUpdatesCount(), details.getDetailsCount(), "one error per update: " + e.getStatus());
                for (var any : details.getDetailsList()) {
                    Status.Code c = Status.fromCodeValue(unpack(any).getCanonicalCode()).getCode();
                    assertTrue(UPDATE_CODES.contains(c), c + ": " + unpack(any).getMessage() + "\n" + w);
                }
            } else {
                assertTrue(REQUEST_CODES.contains(code) || UPDATE_CODES.contains(code) && code != Status.Code.OK,
                        code + ": " + e.getStatus().getDescription() + "\n" + w);
            }
        }
        // The switch still answers, and still reads back what it holds.
        stub.read(ReadRequest.newBuilder().setDeviceId(1).addEntities(Entity.newBuilder().setTableEntry(
                TableEntry.getDefaultInstance())).build()).forEachRemaining(r -> { });
    }

    @Property(seed = "20261202")
    void aMutatedReadAnswersOrIsRefusedWithASpecStatus(@ForAll("mutatedEntities") Entity query) {
        try {
            stub.read(ReadRequest.newBuilder().setDeviceId(1).addEntities(query).build()).forEachRemaining(r -> { });
            Statistics.collect("OK");
        } catch (StatusRuntimeException e) {
            Statistics.collect(e.getStatus().getCode().name());
            assertTrue(REQUEST_CODES.contains(e.getStatus().getCode()), e.getStatus() + "\n" + query);
        }
    }

    static p4.v1.P4RuntimeOuterClass.Error unpack(com.google.protobuf.Any any) {
        try {
            return any.unpack(p4.v1.P4RuntimeOuterClass.Error.class);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("a detail that is not a p4.v1.Error: " + any, e);
        }
    }

    @Provide
    Arbitrary<byte[]> mutatedFrames() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(1600);
        Arbitrary<byte[]> edited = edits(6).map(es -> {
            byte[] b = request;
            for (ByteEdit e : es) {
                b = e.apply(b);
            }
            return b;
        });
        return Arbitraries.oneOf(random, edited);
    }

    @Property(seed = "20261202")
    void anyFramePassesThePipelineWithoutAnExceptionAndCorruptsNothing(@ForAll("mutatedFrames") byte[] frame,
            @ForAll("ports") int port) {
        Statistics.collect(frames.receive(port, frame).isEmpty() ? "dropped" : "forwarded");
        assertEquals(requestPath, ports(frames.receive(1, request)), "the valid request's path after " + frame.length
                + " bytes on port " + port + ": " + ByteString.copyFrom(frame));
    }

    @Provide
    Arbitrary<Integer> ports() {
        return Arbitraries.integers().between(0, 511);
    }
}
