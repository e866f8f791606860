package org.sfc.sw.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.stub.StreamObserver;
import p4.v1.P4RuntimeOuterClass.MasterArbitrationUpdate;
import p4.v1.P4RuntimeOuterClass.StreamMessageResponse;
import p4.v1.P4RuntimeOuterClass.Uint128;

/**
 * Client arbitration of the P4Runtime spec for the default role: each stream that sent an arbitration
 * update holds an election id; the highest is the primary. Clients are told whether they are primary
 * (status OK) or backup (ALREADY_EXISTS), and all are told again when the primary changes. Only the
 * primary may write, set the pipeline or send packets, and only it receives packet-ins.
 */
public final class Arbitration {
    /** A connected stream: its election id and a thread-safe way to send to it. */
    public static final class Client {
        final StreamObserver<StreamMessageResponse> out;
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

    private final long deviceId;
    private final Map<StreamObserver<StreamMessageResponse>, Client> clients = new ConcurrentHashMap<>();
    private Client primary;

    public Arbitration(long deviceId) {
        this.deviceId = deviceId;
    }

    public Client connect(StreamObserver<StreamMessageResponse> out) {
        return clients.computeIfAbsent(out, Client::new);
    }

    /** Handles an arbitration update; returns null when accepted, else the error to close the stream with. */
    public synchronized P4RtException arbitrate(Client c, MasterArbitrationUpdate u) {
        if (u.getDeviceId() != deviceId) {
            return P4RtException.notFound("this switch is device " + deviceId + ", not " + u.getDeviceId());
        }
        if (u.hasRole() && u.getRole().getId() != 0) {
            return new P4RtException(io.grpc.Status.Code.UNIMPLEMENTED, "only the default role is supported");
        }
        for (Client other : clients.values()) {
            if (other != c && u.getElectionId().equals(other.electionId)) {
                return P4RtException.invalid("election id " + text(u.getElectionId())
                        + " is already used by another controller");
            }
        }
        c.electionId = u.getElectionId();
        Client before = primary;
        recompute();
        if (before != primary) {
            notifyAll(null);
        } else {
            tell(c);
        }
        return null;
    }

    public synchronized void disconnect(StreamObserver<StreamMessageResponse> out) {
        Client c = clients.remove(out);
        if (c != null && c == primary) {
            recompute();
            notifyAll(c);
        }
    }

    private void recompute() {
        Client best = null;
        for (Client c : clients.values()) {
            if (c.electionId != null && (best == null || compare(c.electionId, best.electionId) > 0)) {
                best = c;
            }
        }
        primary = best;
    }

    private void notifyAll(Client skip) {
        for (Client c : clients.values()) {
            if (c != skip && c.electionId != null) {
                tell(c);
            }
        }
    }

    private void tell(Client c) {
        Uint128 highest = primary == null ? c.electionId : primary.electionId;
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(c == primary ? io.grpc.Status.Code.OK.value() : io.grpc.Status.Code.ALREADY_EXISTS.value())
                .setMessage(c == primary ? "you are the primary" : "you are a backup; the primary has election id "
                        + text(highest))
                .build();
        c.send(StreamMessageResponse.newBuilder().setArbitration(MasterArbitrationUpdate.newBuilder()
                .setDeviceId(deviceId).setElectionId(highest).setStatus(status)).build());
    }

    /** Checks that {@code electionId} is the current primary's; PERMISSION_DENIED otherwise. */
    public synchronized void requirePrimary(Uint128 electionId, String operation) {
        if (primary == null || !primary.electionId.equals(electionId)) {
            throw new P4RtException(io.grpc.Status.Code.PERMISSION_DENIED, operation + " refused: election id "
                    + text(electionId) + " is not the primary's"
                    + (primary == null ? " (no controller has arbitrated)" : " (" + text(primary.electionId) + ")"));
        }
    }

    public synchronized boolean isPrimary(Client c) {
        return c == primary;
    }

    public synchronized Client primary() {
        return primary;
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
