package org.sfc.sw.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.Status.Code;
import io.grpc.stub.StreamObserver;
import p4.v1.P4RuntimeOuterClass.MasterArbitrationUpdate;
import p4.v1.P4RuntimeOuterClass.Role;
import p4.v1.P4RuntimeOuterClass.StreamMessageResponse;
import p4.v1.P4RuntimeOuterClass.Uint128;

/**
 * Client arbitration as the P4Runtime spec (1.4) rules it, per role: the default role (no role, or an empty name)
 * and named roles each elect their own primary, with full pipeline access (no role-config scheme is agreed with
 * this switch, so a role.config is refused). A controller becomes primary when its election id is at least the
 * highest this role has ever seen; when the primary leaves or steps down, nobody is promoted until a controller
 * sends such an id again. A controller that leaves its election id unset is a backup that may only read.
 * Notifications: OK to the primary, ALREADY_EXISTS to backups while there is a primary, NOT_FOUND while there is
 * none. Only a role's primary may write, set the pipeline or send packets; packet-ins go to every role's primary.
 */
public final class Arbitration {
    /** A connected stream: its role and election id once it has arbitrated, and a thread-safe way to send to it. */
    public static final class Client {
        final StreamObserver<StreamMessageResponse> out;
        /** Null until the first arbitration update. */
        volatile String role;
        /** Null when the controller left it unset. */
        volatile Uint128 electionId;

        Client(StreamObserver<StreamMessageResponse> out) {
            this.out = out;
        }

        public synchronized void send(StreamMessageResponse m) {
            try {
                out.onNext(m);
            } catch (RuntimeException e) {
                // The client went away; its stream's onError/onCompleted removes it.
            }
        }
    }

    /** One role's election: its primary (if any) and the highest election id it has ever accepted. */
    private static final class Election {
        Client primary;
        Uint128 highest;
    }

    private final long deviceId;
    private final Map<StreamObserver<StreamMessageResponse>, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Election> elections = new HashMap<>();

    public Arbitration(long deviceId) {
        this.deviceId = deviceId;
    }

    public Client connect(StreamObserver<StreamMessageResponse> out) {
        return clients.computeIfAbsent(out, Client::new);
    }

    /** The role a message names: its name, "" for the default role. */
    public static String roleOf(boolean hasRole, Role role) {
        return hasRole ? role.getName() : "";
    }

    /** Handles an arbitration update; returns null when accepted, else the error to close the stream with. */
    public synchronized P4RtException arbitrate(Client c, MasterArbitrationUpdate u) {
        String role = roleOf(u.hasRole(), u.getRole());
        boolean first = c.role == null;
        if (u.getDeviceId() != deviceId) {
            String msg = "this switch is device " + deviceId + ", not " + u.getDeviceId();
            return first ? P4RtException.notFound(msg) : new P4RtException(Code.FAILED_PRECONDITION, msg);
        }
        if (!first && !role.equals(c.role)) {
            return new P4RtException(Code.FAILED_PRECONDITION, "this stream has role '" + c.role + "', not '" + role
                    + "'; open a new stream to take another role");
        }
        if (u.hasRole() && u.getRole().getId() != 0) {
            return P4RtException.invalid("role ids are deprecated; name the role (role.name)");
        }
        if (u.hasRole() && u.getRole().hasConfig()) {
            return P4RtException.invalid("no role configuration scheme is agreed with this switch: leave role.config"
                    + " unset (full pipeline access)");
        }
        Uint128 id = u.hasElectionId() ? u.getElectionId() : null;
        if (id != null) {
            for (Client other : clients.values()) {
                if (other != c && role.equals(other.role) && id.equals(other.electionId)) {
                    return P4RtException.invalid("election id " + text(id) + " is already used by another controller"
                            + " of role '" + role + "'");
                }
            }
        }
        c.role = role;
        c.electionId = id;
        Election e = elections.computeIfAbsent(role, r -> new Election());
        if (id != null && (e.highest == null || compare(id, e.highest) >= 0)) {
            e.primary = c;
            e.highest = id;
            notifyRole(role);
        } else if (e.primary == c) {
            e.primary = null; // it stepped down
            notifyRole(role);
        } else {
            tell(c, e);
        }
        return null;
    }

    public synchronized void disconnect(StreamObserver<StreamMessageResponse> out) {
        Client c = clients.remove(out);
        if (c != null && c.role != null) {
            Election e = elections.get(c.role);
            if (e.primary == c) {
                e.primary = null;
                notifyRole(c.role);
            }
        }
    }

    private void notifyRole(String role) {
        Election e = elections.get(role);
        for (Client c : clients.values()) {
            if (role.equals(c.role)) {
                tell(c, e);
            }
        }
    }

    private void tell(Client c, Election e) {
        Code code = c == e.primary ? Code.OK : e.primary != null ? Code.ALREADY_EXISTS : Code.NOT_FOUND;
        String message = switch (code) {
            case OK -> "you are the primary";
            case ALREADY_EXISTS -> "you are a backup; the primary has election id " + text(e.highest);
            default -> "you are a backup; there is no primary"
                    + (e.highest == null ? "" : " (an election id of at least " + text(e.highest) + " takes over)");
        };
        MasterArbitrationUpdate.Builder u = MasterArbitrationUpdate.newBuilder().setDeviceId(deviceId)
                .setStatus(com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(message));
        if (!c.role.isEmpty()) {
            u.setRole(Role.newBuilder().setName(c.role));
        }
        if (e.highest != null) {
            u.setElectionId(e.highest);
        }
        c.send(StreamMessageResponse.newBuilder().setArbitration(u).build());
    }

    /**
     * Checks that {@code electionId} is the current primary's for {@code role} ("" = the default role);
     * PERMISSION_DENIED otherwise.
     */
    public synchronized void requirePrimary(String role, boolean hasElectionId, Uint128 electionId, String operation) {
        Election e = elections.get(role);
        Client primary = e == null ? null : e.primary;
        if (primary == null || !hasElectionId || !primary.electionId.equals(electionId)) {
            String who = role.isEmpty() ? "" : " of role '" + role + "'";
            throw new P4RtException(Code.PERMISSION_DENIED, operation + " refused: "
                    + (hasElectionId ? "election id " + text(electionId) : "no election id") + " is not the primary's"
                    + who + (primary == null ? " (there is no primary" + who + ")" : ""));
        }
    }

    public synchronized boolean isPrimary(Client c) {
        return c.role != null && elections.get(c.role).primary == c;
    }

    /** The primary of every role that has one. */
    public synchronized List<Client> primaries() {
        List<Client> out = new ArrayList<>();
        for (Election e : elections.values()) {
            if (e.primary != null) {
                out.add(e.primary);
            }
        }
        return out;
    }

    public synchronized List<Client> clients() {
        return new ArrayList<>(clients.values());
    }

    static int compare(Uint128 a, Uint128 b) {
        int c = Long.compareUnsigned(a.getHigh(), b.getHigh());
        return c != 0 ? c : Long.compareUnsigned(a.getLow(), b.getLow());
    }

    static String text(Uint128 id) {
        return id.getHigh() == 0 ? Long.toUnsignedString(id.getLow())
                : "(" + Long.toUnsignedString(id.getHigh()) + "," + Long.toUnsignedString(id.getLow()) + ")";
    }
}
