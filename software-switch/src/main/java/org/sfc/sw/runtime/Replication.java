package org.sfc.sw.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The packet replication engine: clone sessions and multicast groups, as P4Runtime's
 * PacketReplicationEngineEntry configures them.
 */
public final class Replication {
    /** A copy to a port; {@code portAsBytes}: the controller named the port as P4Runtime 1.4's bytes, read back so. */
    public record Replica(int egressPort, int instance, boolean portAsBytes) {
        public Replica(int egressPort, int instance) {
            this(egressPort, instance, false);
        }
    }

    public record CloneSession(int id, List<Replica> replicas, int classOfService, int packetLengthBytes) {}

    /** {@code metadata}: P4Runtime 1.4's opaque controller bytes, kept and read back. */
    public record MulticastGroup(int id, List<Replica> replicas, com.google.protobuf.ByteString metadata) {
        public MulticastGroup(int id, List<Replica> replicas) {
            this(id, replicas, com.google.protobuf.ByteString.EMPTY);
        }
    }

    public final Map<Integer, CloneSession> cloneSessions = new ConcurrentHashMap<>();
    public final Map<Integer, MulticastGroup> multicastGroups = new ConcurrentHashMap<>();
}
