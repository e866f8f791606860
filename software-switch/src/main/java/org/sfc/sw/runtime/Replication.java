package org.sfc.sw.runtime;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The packet replication engine: clone sessions and multicast groups, as P4Runtime's
 * PacketReplicationEngineEntry configures them.
 */
public final class Replication {
    public record Replica(int egressPort, int instance) {}

    public record CloneSession(int id, List<Replica> replicas, int classOfService, int packetLengthBytes) {}

    public record MulticastGroup(int id, List<Replica> replicas) {}

    public final Map<Integer, CloneSession> cloneSessions = new ConcurrentHashMap<>();
    public final Map<Integer, MulticastGroup> multicastGroups = new ConcurrentHashMap<>();
}
