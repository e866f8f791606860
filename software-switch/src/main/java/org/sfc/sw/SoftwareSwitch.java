package org.sfc.sw;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.exec.BitIo;
import org.sfc.sw.runtime.V1ModelPipeline;
import org.sfc.sw.server.Entities;
import org.sfc.sw.server.P4RtException;
import org.sfc.sw.server.Pipeline;
import org.sfc.sw.types.P4Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeOuterClass.Entity;
import p4.v1.P4RuntimeOuterClass.PacketMetadata;
import p4.v1.P4RuntimeOuterClass.Update;
import p4.v1.P4RuntimeOuterClass.WriteRequest;

/**
 * The software switch as a device: a forwarding pipeline, ports, a CPU port for packet-in/out, and the
 * control-plane operations P4Runtime exposes (set pipeline, write, read). Packets and writes are serialised
 * on one lock, so a write batch is atomic with respect to the data plane.
 */
public final class SoftwareSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(SoftwareSwitch.class);

    /** Where frames leaving a port go. */
    @FunctionalInterface
    public interface PortOutput {
        void send(byte[] frame);
    }

    /** A packet sent to the controller: payload after the packet_in header, plus its metadata. */
    public record PacketIn(ByteString payload, List<PacketMetadata> metadata) {}

    /** The outcome of one update of a write batch: null error means it was applied. */
    public record UpdateResult(Status.Code code, String message) {
        public static final UpdateResult OK = new UpdateResult(Status.Code.OK, "");

        public boolean ok() {
            return code == Status.Code.OK;
        }
    }

    private volatile java.util.Set<WriteRequest.Atomicity> atomicities = java.util.EnumSet.allOf(WriteRequest.Atomicity.class);
    private final Object lock = new Object();
    private final long deviceId;
    private final int cpuPort;
    private volatile Pipeline pipeline;
    private Pipeline saved;
    private final Map<Integer, PortOutput> ports = new ConcurrentHashMap<>();
    private final List<Consumer<PacketIn>> packetInListeners = new CopyOnWriteArrayList<>();

    public SoftwareSwitch(long deviceId, int cpuPort) {
        this.deviceId = deviceId;
        this.cpuPort = cpuPort;
    }

    public long deviceId() {
        return deviceId;
    }

    public int cpuPort() {
        return cpuPort;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /**
     * Limits the batch atomicities Write accepts (all by default). BMv2's P4Runtime server (PI) implements only
     * CONTINUE_ON_ERROR and answers the others UNIMPLEMENTED; limiting this switch the same way lets controllers
     * be tested for that target.
     */
    public void setSupportedAtomicity(java.util.Set<WriteRequest.Atomicity> supported) {
        atomicities = java.util.EnumSet.copyOf(supported);
    }

    public void attachPort(int port, PortOutput out) {
        ports.put(port, out);
    }

    public void detachPort(int port) {
        ports.remove(port);
    }

    public void addPacketInListener(Consumer<PacketIn> l) {
        packetInListeners.add(l);
    }

    public void removePacketInListener(Consumer<PacketIn> l) {
        packetInListeners.remove(l);
    }

    // ------------------------------------------------------------------ pipeline

    public enum ConfigAction { VERIFY, VERIFY_AND_SAVE, VERIFY_AND_COMMIT, COMMIT, RECONCILE_AND_COMMIT }

    /** SetForwardingPipelineConfig semantics of the P4Runtime spec. */
    public void setPipeline(ConfigAction action, P4Info p4info, ByteString deviceConfig, long cookie) {
        switch (action) {
            case VERIFY -> Pipeline.load(deviceConfig, p4info, cookie);
            case VERIFY_AND_SAVE -> {
                Pipeline p = Pipeline.load(deviceConfig, p4info, cookie);
                synchronized (lock) {
                    saved = p;
                }
            }
            case VERIFY_AND_COMMIT -> {
                Pipeline p = Pipeline.load(deviceConfig, p4info, cookie);
                synchronized (lock) {
                    pipeline = p;
                    saved = null;
                }
                LOG.info("pipeline committed: {} tables, {} actions", p.program.tables().size(), p.program.actions().size());
            }
            case COMMIT -> {
                synchronized (lock) {
                    if (saved == null) {
                        throw P4RtException.notFound("COMMIT needs a config saved earlier with VERIFY_AND_SAVE");
                    }
                    pipeline = saved;
                    saved = null;
                }
            }
            case RECONCILE_AND_COMMIT -> reconcile(Pipeline.load(deviceConfig, p4info, cookie));
        }
    }

    /** Commits a new pipeline keeping the forwarding state that is still valid under it. */
    private void reconcile(Pipeline next) {
        synchronized (lock) {
            Pipeline old = pipeline;
            if (old != null) {
                Entities from = new Entities(old);
                Entities to = new Entities(next);
                int kept = 0;
                int lost = 0;
                for (Entity query : allEntityKinds()) {
                    for (Entity e : from.read(query)) {
                        try {
                            Update.Type type = isAlwaysPresent(e) ? Update.Type.MODIFY : Update.Type.INSERT;
                            if (e.hasTableEntry() && e.getTableEntry().getIsDefaultAction()) {
                                type = Update.Type.MODIFY;
                            }
                            to.apply(type, e);
                            kept++;
                        } catch (P4RtException ex) {
                            lost++;
                        }
                    }
                }
                LOG.info("reconcile: kept {} entities, dropped {} that the new pipeline cannot hold", kept, lost);
            }
            pipeline = next;
            saved = null;
        }
    }

    private static boolean isAlwaysPresent(Entity e) {
        return e.hasCounterEntry() || e.hasMeterEntry() || e.hasRegisterEntry() || e.hasDirectCounterEntry()
                || e.hasDirectMeterEntry();
    }

    /** One wildcard query per entity kind, in an order that never leaves a dangling reference on replay. */
    private static List<Entity> allEntityKinds() {
        return List.of(
                Entity.newBuilder().setActionProfileMember(p4.v1.P4RuntimeOuterClass.ActionProfileMember.getDefaultInstance()).build(),
                Entity.newBuilder().setActionProfileGroup(p4.v1.P4RuntimeOuterClass.ActionProfileGroup.getDefaultInstance()).build(),
                Entity.newBuilder().setPacketReplicationEngineEntry(p4.v1.P4RuntimeOuterClass.PacketReplicationEngineEntry
                        .newBuilder().setCloneSessionEntry(p4.v1.P4RuntimeOuterClass.CloneSessionEntry.getDefaultInstance())).build(),
                Entity.newBuilder().setPacketReplicationEngineEntry(p4.v1.P4RuntimeOuterClass.PacketReplicationEngineEntry
                        .newBuilder().setMulticastGroupEntry(p4.v1.P4RuntimeOuterClass.MulticastGroupEntry.getDefaultInstance())).build(),
                Entity.newBuilder().setTableEntry(p4.v1.P4RuntimeOuterClass.TableEntry.getDefaultInstance()).build(),
                Entity.newBuilder().setCounterEntry(p4.v1.P4RuntimeOuterClass.CounterEntry.getDefaultInstance()).build(),
                Entity.newBuilder().setMeterEntry(p4.v1.P4RuntimeOuterClass.MeterEntry.getDefaultInstance()).build(),
                Entity.newBuilder().setRegisterEntry(p4.v1.P4RuntimeOuterClass.RegisterEntry.getDefaultInstance()).build());
    }

    private Pipeline requirePipeline() {
        Pipeline p = pipeline;
        if (p == null) {
            throw new P4RtException(Status.Code.FAILED_PRECONDITION,
                    "no forwarding pipeline is set; push one with SetForwardingPipelineConfig first");
        }
        return p;
    }

    // ------------------------------------------------------------------ writes and reads

    /**
     * Applies a batch. With CONTINUE_ON_ERROR each update stands alone; with ROLLBACK_ON_ERROR or
     * DATAPLANE_ATOMIC the first failure undoes every applied update, the failing one reports its own
     * error and all others ABORTED. Packets never observe a partly applied batch (the lock is held).
     */
    public List<UpdateResult> write(List<Update> updates, WriteRequest.Atomicity atomicity) {
        if (!atomicities.contains(atomicity)) {
            // The P4Runtime spec: a batch atomicity the server does not implement is refused with UNIMPLEMENTED.
            throw new P4RtException(io.grpc.Status.Code.UNIMPLEMENTED, "batch atomicity " + atomicity
                    + " is not implemented by this switch (it implements " + atomicities + ")");
        }
        synchronized (lock) {
            Pipeline p = requirePipeline();
            Entities entities = new Entities(p);
            boolean atomic = atomicity == WriteRequest.Atomicity.ROLLBACK_ON_ERROR
                    || atomicity == WriteRequest.Atomicity.DATAPLANE_ATOMIC;
            List<UpdateResult> results = new ArrayList<>(Collections.nCopies(updates.size(), UpdateResult.OK));
            List<Runnable> undo = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                Update u = updates.get(i);
                try {
                    undo.add(entities.apply(u.getType(), u.getEntity()));
                } catch (P4RtException e) {
                    results.set(i, new UpdateResult(e.code(), e.getMessage()));
                    if (atomic) {
                        for (int k = undo.size() - 1; k >= 0; k--) {
                            undo.get(k).run();
                        }
                        String why = "rolled back: update " + (i + 1) + " of the batch failed";
                        for (int k = 0; k < updates.size(); k++) {
                            if (k != i) {
                                results.set(k, new UpdateResult(Status.Code.ABORTED, why));
                            }
                        }
                        return results;
                    }
                }
            }
            return results;
        }
    }

    public List<Entity> read(Entity query) {
        synchronized (lock) {
            return new Entities(requirePipeline()).read(query);
        }
    }

    // ------------------------------------------------------------------ packets

    /** Processes a frame received on {@code port}; delivers the outputs and also returns them. */
    public List<V1ModelPipeline.Output> receive(int port, byte[] frame) {
        List<V1ModelPipeline.Output> outs;
        Pipeline p = pipeline;
        if (p == null) {
            return List.of();
        }
        synchronized (lock) {
            p = pipeline;
            outs = p.dataplane.process(port, frame);
        }
        for (V1ModelPipeline.Output o : outs) {
            if (o.port() == cpuPort) {
                PacketIn pin = toPacketIn(p.program, o.data());
                packetInListeners.forEach(l -> l.accept(pin));
            } else {
                PortOutput out = ports.get(o.port());
                if (out != null) {
                    out.send(o.data());
                }
            }
        }
        return outs;
    }

    /** Injects a controller packet-out: its metadata becomes the packet_out header in front of the payload. */
    public List<V1ModelPipeline.Output> packetOut(ByteString payload, List<PacketMetadata> metadata) {
        Pipeline p = requirePipeline();
        CompiledProgram.ControllerHeader h = controllerHeader(p.program, "packet_out");
        byte[] frame;
        if (h == null) {
            if (!metadata.isEmpty()) {
                throw P4RtException.invalid("the program has no @controller_header(\"packet_out\") for metadata");
            }
            frame = payload.toByteArray();
        } else {
            int bits = h.type().bitWidth();
            byte[] header = new byte[(bits + 7) / 8];
            int at = 0;
            List<P4Type.Field> fields = h.type().fields();
            long[] values = new long[fields.size()];
            boolean[] given = new boolean[fields.size()];
            for (PacketMetadata m : metadata) {
                int i = m.getMetadataId() - 1;
                if (i < 0 || i >= fields.size()) {
                    throw P4RtException.invalid("packet_out has no metadata with id " + m.getMetadataId());
                }
                if (given[i]) {
                    throw P4RtException.invalid("packet_out metadata " + fields.get(i).name() + " is given twice");
                }
                given[i] = true;
                int w = P4Type.bitWidthOf(fields.get(i).type());
                values[i] = org.sfc.sw.server.Bytes.toLong(m.getValue(), w, "packet_out " + fields.get(i).name());
            }
            for (int i = 0; i < fields.size(); i++) { // every field, padding included, as P4Info lists them
                if (!given[i]) {
                    throw P4RtException.invalid("packet_out metadata " + fields.get(i).name() + " (id " + (i + 1)
                            + ") is missing");
                }
            }
            for (int i = 0; i < fields.size(); i++) {
                int w = P4Type.bitWidthOf(fields.get(i).type());
                BitIo.write(header, at, w, values[i] & BitIo.mask(w));
                at += w;
            }
            frame = new byte[header.length + payload.size()];
            System.arraycopy(header, 0, frame, 0, header.length);
            payload.copyTo(frame, header.length);
        }
        return receive(cpuPort, frame);
    }

    private static CompiledProgram.ControllerHeader controllerHeader(CompiledProgram p, String name) {
        return p.controllerHeaders().stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
    }

    /** Splits a frame sent to the CPU port into the packet_in header's metadata and the payload. */
    static PacketIn toPacketIn(CompiledProgram p, byte[] frame) {
        CompiledProgram.ControllerHeader h = controllerHeader(p, "packet_in");
        if (h == null) {
            return new PacketIn(ByteString.copyFrom(frame), List.of());
        }
        int bytes = (h.type().bitWidth() + 7) / 8;
        if (frame.length < bytes) {
            return new PacketIn(ByteString.copyFrom(frame), List.of());
        }
        List<PacketMetadata> meta = new ArrayList<>();
        int at = 0;
        int id = 1;
        for (P4Type.Field f : h.type().fields()) {
            int w = P4Type.bitWidthOf(f.type());
            meta.add(PacketMetadata.newBuilder().setMetadataId(id++)
                    .setValue(org.sfc.sw.server.Bytes.canonical(BitIo.read(frame, at, w))).build());
            at += w;
        }
        return new PacketIn(ByteString.copyFrom(frame, bytes, frame.length - bytes), meta);
    }
}
