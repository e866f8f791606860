package org.sfc.controller;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one switch in the daemon's charge: connects (with backoff), takes charge (pushes the pipeline if missing,
 * reconciles), watches the session, repairs drift, and, while the switch is the active one, runs its health
 * monitor. On loss it backs off and starts again, so a restarted switch gets everything back. A standby of a
 * redundant pair is kept the same way, without the monitor and without ARP answers (its {@link Provisioner.Role}).
 */
final class SwitchKeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchKeeper.class);

    /** Where a switch is: its P4Runtime address and device id. Its name in the store is "host:port/device-id". */
    record Address(String host, int port, long deviceId) {
        String name() {
            return host + ":" + port + "/" + deviceId;
        }
    }

    private final Address address;
    private final PipelineConfig pipeline;
    private final ControllerDaemon.Config config;
    private final Store store;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Provisioner.Role role;
    private volatile P4RuntimeClient client;
    private volatile Provisioner provisioner;
    private volatile HealthMonitor monitor;
    private volatile String refusal;
    // When the P4Runtime session was lost (nanos; 0 while there is one). A switch never reached since this keeper
    // started counts from then; one being taken charge of (a pipeline push takes a while) is not lost.
    private volatile long lostAt = System.nanoTime();
    private final AtomicLong connects = new AtomicLong();
    // Drift found and repaired by earlier connections (each Provisioner counts its own).
    private final AtomicLong driftFoundBefore = new AtomicLong();
    private final AtomicLong driftRepairedBefore = new AtomicLong();

    SwitchKeeper(Address address, PipelineConfig pipeline, Provisioner.Role role, ControllerDaemon.Config config,
                 Store store) {
        this.address = address;
        this.pipeline = pipeline;
        this.role = role;
        this.config = config;
        this.store = store;
        this.thread = new Thread(this::keep, "sfc-keeper-" + address.name());
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String name() {
        return address.name();
    }

    Provisioner.Role role() {
        return role;
    }

    /** The switch's provisioner while this controller is primary for it and it holds its version; else null. */
    Provisioner provisioner() {
        return provisioner;
    }

    P4RuntimeClient client() {
        return client;
    }

    /** The health monitor, while the switch is in charge and active; else null. */
    HealthMonitor monitor() {
        return monitor;
    }

    /** Why the switch was refused (it holds entries this database did not write), or null. */
    String refusal() {
        return refusal;
    }

    long connects() {
        return connects.get();
    }

    long driftFound() {
        Provisioner p = provisioner;
        return driftFoundBefore.get() + (p == null ? 0 : p.driftFound());
    }

    long driftRepaired() {
        Provisioner p = provisioner;
        return driftRepairedBefore.get() + (p == null ? 0 : p.driftRepaired());
    }

    /** How long the switch has been out of reach: no P4Runtime session with it (0 while there is one). */
    long outOfReachNanos() {
        long since = lostAt;
        return since == 0 ? 0 : System.nanoTime() - since;
    }

    /**
     * Makes the switch the active one of its pair: its ARP entries are written and its addresses announced if it is
     * in charge (else when it is next); its health monitor starts. Returns the provisioner's report, or null.
     */
    synchronized Provisioner.Report becomeActive(String who) {
        role = Provisioner.Role.ACTIVE;
        Provisioner p = provisioner;
        Provisioner.Report r = p == null ? null : p.becomeActive(who);
        startOrStopMonitor();
        return r;
    }

    /** Makes the switch the standby: its ARP entries go (if in charge; else when it is next), its monitor stops. */
    synchronized Provisioner.Report becomeStandby(String who) {
        role = Provisioner.Role.STANDBY;
        startOrStopMonitor();
        Provisioner p = provisioner;
        return p == null ? null : p.becomeStandby(who);
    }

    /** The monitor runs where the traffic is: on the active switch of a pair (the standby follows its failovers). */
    private void startOrStopMonitor() {
        Provisioner p = provisioner;
        if (role == Provisioner.Role.ACTIVE && p != null && monitor == null) {
            monitor = HealthMonitor.start(p, client, store, config.passive());
        } else if (role == Provisioner.Role.STANDBY && monitor != null) {
            monitor.close();
            monitor = null;
        }
    }

    /** Connect, take charge (push pipeline, reconcile), watch; on loss, back off and start again. */
    private void keep() {
        long backoff = 100;
        while (running) {
            P4RuntimeClient c = null;
            try {
                c = P4RuntimeClient.connect(address.host(), address.port(), address.deviceId(), config.electionId(),
                        3000, config.tls());
                client = c;
                lostAt = 0;
                Provisioner p;
                try {
                    p = Provisioner.start(c, pipeline, store, name(), "controller",
                            config.ownership().takeover(), role);
                    p.drainTime(config.ownership().drain());
                    refusal = null;
                } catch (Provisioner.ForeignEntries e) {
                    if (!e.getMessage().equals(refusal)) {
                        log.error("{}", e.getMessage());
                    }
                    refusal = e.getMessage();
                    throw e;
                }
                synchronized (this) {
                    provisioner = p;
                    if (p.role() != role) { // the role changed while it was being started
                        if (role == Provisioner.Role.ACTIVE) {
                            p.becomeActive("controller");
                        } else {
                            p.becomeStandby("controller");
                        }
                    }
                    startOrStopMonitor();
                }
                connects.incrementAndGet();
                backoff = 100;
                log.info("in charge of {} ({}) at version {}", name(), role.name().toLowerCase(), p.version());
                long nextDriftCheck = System.currentTimeMillis() + config.ownership().driftCheckMillis();
                try {
                    while (running && c.alive() && c.primary()) {
                        Thread.sleep(20);
                        if (config.ownership().driftCheckMillis() > 0 && System.currentTimeMillis() >= nextDriftCheck) {
                            checkDrift(p);
                            nextDriftCheck = System.currentTimeMillis() + config.ownership().driftCheckMillis();
                        }
                    }
                } finally {
                    driftFoundBefore.addAndGet(p.driftFound());
                    driftRepairedBefore.addAndGet(p.driftRepaired());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("switch {}: {}; retrying in {} ms", name(), e.getMessage(), backoff);
            } finally {
                synchronized (this) {
                    provisioner = null;
                    if (monitor != null) {
                        monitor.close();
                        monitor = null;
                    }
                }
                if (c != null) {
                    c.close();
                }
                if (lostAt == 0) {
                    lostAt = System.nanoTime();
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, 2000);
        }
    }

    /** Reads the switch and repairs drift (the provisioner reports it). */
    private void checkDrift(Provisioner p) {
        try {
            p.reconcile("controller");
        } catch (RuntimeException e) {
            log.warn("switch {}: drift check failed: {}", name(), e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        HealthMonitor m = monitor;
        if (m != null) {
            m.close(); // first: a controller going away must not fail devices on its way out
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
