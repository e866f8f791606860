package org.sfc.controller;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.Catalog.Device;
import org.sfc.compiler.DeviceStates;
import org.sfc.compiler.TableCompiler;

import com.google.protobuf.ByteString;

import p4.v1.P4RuntimeOuterClass.PacketIn;

/**
 * Heartbeats through every device (seed ¶160-162, ¶226): probes go out by packet-out straight to a device's
 * port and come back through the switch's punt entry (addressed to the probe IP) with the port they came in
 * on. A device that leaves {@code misses} intervals unanswered, or stops returning what it is sent (passive
 * counters, then one interval to answer a probe), has failed: the {@link Provisioner} acts on its policy
 * (spare, bypass, drop). A failed device that answers for its hold-down time fails back, or waits for an
 * operator ({@code failback: manual}). A server may also be failed by its clients' repeated SYNs ({@code syn-retries},
 * seed ¶160: see compareHandshakes). Every change of state is an {@link Event}: logged, audited, counted.
 *
 * <p>Probes ({@link Catalog#probeFor}): {@code loop} — a UDP datagram from and to the probe IP sent to the
 * device's MAC; a one-port device hands it back, a two-port one passes it across, so two-port devices are
 * probed in both directions (out of outside, back on inside, and the other way). {@code tcp} — a SYN from the
 * probe IP to the server's address and port, answered by a SYN-ACK (then reset, so the server keeps no
 * half-open connection). A probe's source port names the path it tests.
 */
public final class HealthMonitor implements AutoCloseable {
    /** A device's health. RECOVERED: answers again, waits for an operator to fail back (failback: manual). */
    public enum State { HEALTHY, FAILED, RECOVERED, DRAINED, UNPROBED }

    /**
     * One device as the monitor sees it. {@code lastAnswerMs}: ms since its last answer, -1 if none yet;
     * {@code pending}: the action of its latest state change is still being written to the switch (the state is
     * what it is going to, the traffic may still flow as before).
     */
    public record Status(String device, State state, String probe, String action, long lastAnswerMs, long probes,
                         long answers, boolean pending) {}

    /** A change of a device's state and what was done about it (writes to the switch). */
    public record Event(Instant at, String device, State from, State to, String detail, int writes) {}

    /** How often passive counters are compared, and how many unreturned packets make a device suspect. */
    public record Passive(long periodMillis, long minPackets) {
        public static final Passive DEFAULT = new Passive(500, 100);
        public static final Passive OFF = new Passive(0, 0);
    }

    static final int PATH_PORT_BASE = 49152; // probes' source ports: 49152 + path index
    private static final int SYN = 0x02;
    private static final int RST = 0x04;
    private static final int SYN_ACK = 0x12;
    private static final System.Logger LOG = System.getLogger("sfc.health");

    private final Provisioner provisioner;
    private final P4RuntimeClient client;
    private final Store store;
    private final Passive passive;
    private final java.util.function.LongSupplier clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "sfc-health"));
    private final ExecutorService actions = Executors.newSingleThreadExecutor(r -> daemon(r, "sfc-failover"));
    // Counter reads take tens of ms over gRPC: off the ticker, whose rounds must stay 5 ms apart for a late
    // round to mean a stalled controller (see controllerLate).
    private final ExecutorService counters = Executors.newSingleThreadExecutor(r -> daemon(r, "sfc-counters"));
    private final java.util.concurrent.atomic.AtomicBoolean comparing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean watchingSyns = new java.util.concurrent.atomic.AtomicBoolean();
    private final Thread reader;
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, Long> transitions = new java.util.concurrent.ConcurrentHashMap<>();

    // Guarded by this.
    private volatile Catalog planned;
    private Map<String, Tracked> devices = new LinkedHashMap<>();
    private final List<Path> paths = new ArrayList<>();
    private Map<String, long[]> lastCounters = new HashMap<>();
    private long nextPassive;
    // The SYN watch (seed ¶160): service -> the device its client SYNs watch; per service, the Handshake counters at
    // the last look and the SYNs counted since the last client ACK.
    private Map<String, String> synWatched = Map.of();
    private Map<String, long[]> lastHandshakes = new HashMap<>();
    private final Map<String, Long> synsInARow = new HashMap<>();
    private long nextSynWatch;
    private long lastTick;         // when the previous round ran (0: none yet)
    private long stalls;           // rounds that came late: the controller, not the devices, was silent
    private volatile boolean closed;

    /** One direction a probe tests: out of {@code outPort} to {@code dstMac}, expected back on {@code returnPort}. */
    private record Path(int index, Tracked device, String name, int outPort, long dstMac, int returnPort) {}

    private static final class Tracked {
        final Device device;
        final Catalog.ProbeTarget probe;
        final List<Path> paths = new ArrayList<>();
        final Map<Path, Long> lastAnswer = new HashMap<>();
        // Send times of the probes sent on each path since its last answer: only probes that went out and had
        // their whole interval count as missed, so a controller that could not send or read is no device's fault.
        final Map<Path, java.util.ArrayDeque<Long>> unanswered = new HashMap<>();
        State state = State.HEALTHY;
        long since;            // when the current state began (nanos)
        long answeringSince;   // a failed device answering on every path since (0: not answering)
        long suspectSince;     // passive counters made it suspect at (0: not suspect)
        long nextProbe;
        long seq;
        long probes;
        long answers;
        boolean busy;          // a failover or failback is being written

        Tracked(Device device, Catalog.ProbeTarget probe) {
            this.device = device;
            this.probe = probe;
        }
    }

    private HealthMonitor(Provisioner provisioner, P4RuntimeClient client, Store store, Passive passive,
                          java.util.function.LongSupplier clock) {
        this.provisioner = provisioner;
        this.client = client;
        this.store = store;
        this.passive = passive;
        this.clock = clock;
        this.reader = daemon(this::readPacketIns, "sfc-health-replies");
        provisioner.healthFrom(this::healthy);
    }

    /**
     * Starts probing every device of the switch's catalog (and of every catalog applied later). The monitor
     * owns the client's packet-ins from now on.
     */
    public static HealthMonitor start(Provisioner provisioner, P4RuntimeClient client, Store store, Passive passive) {
        return start(provisioner, client, store, passive, System::nanoTime);
    }

    /**
     * As {@link #start(Provisioner, P4RuntimeClient, Store, Passive)}, reading time (nanoseconds) from {@code clock}:
     * a test can make the controller "stall" (time jumps while nothing ran) without stalling a machine.
     */
    public static HealthMonitor start(Provisioner provisioner, P4RuntimeClient client, Store store, Passive passive,
                                      java.util.function.LongSupplier clock) {
        HealthMonitor m = new HealthMonitor(provisioner, client, store, passive, clock);
        m.reader.start();
        m.ticker.scheduleWithFixedDelay(m::tickSafely, 0, 5, TimeUnit.MILLISECONDS);
        return m;
    }

    public void onEvent(Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** Every device of the catalog with its health, by name. */
    public synchronized List<Status> status() {
        long now = clock.getAsLong();
        DeviceStates states = provisioner.deviceStates();
        List<Status> out = new ArrayList<>();
        for (Tracked t : new java.util.TreeMap<>(devices).values()) {
            long last = t.lastAnswer.values().stream().mapToLong(Long::longValue).max().orElse(0);
            out.add(new Status(t.device.id(), t.state, t.probe.kind().name().toLowerCase(),
                    states.describe(t.device.id()), last == 0 ? -1 : (now - last) / 1_000_000, t.probes, t.answers,
                    t.busy));
        }
        return out;
    }

    /** Rounds that ran late (a GC pause, a starved thread), in which no device was judged. */
    public synchronized long stalls() {
        return stalls;
    }

    /** How many times devices entered each state (for metrics). */
    public Map<String, Long> transitions() {
        return Map.copyOf(transitions);
    }

    private synchronized boolean healthy(String device) {
        Tracked t = devices.get(device);
        return t == null || t.state == State.HEALTHY || t.state == State.UNPROBED;
    }

    // ------------------------------------------------------------------ planning

    /** Builds the probe paths of a (new) catalog; devices that stay keep their state. */
    private void plan(Catalog c) {
        long now = clock.getAsLong();
        DeviceStates states = provisioner.deviceStates();
        Map<String, Tracked> next = new LinkedHashMap<>();
        paths.clear();
        for (Device d : c.devices().values()) {
            Tracked old = devices.get(d.id());
            Tracked t = new Tracked(d, c.probeFor(d));
            if (old != null && old.device.equals(d)) {
                t.state = old.state;
                t.since = old.since;
                t.answeringSince = old.answeringSince;
                t.probes = old.probes;
                t.answers = old.answers;
                t.seq = old.seq;
            } else {
                // A device the switch already treats as failed (a restart) starts failed; drained ones stay drained.
                t.state = states.drained().contains(d.id()) ? State.DRAINED
                        : states.affects(d.id()) ? State.FAILED : State.HEALTHY;
                t.since = now;
            }
            if (t.probe.kind() == Catalog.Probe.NONE) {
                // (a device with no heartbeats fails by its SYN watch only, and stays failed until restored)
                t.state = states.drained().contains(d.id()) ? State.DRAINED
                        : states.affects(d.id()) ? State.FAILED : State.UNPROBED;
            } else if (t.probe.kind() == Catalog.Probe.LOOP && d.twoPort()) {
                addPath(t, "outside->inside", d.outside().port(), d.outside().mac().value(), d.inside().port());
                addPath(t, "inside->outside", d.inside().port(), d.inside().mac().value(), d.outside().port());
            } else {
                addPath(t, t.probe.kind() == Catalog.Probe.TCP ? "handshake" : "loop", d.outside().port(),
                        d.outside().mac().value(), d.outside().port());
            }
            for (Path p : t.paths) {
                // Answers seen and probes waiting before a re-plan still count; a new path gets its whole allowance
                // from now.
                Path was = old == null ? null : old.paths.stream().filter(o -> o.name().equals(p.name())).findFirst()
                        .orElse(null);
                t.lastAnswer.put(p, was != null ? old.lastAnswer.get(was) : now);
                t.unanswered.put(p, was != null ? old.unanswered.get(was) : new java.util.ArrayDeque<>());
            }
            next.put(d.id(), t);
        }
        devices = next;
        planned = c;
        lastCounters = new HashMap<>();
        Map<String, String> watched = new HashMap<>();
        for (Device d : c.devices().values()) {
            if (d.health().synRetries() > 0) {
                c.synWatched(d).forEach(svc -> watched.put(svc.name(), d.id()));
            }
        }
        synWatched = watched;
        lastHandshakes = new HashMap<>();
        synsInARow.keySet().retainAll(watched.keySet());
    }

    private void addPath(Tracked t, String name, int out, long mac, int back) {
        Path p = new Path(paths.size(), t, name, out, mac, back);
        paths.add(p);
        t.paths.add(p);
    }

    // ------------------------------------------------------------------ probing and judging

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "health check round failed: " + e.getMessage(), e);
        }
    }

    private void tick() {
        TableCompiler.Result compiled = provisioner.compiled();
        if (compiled == null || closed) {
            return;
        }
        List<Runnable> toSend = new ArrayList<>();
        synchronized (this) {
            if (compiled.catalog() != planned) {
                plan(compiled.catalog());
            }
            long now = clock.getAsLong();
            boolean late = controllerLate(now);
            if (passive.periodMillis() > 0 && now >= nextPassive) {
                nextPassive = now + passive.periodMillis() * 1_000_000;
                if (comparing.compareAndSet(false, true)) { // (the last comparison may still be reading)
                    counters.execute(() -> {
                        try {
                            comparePassiveCounters();
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING, "passive counter check failed: " + e.getMessage(), e);
                        } finally {
                            comparing.set(false);
                        }
                    });
                }
            }
            if (!synWatched.isEmpty() && now >= nextSynWatch) {
                nextSynWatch = now + SYN_WATCH_MILLIS * 1_000_000;
                if (watchingSyns.compareAndSet(false, true)) {
                    counters.execute(() -> {
                        try {
                            compareHandshakes();
                        } catch (RuntimeException e) {
                            LOG.log(System.Logger.Level.WARNING, "SYN watch failed: " + e.getMessage(), e);
                        } finally {
                            watchingSyns.set(false);
                        }
                    });
                }
            }
            for (Tracked t : devices.values()) {
                if (t.paths.isEmpty()) {
                    continue;
                }
                if (now >= t.nextProbe) {
                    t.nextProbe = now + t.device.health().intervalMs() * 1_000_000L;
                    long seq = ++t.seq;
                    t.probes++;
                    for (Path p : t.paths) {
                        java.util.ArrayDeque<Long> pending = t.unanswered.get(p);
                        pending.addLast(now);
                        if (pending.size() > t.device.health().misses() + 1) {
                            pending.removeFirst(); // enough to judge by; an answer clears them all
                        }
                        toSend.add(() -> sendProbe(p, seq));
                    }
                }
                if (!late) {
                    judge(t, now);
                }
            }
        }
        toSend.forEach(Runnable::run);
    }

    /**
     * Whether this round comes late: the previous one ran more than {@link #STALL_NANOS} ago (rounds are 5 ms
     * apart), so the controller itself did not run in between (a GC pause, a starved thread) and could neither
     * send probes nor read answers. Nobody is judged this round, and the stalled time is given back: probes
     * still waiting, last answers and suspicions move forward by it, as if it had not passed. Answers that
     * arrived meanwhile wait in the packet-in queue and are read well within what is left of their interval.
     */
    private boolean controllerLate(long now) {
        long gap = lastTick == 0 ? 0 : now - lastTick;
        lastTick = now;
        if (gap <= STALL_NANOS) {
            return false;
        }
        stalls++;
        for (Tracked t : devices.values()) {
            for (java.util.ArrayDeque<Long> q : t.unanswered.values()) {
                Long[] sent = q.toArray(Long[]::new);
                q.clear();
                for (Long at : sent) {
                    q.addLast(at + gap);
                }
            }
            t.lastAnswer.replaceAll((p, at) -> at + gap);
            if (t.suspectSince != 0) {
                t.suspectSince += gap;
            }
            t.nextProbe = now; // probe at once: the devices had no probe while the controller stood still
        }
        return true;
    }

    /** A round later than this after the previous one means the controller did not run in between. */
    static final long STALL_NANOS = 50_000_000;

    /** Probes on {@code p} that went out, had their whole interval, and were not answered. */
    private static int missed(Tracked t, Path p, long now, long interval) {
        int n = 0;
        for (long sent : t.unanswered.get(p)) {
            if (now - sent > interval) {
                n++;
            }
        }
        return n;
    }

    /** Moves a device between states by its answers; failovers and failbacks are written off this thread. */
    private void judge(Tracked t, long now) {
        long interval = t.device.health().intervalMs() * 1_000_000L;
        int misses = t.device.health().misses();
        boolean allAnswering = t.paths.stream().allMatch(p -> missed(t, p, now, interval) < misses);
        boolean suspectTimedOut = t.suspectSince != 0 && now - t.suspectSince > interval
                && t.paths.stream().anyMatch(p -> t.lastAnswer.get(p) < t.suspectSince);
        if (t.busy) {
            return;
        }
        syncWithOperator(t);
        switch (t.state) {
            case HEALTHY -> {
                if (!allAnswering || suspectTimedOut) {
                    Path silent = t.paths.stream().min((a, b) -> Long.compare(t.lastAnswer.get(a), t.lastAnswer.get(b)))
                            .orElseThrow();
                    String why = suspectTimedOut ? "it returned too few of the packets sent to it and did not answer "
                            + "a probe within " + interval / 1_000_000 + " ms"
                            : "no answer " + silent.name() + " for " + (now - t.lastAnswer.get(silent)) / 1_000_000 + " ms";
                    t.suspectSince = 0;
                    act(t, State.FAILED, why, () -> provisioner.fail(t.device.id(), "health"));
                }
            }
            case FAILED -> {
                boolean answeringSinceFailure = t.paths.stream().allMatch(p -> t.lastAnswer.get(p) > t.since
                        && now - t.lastAnswer.get(p) <= interval * 2);
                if (!answeringSinceFailure) {
                    t.answeringSince = 0;
                } else if (t.answeringSince == 0) {
                    t.answeringSince = now;
                } else if (now - t.answeringSince >= t.device.health().holdDownMs() * 1_000_000L) {
                    String why = "answering for " + (now - t.answeringSince) / 1_000_000 + " ms";
                    if (t.device.health().failback() == Catalog.Failback.AUTO) {
                        act(t, State.HEALTHY, why + ": failing back", () -> provisioner.restore(t.device.id(), "health"));
                    } else {
                        change(t, State.RECOVERED, why + "; failback is manual: sfc device restore "
                                + t.device.id(), 0);
                    }
                }
            }
            case RECOVERED -> {
                if (!allAnswering) {
                    change(t, State.FAILED, "silent again before it was restored", 0);
                }
            }
            default -> { }
        }
    }

    /** Follows what an operator did: a drain, the end of one, a manual failback. */
    private void syncWithOperator(Tracked t) {
        DeviceStates states = provisioner.deviceStates();
        String id = t.device.id();
        if (states.drained().contains(id) && t.state != State.DRAINED) {
            change(t, State.DRAINED, "drained by an operator to " + states.replacedBy().get(id), 0);
        } else if (t.state == State.DRAINED && !states.drained().contains(id)) {
            change(t, t.paths.isEmpty() ? State.UNPROBED : State.HEALTHY, "back in service (restored by an operator)", 0);
        } else if (t.state == State.RECOVERED && !states.affects(id)) {
            change(t, State.HEALTHY, "failed back by an operator", 0);
        }
    }

    /** Enters {@code to} now (so nothing re-triggers) and writes the action on the failover thread. */
    private void act(Tracked t, State to, String why, java.util.function.Supplier<Provisioner.Report> action) {
        State from = t.state;
        t.state = to;
        t.since = clock.getAsLong();
        t.answeringSince = 0;
        t.busy = true;
        String standsInFor = provisioner.deviceStates().standsInFor(t.device.id());
        actions.execute(() -> {
            int writes = 0;
            String outcome;
            try {
                Provisioner.Report r = action.get();
                writes = r.writes();
                DeviceStates now = provisioner.deviceStates();
                boolean handedOn = standsInFor != null && to == State.FAILED;
                outcome = handedOn
                        ? "it stood in for " + standsInFor + ", which is now: " + now.describe(standsInFor)
                        : now.describe(t.device.id()).equals("-") ? "in service" : now.describe(t.device.id());
                String fallback = provisioner.fallback(handedOn ? standsInFor : t.device.id());
                if (!fallback.isEmpty()) {
                    outcome += " (" + fallback + ")"; // every fallback is an event: a spare policy found no spare
                }
                outcome += " (" + Provisioner.writes(writes) + " in " + r.millis() + " ms)";
            } catch (RuntimeException e) {
                outcome = "the switch could not be changed: " + e.getMessage();
                LOG.log(System.Logger.Level.ERROR, t.device.id() + ": " + outcome, e);
            }
            synchronized (this) {
                t.busy = false;
            }
            emit(new Event(Instant.now(), t.device.id(), from, to, why + "; " + outcome, writes));
        });
    }

    private void change(Tracked t, State to, String why, int writes) {
        State from = t.state;
        t.state = to;
        t.since = clock.getAsLong();
        emit(new Event(Instant.now(), t.device.id(), from, to, why, writes));
    }

    private void emit(Event e) {
        transitions.merge(e.to().name().toLowerCase(), 1L, Long::sum);
        LOG.log(e.to() == State.HEALTHY ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                e.device() + ": " + e.from() + " -> " + e.to() + ": " + e.detail());
        try {
            store.audit("health", "event", e.device() + ": " + e.from().name().toLowerCase() + " -> "
                    + e.to().name().toLowerCase() + ": " + e.detail());
        } catch (RuntimeException ex) {
            LOG.log(System.Logger.Level.ERROR, "cannot audit a health event: " + ex.getMessage());
        }
        listeners.forEach(l -> l.accept(e));
    }

    // ------------------------------------------------------------------ probes on the wire

    private void sendProbe(Path p, long seq) {
        Catalog c = planned;
        long probeIp = c.switchInfo().probeIp().value();
        long switchMac = c.switchInfo().mac().value();
        int port = PATH_PORT_BASE + (p.index() % 16384);
        Frame f = p.device().probe.kind() == Catalog.Probe.TCP
                ? Frame.tcp(p.dstMac(), switchMac, probeIp, p.device().probe.ip().value(), port,
                        p.device().probe.port(), SYN, seq, 0, "")
                : Frame.of(17, p.dstMac(), switchMac, probeIp, probeIp, port, port, 0,
                        "sfc heartbeat " + p.device().device.id() + " " + p.name() + " " + seq);
        packetOut(p.outPort(), f);
    }

    private void packetOut(int port, Frame f) {
        TableCompiler.Result compiled = provisioner.compiled();
        if (compiled == null) {
            return; // nothing applied yet: nothing to probe
        }
        try {
            client.packetOut(ByteString.copyFrom(f.bytes()), PacketOuts.toPort(compiled.state().schema().p4info(), port));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot send a probe: " + e.getMessage());
        }
    }

    private void readPacketIns() {
        while (!closed) {
            PacketIn in;
            try {
                in = client.packetIns().poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (in != null) {
                try {
                    answer(in);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "ignoring a packet-in: " + e.getMessage());
                }
            }
        }
    }

    /** A punted packet: if it is the answer a path waits for (right port, right ports), the path is alive. */
    private void answer(PacketIn in) {
        Frame f = new Frame(in.getPayload().toByteArray());
        if (!f.isIpv4TcpOrUdp() || in.getMetadataCount() == 0) {
            return;
        }
        int ingress = (int) org.sfc.compiler.Schema.value(in.getMetadata(0).getValue());
        boolean tcp = f.protocol() == 6;
        int pathPort = tcp ? f.dport() : f.sport();
        Frame reset = null;
        synchronized (this) {
            int index = pathPort - PATH_PORT_BASE;
            if (planned == null || index < 0 || index >= paths.size()
                    || f.dstIp() != planned.switchInfo().probeIp().value()) {
                return;
            }
            for (int i = index; i < paths.size(); i += 16384) {
                Path p = paths.get(i);
                Tracked t = p.device();
                boolean isTcp = t.probe.kind() == Catalog.Probe.TCP;
                if (p.returnPort() != ingress || isTcp != tcp || (tcp && (f.tcpFlags() & SYN_ACK) != SYN_ACK)) {
                    continue;
                }
                t.lastAnswer.put(p, clock.getAsLong());
                t.unanswered.get(p).clear();
                t.answers++;
                if (t.suspectSince != 0 && t.paths.stream().allMatch(x -> t.lastAnswer.get(x) >= t.suspectSince)) {
                    t.suspectSince = 0;
                }
                if (tcp) {
                    reset = Frame.tcp(f.srcMac(), planned.switchInfo().mac().value(), f.dstIp(), f.srcIp(), f.dport(),
                            f.sport(), RST, f.tcpAck(), 0, "");
                    ingress = p.outPort();
                }
                break;
            }
        }
        if (reset != null) {
            packetOut(ingress, reset); // the server forgets the half-open connection
        }
    }

    // ------------------------------------------------------------------ passive detection

    /**
     * Compares what the switch sent each device with what came back from it since the last look; a device that
     * returned less than half of at least {@code minPackets} is probed at once and has one interval to answer.
     */
    private void comparePassiveCounters() {
        TableCompiler.Result compiled = provisioner.compiled();
        if (compiled == null) {
            return; // rolled back to adopted entries since the round began: no catalog, no devices
        }
        Map<String, Integer> ids = compiled.ids().asMap().getOrDefault("device", Map.of());
        Map<String, long[]> counts;
        try {
            counts = Accounting.deviceCounts(client, compiled.state().schema().p4info(), ids);
        } catch (RuntimeException e) {
            return; // the switch is away; heartbeats will tell
        }
        List<Runnable> probes = new ArrayList<>();
        synchronized (this) {
            long now = clock.getAsLong();
            for (var e : counts.entrySet()) {
                long[] before = lastCounters.get(e.getKey());
                lastCounters.put(e.getKey(), e.getValue());
                Tracked t = devices.get(e.getKey());
                if (before == null || t == null || t.state != State.HEALTHY || t.paths.isEmpty() || t.suspectSince != 0) {
                    continue;
                }
                long sent = e.getValue()[0] - before[0];
                long back = e.getValue()[1] - before[1];
                if (sent >= passive.minPackets() && back * 2 < sent) {
                    t.suspectSince = now;
                    long seq = ++t.seq;
                    t.probes++;
                    t.paths.forEach(p -> probes.add(() -> sendProbe(p, seq)));
                    LOG.log(System.Logger.Level.WARNING, t.device.id() + ": sent " + sent + " packets, " + back
                            + " came back: probing now");
                }
            }
        }
        probes.forEach(Runnable::run);
    }

    /** How often the Handshake counters of SYN-watched services are read. */
    public static final long SYN_WATCH_MILLIS = 200;

    /**
     * The SYN watch (seed Fig. 15A, ¶160): per service whose server has {@code syn-retries}, the client SYNs since the
     * last client packet carrying an ACK; that many SYNs in a row and the server has failed (its policy acts, as for a
     * missed heartbeat). A server with no heartbeats stays failed until an operator restores it: nothing here tells
     * that it answers again.
     */
    private void compareHandshakes() {
        TableCompiler.Result compiled = provisioner.compiled();
        Map<String, String> watched = synWatched;
        if (compiled == null || watched.isEmpty()) {
            return;
        }
        Map<String, Integer> ids = new HashMap<>();
        Map<String, Integer> serviceIds = compiled.ids().asMap().getOrDefault("service", Map.of());
        watched.keySet().forEach(svc -> {
            if (serviceIds.containsKey(svc)) {
                ids.put(svc, serviceIds.get(svc));
            }
        });
        Map<String, long[]> counts;
        try {
            counts = Accounting.handshakes(client, compiled.state().schema().p4info(), ids);
        } catch (RuntimeException e) {
            return; // the switch is away; heartbeats will tell
        }
        DeviceStates states = provisioner.deviceStates();
        synchronized (this) {
            for (var e : counts.entrySet()) {
                String service = e.getKey();
                long[] before = lastHandshakes.put(service, e.getValue());
                Tracked t = devices.get(watched.get(service));
                if (before == null || t == null || t.busy) {
                    continue;
                }
                if (t.paths.isEmpty() && t.state == State.FAILED && !states.affects(t.device.id())) {
                    change(t, State.UNPROBED, "back in service (restored by an operator)", 0);
                }
                long syns = e.getValue()[0] - before[0];
                long acks = e.getValue()[1] - before[1];
                long inARow = acks > 0 ? 0 : synsInARow.getOrDefault(service, 0L) + syns;
                synsInARow.put(service, inARow);
                int limit = t.device.health().synRetries();
                if (inARow >= limit && (t.state == State.HEALTHY || t.state == State.UNPROBED)) {
                    synsInARow.put(service, 0L);
                    act(t, State.FAILED, inARow + " SYNs in a row from clients of service " + service + " and no "
                            + "handshake completed (syn-retries " + limit + "): the server does not answer",
                            () -> provisioner.fail(t.device.id(), "health"));
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ticker.shutdownNow();
        counters.shutdownNow();
        reader.interrupt();
        actions.shutdown();
        try {
            actions.awaitTermination(10, TimeUnit.SECONDS);
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
