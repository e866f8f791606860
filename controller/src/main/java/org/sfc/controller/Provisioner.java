package org.sfc.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.DeviceStates;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * Keeps one switch at the catalog version the operator chose. {@link #apply} validates and compiles a
 * catalog, records it, and writes only the difference, batch by batch (each atomic); if the switch refuses
 * an update, what was already written is undone and the error names the catalog object. {@link #reconcile}
 * reads the switch and repairs it to the desired state (a restarted switch or controller, a cut-off apply).
 */
public final class Provisioner {
    /**
     * What an apply, rollback or reconcile did. {@code versioned}: services whose changed steps were written under
     * their other version; {@code draining}: old entries kept until the drain time is over (removed then).
     */
    public record Report(int version, int writes, List<String> batches, long millis, int repaired,
                         List<String> versioned, int draining) {
        public Report {
            batches = List.copyOf(batches);
            versioned = List.copyOf(versioned);
        }

        /** A report with no drift repaired before the change. */
        public Report(int version, int writes, List<String> batches, long millis) {
            this(version, writes, batches, millis, 0, List.of(), 0);
        }
    }

    /**
     * How long a versioned cut-over keeps a service's old steps for packets still inside its devices: longer than
     * any device holds a packet (a firewall's queue, a proxy's buffer), short enough not to delay the next change.
     */
    public static final java.time.Duration DEFAULT_DRAIN = java.time.Duration.ofSeconds(2);

    /** Old entries a versioned cut-over keeps, until {@code dueNanos}, for packets inside devices. */
    private record Draining(List<Entity> entities, long dueNanos) {}

    private static final java.util.concurrent.ScheduledExecutorService DRAINS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sfc-drain");
                t.setDaemon(true);
                return t;
            });

    /** "1 write", "4 writes": how operators read a count of updates. */
    public static String writes(int n) {
        return n + (n == 1 ? " write" : " writes");
    }

    private static final System.Logger LOG = System.getLogger(Provisioner.class.getName());

    /** The switch has a primary controller with a higher election id: this one may only read. */
    public static final class NotPrimary extends IllegalStateException {
        NotPrimary(String message) {
            super(message);
        }
    }

    /** An apply the switch refused; the switch is back where it was. */
    public static final class ApplyFailed extends RuntimeException {
        public ApplyFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final P4RuntimeClient client;
    private final Schema schema;
    private final Store store;
    private final String switchName;
    /** Updates per Write request: well under gRPC's default 4 MiB message limit on any target. */
    public static final int DEFAULT_UPDATES_PER_REQUEST = 5000;

    private int updatesPerRequest = DEFAULT_UPDATES_PER_REQUEST;
    /** ROLLBACK_ON_ERROR until the switch says it does not implement it (see send). */
    private WriteRequest.Atomicity atomicity = WriteRequest.Atomicity.ROLLBACK_ON_ERROR;
    private java.util.function.BiConsumer<Integer, Integer> progress = (done, total) -> { };
    private java.util.function.Predicate<String> healthy = device -> true;
    // What the switch has (null: nothing of ours). Volatile: the health monitor reads it without the lock.
    private volatile TableCompiler.Result current;
    // Or, for a switch adopted as found, the entries it held (then current is null).
    private DesiredState adopted;
    private int currentVersion;
    private long cookie;
    private final java.util.concurrent.atomic.AtomicLong driftRepaired = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong driftFound = new java.util.concurrent.atomic.AtomicLong();
    private java.time.Duration drainTime = DEFAULT_DRAIN;
    private volatile Draining draining; // (volatile: metrics read it without the lock)

    private Provisioner(P4RuntimeClient client, Schema schema, Store store, String switchName) {
        this.client = client;
        this.schema = schema;
        this.store = store;
        this.switchName = switchName;
    }

    /** How to take charge of a switch that holds entries no version of this database wrote. */
    public enum Takeover {
        /** Refuse ({@link ForeignEntries}): they may be another controller's, or an operator's. */
        REFUSE,
        /** Overwrite them: the operator said so ({@code --replace}); the audit log records how many. */
        REPLACE
    }

    /** The switch holds entries that no version of this database wrote; nothing was changed. */
    public static final class ForeignEntries extends IllegalStateException {
        private final int count;

        ForeignEntries(String switchName, int count, String why) {
            super("switch " + switchName + " holds " + count + (count == 1 ? " entry" : " entries") + " that no version "
                    + "of this database wrote (" + why + "); nothing was changed. `sfc switch adopt` records them as a "
                    + "version, or `--replace` overwrites them");
            this.count = count;
        }

        public int count() {
            return count;
        }
    }

    /** Takes charge of a switch, refusing one that holds entries this database did not write. */
    public static Provisioner start(P4RuntimeClient client, PipelineConfig pipeline, Store store, String switchName,
                                    String who) {
        return start(client, pipeline, store, switchName, who, Takeover.REFUSE);
    }

    /**
     * Takes charge of a switch. The store's record of a switch is about one pipeline instance (its cookie): a
     * switch without a pipeline is pushed ours under a fresh cookie; one running a pipeline this database did
     * not record holds foreign entries unless it holds none, and is refused (or, with {@link Takeover#REPLACE},
     * overwritten). Then the version the store says the switch has (or was being given, if an apply was cut
     * off) is recompiled and the switch repaired to it; differences on a switch that kept its pipeline are
     * drift, reported as such.
     */
    public static Provisioner start(P4RuntimeClient client, PipelineConfig pipeline, Store store, String switchName,
                                    String who, Takeover takeover) {
        return start(client, pipeline, store, switchName, who, takeover, Role.ACTIVE);
    }

    /** As {@link #start(P4RuntimeClient, PipelineConfig, Store, String, String, Takeover)}, as one of a pair. */
    public static Provisioner start(P4RuntimeClient client, PipelineConfig pipeline, Store store, String switchName,
                                    String who, Takeover takeover, Role role) {
        requirePrimary(client, switchName);
        P4RuntimeClient.Installed installed = client.installed();
        Store.Applied applied = store.applied(switchName);
        boolean recorded = installed != null && applied != null
                && (applied.cookie() == null || applied.cookie() == installed.cookie());
        if (installed != null && !recorded) {
            int foreign = SwitchContents.read(client, installed.p4info()).size();
            if (foreign > 0) {
                String why = applied == null ? "this database has applied nothing to it"
                        : "its pipeline is not the one this database wrote to (cookie " + Long.toUnsignedString(
                                installed.cookie()) + ", recorded " + Long.toUnsignedString(applied.cookie()) + ")";
                if (takeover == Takeover.REFUSE) {
                    throw new ForeignEntries(switchName, foreign, why);
                }
                store.audit(who, "replace", "took charge of " + switchName + ", overwriting " + foreign
                        + " entries that no version of this database wrote (" + why + ")");
            }
        }
        long cookie;
        boolean pushed = installed == null || !pipeline.p4info().equals(installed.p4info());
        if (pushed) {
            cookie = newCookie();
            client.setPipeline(pipeline.p4info(), pipeline.deviceConfig(), cookie);
            store.audit(who, "pipeline", "pushed the pipeline to " + switchName);
        } else {
            cookie = installed.cookie();
        }
        Provisioner p = new Provisioner(client, new Schema(pipeline.p4info()), store, switchName);
        p.cookie = cookie;
        p.role = role;
        if (applied != null) {
            p.load(store.version(applied.version()));
        }
        Report r = p.repair(who, recorded && !pushed);
        p.announceAll(); // routers learn the switch's MAC for its addresses now, not at their next ARP
        if (applied != null) {
            store.setApplied(switchName, applied.version(), true, cookie);
            if (applied.applying()) {
                store.audit(who, "apply", "finished version " + applied.version() + " on " + switchName
                        + " after a restart: " + r.writes() + " writes");
            }
        }
        return p;
    }

    /**
     * Records what a switch holds, as it is, as a new version ({@code sfc switch adopt}): from then on this
     * database is in charge of it, and a rollback to that version puts those entries back. The switch must run
     * this sfc's pipeline (entries of another program cannot be a version of ours); nothing is written.
     */
    public static Provisioner adopt(P4RuntimeClient client, PipelineConfig pipeline, Store store, String switchName,
                                    String who, String note) {
        requirePrimary(client, switchName);
        P4RuntimeClient.Installed installed = client.installed();
        if (installed == null) {
            throw new IllegalArgumentException("switch " + switchName + " has no pipeline: there is nothing to adopt; "
                    + "apply a catalog instead");
        }
        if (!pipeline.p4info().equals(installed.p4info())) {
            throw new IllegalArgumentException("switch " + switchName + " runs another P4 program (its P4Info is not "
                    + "this pipeline's), so its entries cannot be a version of ours; `--replace` on apply overwrites it");
        }
        Provisioner p = new Provisioner(client, new Schema(pipeline.p4info()), store, switchName);
        p.cookie = installed.cookie();
        List<Entity> entities = p.readAll();
        int version = store.addAdopted(who, note, "switch " + switchName, entities);
        store.setApplied(switchName, version, true, p.cookie);
        store.setDeviceStates(switchName, DeviceStates.NONE);
        store.audit(who, "adopt", "recorded the " + entities.size() + " entries of " + switchName + " as version " + version);
        p.load(store.version(version));
        return p;
    }

    /** A new pipeline would clear entries the operator did not say to clear; nothing was changed. */
    public static final class WouldWipe extends IllegalStateException {
        WouldWipe(String message) {
            super(message);
        }
    }

    /**
     * Pushes the pipeline ({@code sfc pipeline push}), which clears every entry the switch holds: refused while it
     * holds any, unless {@link Takeover#REPLACE}. The next apply or connect writes this database's version back.
     */
    public static void pushPipeline(P4RuntimeClient client, PipelineConfig pipeline, Store store, String switchName,
                                    String who, Takeover takeover) {
        requirePrimary(client, switchName);
        P4RuntimeClient.Installed installed = client.installed();
        int held = installed == null ? 0 : SwitchContents.read(client, installed.p4info()).size();
        if (held > 0 && takeover == Takeover.REFUSE) {
            throw new WouldWipe("switch " + switchName + " holds " + held + (held == 1 ? " entry" : " entries")
                    + " and a new pipeline clears them all; nothing was changed. `--replace` pushes it anyway (then an "
                    + "apply, or the controller daemon, writes this database's version back)");
        }
        client.setPipeline(pipeline.p4info(), pipeline.deviceConfig(), newCookie());
        store.audit(who, "pipeline", "pushed the pipeline to " + switchName + (held > 0 ? ", clearing " + held
                + " entries" : ""));
    }

    private static void requirePrimary(P4RuntimeClient client, String switchName) {
        if (!client.primary()) {
            throw new NotPrimary("this controller is a backup for switch " + switchName
                    + " (another one holds a higher election id): it may read but not write");
        }
    }

    /** A random, non-zero pipeline cookie: zero is what tools that keep no state send. */
    private static long newCookie() {
        long c;
        do {
            c = new java.security.SecureRandom().nextLong();
        } while (c == 0);
        return c;
    }

    /** Entities not compiled from a catalog (what the switch holds, or held when adopted) as one state. */
    private DesiredState state(String owner, List<Entity> entities) {
        return new DesiredState(List.of(new DesiredState.Fragment(owner, entities)), schema);
    }

    /** Makes {@code v} what the switch should hold (a catalog compiled with its ids, or adopted entries). */
    private void load(Store.Version v) {
        if (v.isAdopted()) {
            current = null;
            adopted = state("adopted", v.adopted());
        } else {
            current = TableCompiler.compile(CatalogLoader.loadText(v.file(), v.catalog()), schema, v.ids(),
                    store.deviceStates(switchName));
            adopted = null;
        }
        currentVersion = v.number();
    }

    public Schema schema() {
        return schema;
    }

    /** Splits batches into Write requests of at most {@code n} updates (a refused one still undoes everything). */
    public synchronized void maxUpdatesPerRequest(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("updates per request must be at least 1, not " + n);
        }
        updatesPerRequest = n;
    }

    /** Called with (written, total) after each Write request of an apply, rollback or reconcile. */
    public synchronized void onProgress(java.util.function.BiConsumer<Integer, Integer> listener) {
        progress = listener;
    }

    /**
     * How long a versioned cut-over keeps the old steps (zero: removed at once, packets inside devices then meet
     * no step and are dropped).
     */
    public synchronized void drainTime(java.time.Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the drain time cannot be negative: " + d);
        }
        drainTime = d;
    }

    public synchronized java.time.Duration drainTime() {
        return drainTime;
    }

    /** Old entries kept for packets in flight now (0 when no cut-over is draining). Never waits for a write. */
    public int draining() {
        Draining d = draining;
        return d == null ? 0 : d.entities().size();
    }

    /**
     * Waits for the drain under way to end and removes the old entries it kept, unless the drain's timer got there
     * first (a CLI apply calls it before it exits). Returns how many this call removed.
     */
    public synchronized int settle() {
        awaitDrain();
        return finishDrain();
    }

    /** Waits (letting failovers through: the lock is released) until no drain is under way or it is due. */
    private void awaitDrain() {
        while (draining != null) {
            long left = draining.dueNanos() - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while old steps were draining", e);
            }
        }
    }

    /** Removes what the drain kept (what the switch should hold since has kept its own entries). */
    private int finishDrain() {
        if (draining == null) {
            return 0;
        }
        List<Diff.Batch> batches = Diff.between(holding(), desired());
        draining = null;
        int n = write(batches, desired());
        notifyAll();
        return n;
    }

    /** What the switch holds: the desired state, and what a drain keeps beside it. */
    private DesiredState holding() {
        DesiredState d = desired();
        if (draining == null) {
            return d;
        }
        List<DesiredState.Fragment> f = new ArrayList<>(d.fragments());
        f.add(new DesiredState.Fragment("draining", draining.entities()));
        return new DesiredState(f, schema);
    }

    /** The version the switch has (0: none). */
    public synchronized int version() {
        return currentVersion;
    }

    /** What the switch should hold now. */
    public synchronized DesiredState desired() {
        return current != null ? asRole(current.state()) : adopted != null ? adopted : DesiredState.empty(schema);
    }

    /**
     * Which of a redundant pair (seed ¶158) a switch is: both hold the same chains; only the active one answers ARP
     * and forwards (see asRole).
     */
    public enum Role { ACTIVE, STANDBY }

    private volatile Role role = Role.ACTIVE;
    // asRole's last answer, for the state it was asked about (desired() is asked often)
    private DesiredState roleOf;
    private DesiredState roleView;

    public Role role() {
        return role;
    }

    /**
     * {@code state} as this switch holds it: all of it when active. A standby holds everything but the entry points:
     * no ARP answers, no port roles (a packet on any port is dropped) and no punts. Devices and routers on a shared
     * segment (a hub, a flooding bridge) reach both switches of a pair; only the active one may forward, or every
     * such packet would go through a chain twice. Taking over writes these few entries (one per address and two per
     * port); the chains, the bulk, are there already.
     */
    private DesiredState asRole(DesiredState state) {
        if (role == Role.ACTIVE) {
            return state;
        }
        if (roleOf != state) {
            Set<Integer> entryPoints = Set.of(schema.table("arp").getPreamble().getId(),
                    schema.table("port_role").getPreamble().getId(), schema.table("punt").getPreamble().getId());
            List<DesiredState.Fragment> out = new ArrayList<>();
            for (DesiredState.Fragment f : state.fragments()) {
                out.add(!f.owner().equals("shared") ? f : new DesiredState.Fragment("shared", f.entities().stream()
                        .filter(e -> !(e.hasTableEntry() && entryPoints.contains(e.getTableEntry().getTableId())))
                        .toList()));
            }
            roleView = new DesiredState(out, schema);
            roleOf = state;
        }
        return roleView;
    }

    /**
     * Takes over as the active switch of a pair: its entry points are written (it answers ARP for the addresses and
     * forwards from now on) and gratuitous ARP goes out of its uplinks, so the routers (and the bridges between) send
     * to it at once.
     */
    public synchronized Report becomeActive(String who) {
        return changeRole(Role.ACTIVE, who);
    }

    /** Hands the traffic back: the switch stops answering ARP and forwarding (its chains stay, ready to take over). */
    public synchronized Report becomeStandby(String who) {
        return changeRole(Role.STANDBY, who);
    }

    private Report changeRole(Role r, String who) {
        long start = System.nanoTime();
        if (role == r) {
            return new Report(currentVersion, 0, List.of(), 0);
        }
        DesiredState before = holding();
        Role was = role;
        role = r;
        int writes;
        try {
            writes = write(Diff.between(before, holding()), holding());
        } catch (ApplyFailed e) {
            role = was; // (what was written is undone: the switch answers as before)
            throw e;
        }
        announceAll();
        claimDevicePorts();
        store.audit(who, "role", switchName + " is now " + r.name().toLowerCase() + " (" + writes(writes) + ")");
        return new Report(currentVersion, writes, List.of("entry points (arp, port roles, punts): " + writes),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Times the switch was found to differ from its version on a switch that kept its pipeline. */
    public long driftFound() {
        return driftFound.get();
    }

    /** Entries written to repair drift (someone else's inserts, changes and deletes undone). */
    public long driftRepaired() {
        return driftRepaired.get();
    }

    /** The last compilation (null before the first apply). Never waits for a write under way. */
    public TableCompiler.Result compiled() {
        return current;
    }

    /**
     * Validates and compiles {@code text}, records it as a new version and cuts the switch over to it. A bad
     * catalog throws {@link org.sfc.catalog.CatalogException} before anything is recorded or written.
     */
    public synchronized Report apply(String file, String text, String who, String note) {
        CatalogLoader.loadText(file, text); // (a catalog that does not even read is refused without waiting)
        settleBeforeChange();
        return apply(file, text, who, note, current == null ? store.deviceStates(switchName) : current.states());
    }

    /**
     * The old steps of the last cut-over go first (this change may put steps under their version). Before the device
     * states are read: a failover may happen while this waits, and the change must keep it.
     */
    private void settleBeforeChange() {
        awaitDrain();
        finishDrain();
    }

    private Report apply(String file, String text, String who, String note, DeviceStates had) {
        return cutOverTo(CatalogLoader.loadText(file, text), null, had, ids -> store.addVersion(who, note, file, text, ids),
                who, note);
    }

    /**
     * Cuts the switch over to a version another switch already has ({@code version}, recorded): the standby of a
     * redundant pair follows its active switch so that it holds the same entries (but its ARP answers). Nothing new
     * is recorded.
     */
    public synchronized Report follow(int version, String who) {
        return follow(version, current == null ? store.deviceStates(switchName) : current.states(), who);
    }

    /**
     * Cuts the switch over to {@code version} (recorded) with the device states {@code states}: the standby of a pair
     * mirrors its active switch's version and failovers. The compilation starts from the version's recorded ids, so
     * both switches give every service, step and tag the same numbers: a packet tagged by one is understood by the
     * other. Only the states changing (same version) is a failover's in-place rewrite.
     */
    public synchronized Report follow(int version, DeviceStates states, String who) {
        Store.Version v = store.version(version);
        if (v == null || v.isAdopted()) {
            throw new IllegalArgumentException("there is no catalog version " + version + " to follow");
        }
        if (current != null && version == currentVersion) {
            return states.equals(current.states()) ? new Report(currentVersion, 0, List.of(), 0)
                    : changeStates(states, who, "device states of its pair followed");
        }
        settleBeforeChange();
        return cutOverTo(CatalogLoader.loadText(v.file(), v.catalog()), v.ids(), states, ids -> version, who,
                "follows version " + version);
    }

    /**
     * Compiles {@code catalog} (from {@code firstIds}, a recorded version's ids, when given; else from this switch's
     * last compilation, versioned) with the device states {@code had} kept where the catalog keeps their devices, has
     * {@code record} give the compilation its version number (after it validated), and cuts over to it.
     */
    private Report cutOverTo(Catalog catalog, Ids firstIds, DeviceStates had,
                             java.util.function.ToIntFunction<Ids> record, String who, String note) {
        long start = System.nanoTime();
        DeviceStates states = had.within(catalog.devices().keySet());
        states.replacedBy().forEach((failed, spare) -> {
            if (!catalog.devices().containsKey(spare)) {
                throw new IllegalArgumentException("device " + spare + " stands in for device " + failed + ", which the "
                        + "catalog keeps, but the catalog removes " + spare + "; nothing was changed. Restore " + failed
                        + " first ('sfc device restore " + failed + "'), or remove it too");
            }
        });
        TableCompiler.Result next = firstIds != null ? TableCompiler.compile(catalog, schema, firstIds, states)
                : current == null ? TableCompiler.compile(catalog, schema, Ids.empty(), states)
                : TableCompiler.compile(catalog, schema, current, states, TableCompiler.CutOver.VERSIONED);
        List<String> versioned = flipped(current, next);
        int version = record.applyAsInt(next.ids());
        return cutOver(version, asRole(next.state()), versioned, who, note, start, () -> {
            DeviceStates previousStates = deviceStates();
            current = next;
            adopted = null;
            if (!states.equals(previousStates)) { // a replace ended the old device's states
                store.setDeviceStates(switchName, states);
            }
        });
    }

    /**
     * Writes {@code version} (already recorded): first the switch is read and any drift repaired (what it holds
     * is the truth, not what this controller remembers), then only the difference to the new version.
     */
    private Report cutOver(int version, DesiredState next, List<String> versioned, String who, String note, long start,
                           Runnable done) {
        Report repaired = repair(who, true);
        List<Diff.Batch> batches = Diff.between(desired(), next);
        requireRoomWhileBothAreThere(batches, version);
        store.setApplied(switchName, version, false, cookie); // the intent survives a crash: a restart finishes it
        store.audit(who, "apply-begun", "version " + version + " on " + switchName + ": "
                + writes(batches.stream().mapToInt(b -> b.updates().size()).sum()) + " to make"
                + (note == null ? "" : " (" + note + ")"));
        int writes;
        try {
            writes = writeKeepingOld(batches, next, !versioned.isEmpty());
        } catch (ApplyFailed e) {
            if (currentVersion > 0) {
                store.setApplied(switchName, currentVersion, true, cookie);
            }
            store.audit(who, "apply-failed", "version " + version + " on " + switchName + ": " + e.getMessage());
            throw e;
        }
        done.run();
        currentVersion = version;
        store.setApplied(switchName, version, true, cookie);
        announce(batches.stream().flatMap(b -> b.updates().stream()).filter(u -> u.getType() != Update.Type.DELETE)
                .map(Update::getEntity).toList()); // the addresses this version added (or gave another MAC)
        Report r = new Report(version, writes, batches.stream().map(b -> b.label() + ": " + b.updates().size()).toList(),
                (System.nanoTime() - start) / 1_000_000, repaired.writes(), versioned, draining());
        store.audit(who, "apply", "version " + version + " on " + switchName + ": " + writes + " writes "
                + r.batches() + (note == null ? "" : " (" + note + ")") + (versioned.isEmpty() ? ""
                : "; new steps of " + versioned + " beside the old ones, " + r.draining() + " old entries removed after "
                + drainTime.toMillis() + " ms"));
        return r;
    }

    /**
     * A change inserts before it deletes (and a versioned one keeps the old steps for the drain time), so each table
     * must hold what it has plus what the change adds. Refused before anything is written, naming the table: the
     * switch would refuse it halfway, and it would be undone.
     */
    private void requireRoomWhileBothAreThere(List<Diff.Batch> batches, int version) {
        Map<Integer, Integer> held = desired().entriesPerTable();
        Map<Integer, Integer> added = new java.util.HashMap<>();
        batches.stream().flatMap(b -> b.updates().stream())
                .filter(u -> u.getType() == Update.Type.INSERT && u.getEntity().hasTableEntry())
                .forEach(u -> added.merge(u.getEntity().getTableEntry().getTableId(), 1, Integer::sum));
        for (var t : schema.p4info().getTablesList()) {
            int id = t.getPreamble().getId();
            int peak = held.getOrDefault(id, 0) + added.getOrDefault(id, 0);
            if (added.containsKey(id) && peak > t.getSize()) {
                throw new ApplyFailed("version " + version + " needs " + peak + " entries in table "
                        + t.getPreamble().getAlias() + " while old and new are both there (" + held.getOrDefault(id, 0)
                        + " held, " + added.get(id) + " added before the old ones go) but " + switchName + " holds "
                        + t.getSize() + "; nothing was changed. Change fewer services at once, or use a target with a "
                        + "bigger table", null);
            }
        }
    }

    /** Gratuitous ARP for every address the switch answers for (its arp entries are in the shared fragment). */
    private void announceAll() {
        DesiredState.Fragment shared = desired().fragment("shared");
        announce(shared == null ? List.of() : shared.entities());
    }

    /**
     * Gratuitous ARP for the addresses among {@code entities} (arp entries), out of every uplink. A switch that cannot
     * take packet-outs now is logged, not failed: its ARP answers still teach the routers.
     */
    private void announce(List<Entity> entities) {
        if (current == null || role != Role.ACTIVE) {
            return;
        }
        try {
            int sent = AddressAnnouncer.announce(client, schema, current.catalog(), entities);
            if (sent > 0) {
                LOG.log(System.Logger.Level.DEBUG, "switch " + switchName + ": " + sent + " gratuitous ARP frames");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "switch " + switchName + ": gratuitous ARP not sent: " + e.getMessage());
        }
    }

    /**
     * A switch taking over from its pair sends a frame from the switch MAC out of every device port, so the bridges
     * between it and the devices learn at once that the MAC is behind it now (a device's answer would otherwise go
     * to the dead switch until this one happened to send through that bridge).
     */
    private void claimDevicePorts() {
        if (current == null || role != Role.ACTIVE) {
            return;
        }
        try {
            AddressAnnouncer.claimDevicePorts(client, schema, current.catalog());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "switch " + switchName + ": device ports not claimed: " + e.getMessage());
        }
    }

    /** The services present before and after whose steps changed version (a versioned cut-over's). */
    private static List<String> flipped(TableCompiler.Result before, TableCompiler.Result after) {
        if (before == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String svc : after.catalog().services().keySet()) {
            if (before.catalog().services().containsKey(svc) && before.ids().version(svc) != after.ids().version(svc)) {
                out.add(svc);
            }
        }
        java.util.Collections.sort(out);
        return out;
    }

    /**
     * Writes {@code batches} (from what the switch holds to {@code next}), except that where old steps must stay for
     * packets in flight ({@code keepOld}: a versioned cut-over; or a drain under way), the deletions wait for the
     * drain: they are kept, and removed when it is due (or by the next apply, which waits for it).
     */
    private int writeKeepingOld(List<Diff.Batch> batches, DesiredState next, boolean keepOld) {
        if ((!keepOld || drainTime.isZero()) && draining == null) {
            return write(batches, next);
        }
        List<Diff.Batch> now = new ArrayList<>();
        List<Entity> later = new ArrayList<>();
        for (Diff.Batch b : batches) {
            List<Update> kept = new ArrayList<>();
            for (Update u : b.updates()) {
                if (u.getType() == Update.Type.DELETE) {
                    later.add(u.getEntity());
                } else {
                    kept.add(u);
                }
            }
            if (!kept.isEmpty()) {
                now.add(new Diff.Batch(b.label(), kept));
            }
        }
        int writes = write(now, next);
        long due = keepOld ? System.nanoTime() + drainTime.toNanos() : draining.dueNanos();
        draining = later.isEmpty() ? null : new Draining(List.copyOf(later), due);
        if (draining != null) {
            Draining scheduled = draining;
            DRAINS.schedule(() -> drainDue(scheduled), Math.max(0, due - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return writes;
    }

    /** The timer's end of a drain: removes what it kept unless something else already did. */
    private synchronized void drainDue(Draining d) {
        if (draining != d) {
            return;
        }
        try {
            int n = finishDrain();
            LOG.log(System.Logger.Level.DEBUG, "switch " + switchName + ": " + n + " old entries removed after the drain");
        } catch (RuntimeException e) {
            // (the switch went away, or a write failed: the next apply or reconcile repairs it)
            LOG.log(System.Logger.Level.WARNING, "switch " + switchName + ": removing the drained entries failed: "
                    + e.getMessage());
        }
    }

    /**
     * A device stopped working: act on its failure policy — {@code spare}: its traffic goes to a free, healthy
     * spare of its pool (one write: where the device is attached); {@code bypass}: services skip it; {@code drop}:
     * services drop at it. Without a free spare, its declared fallback (drop unless the catalog made it bypass):
     * a dead firewall never silently becomes no firewall; every fallback is in the report and counted
     * ({@link #fallbacks()}). A spare that fails while standing in for a device hands that device's traffic on by
     * the device's policy. Recorded, so restarts and reconciles keep it.
     */
    public synchronized Report fail(String device, String who) {
        Catalog c = requireCatalog();
        requireDevice(c, device);
        DeviceStates states = current.states();
        String standsInFor = states.standsInFor(device);
        if (standsInFor != null) {
            DeviceStates next = actOn(c, standsInFor, states.restore(standsInFor), device);
            return changeStates(next, who, "spare " + device + " failed while standing in for " + standsInFor + ": "
                    + standsInFor + " " + describe(next, standsInFor));
        }
        if (states.affects(device)) {
            return new Report(currentVersion, 0, List.of(), 0);
        }
        DeviceStates next = actOn(c, device, states, null);
        return changeStates(next, who, "device " + device + " failed: " + describe(next, device));
    }

    private DeviceStates actOn(Catalog c, String device, DeviceStates states, String notThis) {
        Catalog.Device d = c.devices().get(device);
        return switch (d.failure()) {
            case SPARE -> {
                String spare = freeSpare(c, device, states, notThis);
                if (spare != null) {
                    yield states.replace(device, spare);
                }
                fallbacks.merge(d.fallback().name().toLowerCase(), 1L, Long::sum);
                yield d.fallback() == Catalog.FailurePolicy.BYPASS ? states.bypass(device) : states.drop(device);
            }
            case BYPASS -> states.bypass(device);
            case DROP -> states.drop(device);
        };
    }

    /** Failed devices with policy spare that found no healthy spare, by the fallback taken (drop, bypass). */
    private final Map<String, Long> fallbacks = new java.util.concurrent.ConcurrentHashMap<>();

    public Map<String, Long> fallbacks() {
        return Map.copyOf(fallbacks);
    }

    /**
     * Maintenance (seed ¶197): {@code device}'s traffic moves to {@code spare}, a like device carrying nothing,
     * until an operator restores it; flows not on the device are untouched.
     */
    public synchronized Report drain(String device, String spare, String who) {
        Catalog c = requireCatalog();
        requireDevice(c, device);
        requireDevice(c, spare);
        DeviceStates states = current.states();
        if (states.affects(device)) {
            throw new IllegalArgumentException("device " + device + " is already out of service ("
                    + states.describe(device) + "); restore it first");
        }
        if (states.replacedBy().containsValue(spare) || inSequence(c, spare)) {
            throw new IllegalArgumentException("device " + spare + " carries traffic already; drain to a spare that "
                    + "carries none (see sfc device list)");
        }
        if (!healthy.test(spare)) {
            throw new IllegalArgumentException("device " + spare + " does not answer its heartbeats; pick a healthy one");
        }
        return changeStates(states.drain(device, spare), who, "device " + device + " drained to " + spare);
    }

    /**
     * Regenerates every service that used {@code old} to use {@code replacement} instead (seed ¶198, Fig. 20): a new
     * catalog version, cut over like any apply (and rolled back like one). States of the old device end.
     */
    public synchronized Report replace(String old, String replacement, String who) {
        settleBeforeChange();
        Catalog c = requireCatalog();
        requireDevice(c, old);
        requireDevice(c, replacement);
        Store.Version v = store.version(currentVersion);
        String text = org.sfc.catalog.CatalogText.replaceDevice(v.catalog(), old, replacement);
        DeviceStates states = current.states().restore(old);
        String standsIn = states.standsInFor(replacement);
        if (standsIn != null) {
            states = states.restore(standsIn);
        }
        return apply(v.file(), text, who, "replace " + old + " with " + replacement, states);
    }

    private static void requireDevice(Catalog c, String device) {
        if (!c.devices().containsKey(device)) {
            throw new IllegalArgumentException("unknown device '" + device + "'; the catalog's devices are "
                    + new java.util.TreeSet<>(c.devices().keySet()));
        }
    }

    private static boolean inSequence(Catalog c, String device) {
        Catalog.Device d = c.devices().get(device);
        return c.services().values().stream().anyMatch(s -> s.sequence().stream()
                .anyMatch(st -> c.devicesOf(st.target(), s.name()).contains(d)));
    }

    /** Which devices answer their heartbeats (the health monitor's view); spares are chosen among them. */
    public synchronized void healthFrom(java.util.function.Predicate<String> isHealthy) {
        healthy = isHealthy;
    }

    /** The device works again, or its maintenance is over: its services go back to it (failback). */
    public synchronized Report restore(String device, String who) {
        requireDevice(requireCatalog(), device);
        DeviceStates next = current.states().restore(device);
        if (next.equals(current.states())) {
            return new Report(currentVersion, 0, List.of(), 0);
        }
        return changeStates(next, who, "device " + device + " restored");
    }

    /** The device states the switch has now. Never waits for a write under way. */
    public DeviceStates deviceStates() {
        TableCompiler.Result r = current;
        return r == null ? DeviceStates.NONE : r.states();
    }

    private Catalog requireCatalog() {
        if (current == null) {
            throw new IllegalStateException("switch " + switchName + (adopted != null ? " holds entries adopted as found "
                    + "(version " + currentVersion + "), not a catalog; apply a catalog first" : " has no catalog yet"));
        }
        return current.catalog();
    }

    private String freeSpare(Catalog c, String device, DeviceStates states, String notThis) {
        for (Catalog.Pool pool : c.pools().values()) {
            if (pool.members().contains(device) || pool.spares().contains(device)) {
                for (String spare : pool.spares()) {
                    if (!spare.equals(device) && !spare.equals(notThis) && !states.affects(spare)
                            && !states.replacedBy().containsValue(spare) && healthy.test(spare)) {
                        return spare;
                    }
                }
            }
        }
        return null;
    }

    private String describe(DeviceStates s, String device) {
        String what = s.replacedBy().containsKey(device) ? "traffic moved to spare " + s.replacedBy().get(device)
                : s.bypassed().contains(device) ? "bypassed" : "its step drops";
        String fallback = fallback(s, device);
        return fallback.isEmpty() ? what : fallback + ", " + what;
    }

    /** "no healthy spare: fallback drop" where {@code device} (policy spare) is out with no spare, else "". */
    public synchronized String fallback(String device) {
        return current == null ? "" : fallback(current.states(), device);
    }

    private String fallback(DeviceStates s, String device) {
        Catalog.Device d = current == null ? null : current.catalog().devices().get(device);
        boolean fellBack = d != null && d.failure() == Catalog.FailurePolicy.SPARE && !s.replacedBy().containsKey(device)
                && (s.bypassed().contains(device) || s.dropped().contains(device));
        return fellBack ? "no healthy spare: fallback " + d.fallback().name().toLowerCase() : "";
    }

    private Report changeStates(DeviceStates next, String who, String what) {
        long start = System.nanoTime();
        TableCompiler.Result compiled = TableCompiler.compile(current.catalog(), schema, current, next,
                TableCompiler.CutOver.IN_PLACE); // a failover does not wait: the failed device's packets are lost anyway
        DesiredState target = asRole(compiled.state());
        List<Diff.Batch> batches = Diff.between(holding(), target);
        int writes = writeKeepingOld(batches, target, false);
        current = compiled;
        store.setDeviceStates(switchName, next);
        store.audit(who, "health", what + " on " + switchName + " (" + writes(writes) + ")");
        return new Report(currentVersion, writes, batches.stream().map(b -> b.label() + ": " + b.updates().size()).toList(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Applies an earlier version again (as a new version, so history only grows). */
    public synchronized Report rollback(int version, String who) {
        Store.Version v = store.version(version);
        if (v == null) {
            throw new IllegalArgumentException("there is no version " + version + "; see the history for the versions");
        }
        settleBeforeChange();
        String note = "rollback to version " + version;
        if (!v.isAdopted()) {
            return apply(v.file(), v.catalog(), who, note);
        }
        int number = store.addAdopted(who, note, v.file(), v.adopted());
        DesiredState entries = state("adopted", v.adopted());
        return cutOver(number, entries, List.of(), who, note, System.nanoTime(), () -> {
            current = null;
            adopted = entries;
            store.setDeviceStates(switchName, DeviceStates.NONE);
        });
    }

    /** Reads the switch and repairs what differs from its version (drift), reporting it as an event. */
    public synchronized Report reconcile(String who) {
        return repair(who, true);
    }

    /**
     * Reads the switch and writes what differs from the desired state. With {@code drift}, the switch kept its
     * pipeline, so a difference is someone else's doing: an event ("drift") and the drift counters. Without,
     * the switch lost its entries (a restart, a new pipeline) and this is their restoration.
     */
    private Report repair(String who, boolean drift) {
        long start = System.nanoTime();
        DesiredState onSwitch = state("switch", readAll());
        DesiredState held = holding(); // a drain's old entries are not drift
        List<Diff.Batch> batches = Diff.between(onSwitch, held);
        int writes = write(batches, held);
        if (writes > 0 && drift) {
            driftFound.incrementAndGet();
            driftRepaired.addAndGet(writes);
            store.audit(who, "drift", switchName + " differed from version " + currentVersion + ": " + describeDrift(batches)
                    + "; repaired (" + writes(writes) + ")");
        } else if (writes > 0) {
            store.audit(who, "reconcile", switchName + ": " + writes + " writes repaired it to version " + currentVersion);
        }
        return new Report(currentVersion, writes, batches.stream().map(b -> b.label() + ": " + b.updates().size()).toList(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** "2 missing, 1 changed, 3 written by someone else": what the repairing writes undid. */
    private static String describeDrift(List<Diff.Batch> batches) {
        Map<Update.Type, Long> n = batches.stream().flatMap(b -> b.updates().stream())
                .collect(java.util.stream.Collectors.groupingBy(Update::getType, java.util.stream.Collectors.counting()));
        List<String> parts = new ArrayList<>();
        // A meter cell is never inserted: its repair is a MODIFY even when someone reset it.
        if (n.containsKey(Update.Type.INSERT)) {
            parts.add(n.get(Update.Type.INSERT) + " missing");
        }
        if (n.containsKey(Update.Type.MODIFY)) {
            parts.add(n.get(Update.Type.MODIFY) + " changed");
        }
        if (n.containsKey(Update.Type.DELETE)) {
            parts.add(n.get(Update.Type.DELETE) + " written by someone else");
        }
        return String.join(", ", parts);
    }

    /** Everything of ours on the switch, as the desired state would spell it. */
    public List<Entity> readAll() {
        return SwitchContents.read(client, schema.p4info());
    }

    /**
     * Writes the batches in order, each split into requests of at most {@link #maxUpdatesPerRequest} updates
     * (each request atomic); if one is refused, undoes what was written and says which object failed.
     */
    private int write(List<Diff.Batch> batches, DesiredState target) {
        int total = batches.stream().mapToInt(b -> b.updates().size()).sum();
        int writes = 0;
        for (Diff.Batch b : batches) {
            for (int from = 0; from < b.updates().size(); from += updatesPerRequest) {
                List<Update> request = b.updates().subList(from, Math.min(b.updates().size(), from + updatesPerRequest));
                try {
                    send(request);
                } catch (P4RuntimeClient.WriteFailed e) {
                    List<String> what = new ArrayList<>();
                    for (P4RuntimeClient.UpdateError err : e.errors()) {
                        if (err.index() >= 0 && err.index() < request.size()) {
                            Update u = request.get(err.index());
                            what.add(u.getType() + " " + owner(target, u.getEntity()) + target.describe(u.getEntity())
                                    + ": " + err.code() + " " + err.message());
                        } else {
                            what.add(err.code() + " " + err.message());
                        }
                    }
                    if (writes > 0 || atomicity == WriteRequest.Atomicity.CONTINUE_ON_ERROR) {
                        undo(); // (without rollback on the switch, part of this very request may have been applied)
                    }
                    throw new ApplyFailed("the switch refused " + b.label() + " and nothing was changed: "
                            + String.join("; ", what), e);
                }
                writes += request.size();
                progress.accept(writes, total);
            }
        }
        return writes;
    }

    /** Back to the state before a failed cut-over: the switch is read and repaired to the current version. */
    private void undo() {
        DesiredState onSwitch = state("switch", readAll());
        for (Diff.Batch b : Diff.between(onSwitch, holding())) {
            for (int from = 0; from < b.updates().size(); from += updatesPerRequest) {
                send(b.updates().subList(from, Math.min(b.updates().size(), from + updatesPerRequest)));
            }
        }
    }

    /**
     * One Write request, all-or-nothing on the switch where it can be: ROLLBACK_ON_ERROR, unless the switch
     * answers that it does not implement it (the spec's UNIMPLEMENTED; BMv2 implements CONTINUE_ON_ERROR only).
     * From then on this controller writes CONTINUE_ON_ERROR and undoes a refused change itself (see undo).
     */
    private void send(List<Update> request) {
        try {
            client.write(request, atomicity);
        } catch (P4RuntimeClient.WriteFailed e) {
            if (atomicity != WriteRequest.Atomicity.ROLLBACK_ON_ERROR || !e.unimplemented()) {
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "switch " + switchName + " does not implement ROLLBACK_ON_ERROR; writing "
                    + "CONTINUE_ON_ERROR, a refused change is undone by the controller");
            atomicity = WriteRequest.Atomicity.CONTINUE_ON_ERROR;
            client.write(request, atomicity);
        }
    }

    /** "service X: " for an entity a service owns, "" for shared ones. */
    private static String owner(DesiredState state, Entity e) {
        for (DesiredState.Fragment f : state.fragments()) {
            if (f.owner().startsWith("service:") && f.entities().contains(e)) {
                return f.owner().substring("service:".length()) + ": ";
            }
        }
        return "";
    }
}
