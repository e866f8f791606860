package org.sfc.controller;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two switches in front of the same devices, sharing the engine's addresses and MAC (seed Fig. 15, ¶158). Both hold
 * the same chains; only the active one has the entry points (ARP answers, port roles, punts), so only it answers
 * and forwards. This keeps the standby a copy of the active switch (its version and its device states: the
 * failovers the active one's health monitor made) and, when the active switch has been out of reach (no P4Runtime
 * session) for the takeover time, makes the standby active: its entry points are written, gratuitous ARP goes out
 * of its uplinks and its device ports are claimed. The returning switch comes back as the standby, repaired and
 * following; nothing moves back unless an operator says so ({@link #activate}).
 *
 * <p>The active switch is judged by its P4Runtime session alone: its heartbeats go through that session, so when it
 * is gone they stopped too. A switch whose control link broke while it still forwards is taken over as well; that
 * is harmless (both hold the same entries, the routers follow the gratuitous ARP) and it returns as the standby.
 */
final class RedundantPair implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedundantPair.class);

    private final SwitchKeeper first;
    private final SwitchKeeper second;
    private final Store store;
    private final Duration takeoverAfter;
    private final Object changes; // the daemon's lock for changes: a follow never interleaves with an apply
    private final Thread thread;
    private final AtomicLong takeovers = new AtomicLong();
    private volatile long lastTakeoverMillis = -1;
    private volatile boolean running = true;

    RedundantPair(SwitchKeeper first, SwitchKeeper second, Store store, Duration takeoverAfter, Object changes) {
        this.first = first;
        this.second = second;
        this.store = store;
        this.takeoverAfter = takeoverAfter;
        this.changes = changes;
        this.thread = new Thread(this::watch, "sfc-pair");
        thread.setDaemon(true);
    }

    /** The pair's name in the store: both switches' names, in a fixed order. */
    static String name(String a, String b) {
        return a.compareTo(b) < 0 ? a + " + " + b : b + " + " + a;
    }

    void start() {
        thread.start();
    }

    SwitchKeeper active() {
        return first.role() == Provisioner.Role.ACTIVE ? first : second;
    }

    SwitchKeeper standby() {
        return active() == first ? second : first;
    }

    List<SwitchKeeper> both() {
        return List.of(first, second);
    }

    long takeovers() {
        return takeovers.get();
    }

    /** How long the last takeover took, from the decision to the announcement sent (ms; -1: none yet). */
    long lastTakeoverMillis() {
        return lastTakeoverMillis;
    }

    /**
     * Brings the standby to the active switch's version and device states, if it is in charge; a failure is the
     * caller's to handle (an apply undoes itself on the active switch). Returns the standby's report, or null.
     */
    Provisioner.Report follow(String who) {
        Provisioner from = active().provisioner();
        Provisioner to = standby().provisioner();
        if (from == null || to == null || from.compiled() == null) {
            return null; // nothing to follow (an adopted version is not followed: it is no catalog)
        }
        return to.follow(from.version(), from.deviceStates(), who);
    }

    /**
     * Makes {@code name} the active switch (an operator moving the traffic back, or over for maintenance). It must be
     * in charge; it follows the active one first, then gets its entry points and announces, and only then the other
     * one's go: for a moment both forward (the same entries, the same MAC), never neither.
     */
    Provisioner.Report activate(String name, String who) {
        synchronized (changes) {
            SwitchKeeper to = first.name().equals(name) ? first : second.name().equals(name) ? second : null;
            if (to == null) {
                throw new IllegalArgumentException("switch " + name + " is not one of the pair (" + first.name() + ", "
                        + second.name() + ")");
            }
            if (to.role() == Provisioner.Role.ACTIVE) {
                return new Provisioner.Report(to.provisioner() == null ? 0 : to.provisioner().version(), 0, List.of(), 0);
            }
            if (to.provisioner() == null) {
                throw new IllegalStateException("switch " + name + " is not in the controller's charge; it cannot take "
                        + "the traffic");
            }
            follow(who);
            SwitchKeeper from = active();
            Provisioner.Report r = to.becomeActive(who);
            from.becomeStandby(who);
            store.setActive(name(), to.name());
            store.audit(who, "pair", to.name() + " made active by " + who + "; " + from.name() + " is the standby");
            return r != null ? r : new Provisioner.Report(0, 0, List.of(), 0);
        }
    }

    private String name() {
        return name(first.name(), second.name());
    }

    private void watch() {
        long nextFollow = 0;
        while (running) {
            try {
                Thread.sleep(20);
                SwitchKeeper active = active();
                SwitchKeeper standby = standby();
                if (standby.provisioner() != null && active.outOfReachNanos() >= takeoverAfter.toNanos()) {
                    takeOver(active, standby);
                } else if (System.nanoTime() >= nextFollow && differ(active, standby)) {
                    synchronized (changes) {
                        follow("controller");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                nextFollow = System.nanoTime() + 1_000_000_000L; // a standby that refuses is not asked 50 times a second
                log.warn("redundant pair: the standby could not follow: {}", e.getMessage());
            }
        }
    }

    private static boolean differ(SwitchKeeper active, SwitchKeeper standby) {
        Provisioner a = active.provisioner();
        Provisioner s = standby.provisioner();
        return a != null && s != null && a.compiled() != null
                && (a.version() != s.version() || !a.deviceStates().equals(s.deviceStates()));
    }

    /** The standby takes the addresses; no lock is taken first, so a change waiting for a drain cannot delay it. */
    private void takeOver(SwitchKeeper dead, SwitchKeeper standby) {
        long start = System.nanoTime();
        long outMs = dead.outOfReachNanos() / 1_000_000;
        Provisioner.Report r = standby.becomeActive("controller");
        dead.becomeStandby("controller");
        lastTakeoverMillis = (System.nanoTime() - start) / 1_000_000;
        takeovers.incrementAndGet();
        store.setActive(name(), standby.name());
        store.audit("controller", "takeover", standby.name() + " took over from " + dead.name() + ", out of reach "
                + "for " + outMs + " ms: " + (r == null ? 0 : r.writes()) + " entry points (ARP answers, port "
                + "roles, punts) written and the addresses announced in " + lastTakeoverMillis + " ms; " + dead.name() + " returns as the standby");
        log.warn("{} took over from {} ({} ms without it)", standby.name(), dead.name(), outMs);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
