package org.sfc.controller;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Schema;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * What the switch has counted, named after the catalog: per service address (requests classified by
 * destination, replies by source), per sequence step, per ACL rule, per device (sent to, received from), and
 * drops by reason. Read-only: a backup controller may ask too.
 */
public final class Accounting {
    /** One counter: its kind (service, step, acl, device, drops), whose it is, what exactly, and its counts. */
    public record Row(String kind, String owner, String what, long packets, long bytes) {}

    private Accounting() {}

    /** Reads the counters of the version {@code compiled} describes (its entries and device ids name them). */
    public static List<Row> read(P4RuntimeClient client, org.sfc.compiler.TableCompiler.Result compiled) {
        return read(client, compiled.state(), compiled.ids().asMap().getOrDefault("device", Map.of()));
    }

    /** Reads the counters; {@code desired} names the entries, {@code deviceIds} the devices (name -> id). */
    public static List<Row> read(P4RuntimeClient client, DesiredState desired, Map<String, Integer> deviceIds) {
        var info = desired.schema().p4info();
        Map<String, String> owner = new HashMap<>();
        for (DesiredState.Fragment f : desired.fragments()) {
            if (f.owner().startsWith("service:")) {
                String name = f.owner().substring("service:".length());
                f.entities().forEach(e -> owner.put(desired.describe(e), name));
            }
        }
        List<Entity> queries = new ArrayList<>();
        for (var t : info.getTablesList()) {
            String alias = t.getPreamble().getAlias();
            if (List.of("classify_dst", "classify_src", "sequence", "acl").contains(alias)) {
                queries.add(Entity.newBuilder().setTableEntry(TableEntry.newBuilder().setTableId(t.getPreamble().getId())
                        .setCounterData(CounterData.getDefaultInstance())).build());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Entity e : client.read(queries)) {
            TableEntry t = e.getTableEntry();
            if (t.getIsDefaultAction()) {
                continue;
            }
            String what = desired.describe(Entity.newBuilder().setTableEntry(t.toBuilder().clearCounterData()).build());
            String kind = what.startsWith("classify_dst") ? "requests" : what.startsWith("classify_src") ? "replies"
                    : what.startsWith("acl") ? "acl" : "step";
            rows.add(new Row(kind, owner.getOrDefault(what, "?"), what, t.getCounterData().getPacketCount(),
                    t.getCounterData().getByteCount()));
        }
        Map<String, long[]> devices = deviceTraffic(client, info, deviceIds);
        for (String d : new TreeMap<>(deviceIds).keySet()) {
            long[] t = devices.getOrDefault(d, new long[4]);
            rows.add(new Row("device", d, "sent to", t[0], t[1]));
            rows.add(new Row("device", d, "received from", t[2], t[3]));
        }
        // drop_reasons; a TNA pipeline counts what its egress drops in egress_drop_reasons: one row per reason.
        List<Entity> dropQueries = info.getCountersList().stream()
                .filter(c -> c.getPreamble().getName().endsWith("drop_reasons"))
                .map(c -> Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder()
                        .setCounterId(c.getPreamble().getId())).build()).toList();
        Map<Long, long[]> drops = new TreeMap<>();
        if (!dropQueries.isEmpty()) {
            for (Entity e : client.read(dropQueries)) {
                CounterEntry c = e.getCounterEntry();
                long[] sum = drops.computeIfAbsent(c.getIndex().getIndex(), i -> new long[2]);
                sum[0] += c.getData().getPacketCount();
                sum[1] += c.getData().getByteCount();
            }
        }
        drops.forEach((reason, n) -> {
            if (n[0] > 0) {
                rows.add(new Row("drops", "-", dropReason(reason), n[0], n[1]));
            }
        });
        return rows;
    }

    /** The drop_reasons counter's indexes, named as p4src/include/define.p4 defines them (DROP_*). */
    static final List<String> DROP_REASONS = List.of("-", "parser_error", "unknown_port", "not_a_service", "acl",
            "meter", "no_step", "by_step", "no_next_hop", "punt_rate", "port_rate");

    /** "acl", "punt_rate", ...: a drop_reasons index as an operator reads it ("reason 12" for one we do not know). */
    public static String dropReason(long index) {
        return index > 0 && index < DROP_REASONS.size() ? DROP_REASONS.get((int) index) : "reason " + index;
    }

    /**
     * Per device (name): {packets, bytes sent to it; packets, bytes received from it}, what was sent including the
     * distributor's copies (an IDS gets nothing else): device_tx and device_rx, and copy_target's counters.
     */
    public static Map<String, long[]> deviceTraffic(P4RuntimeClient client, p4.config.v1.P4InfoOuterClass.P4Info info,
                                             Map<String, Integer> deviceIds) {
        return deviceCounters(client, info, deviceIds, true);
    }

    /**
     * Per device (name): {packets sent to it on its steps, packets received from it}, in one read of the two
     * counters: what the health monitor compares (copies are left out: nothing comes back from them).
     */
    public static Map<String, long[]> deviceCounts(P4RuntimeClient client, p4.config.v1.P4InfoOuterClass.P4Info info,
                                                   Map<String, Integer> deviceIds) {
        Map<String, long[]> out = new HashMap<>();
        deviceCounters(client, info, deviceIds, false).forEach((name, t) -> out.put(name, new long[] {t[0], t[2]}));
        return out;
    }

    /** {packets, bytes sent; packets, bytes received} per device, in one read; copies too if {@code withCopies}. */
    private static Map<String, long[]> deviceCounters(P4RuntimeClient client, p4.config.v1.P4InfoOuterClass.P4Info info,
                                                      Map<String, Integer> deviceIds, boolean withCopies) {
        if (deviceIds.isEmpty()) {
            return Map.of();
        }
        Map<Integer, String> byId = new HashMap<>();
        deviceIds.forEach((name, id) -> byId.put(id, name));
        int tx = counterId(info, "device_tx");
        int rx = counterId(info, "device_rx");
        List<Entity> queries = new ArrayList<>(List.of(
                Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder().setCounterId(tx)).build(),
                Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder().setCounterId(rx)).build()));
        if (withCopies) {
            info.getTablesList().stream().filter(t -> t.getPreamble().getAlias().equals("copy_target")).findFirst()
                    .ifPresent(t -> queries.add(Entity.newBuilder().setTableEntry(TableEntry.newBuilder()
                            .setTableId(t.getPreamble().getId()).setCounterData(CounterData.getDefaultInstance())).build()));
        }
        Map<String, long[]> out = new HashMap<>();
        for (Entity e : client.read(queries)) {
            if (e.hasCounterEntry()) {
                CounterEntry c = e.getCounterEntry();
                add(out, byId.get((int) c.getIndex().getIndex()), c.getCounterId() == tx ? 0 : 2, c.getData());
            } else if (e.hasTableEntry() && !e.getTableEntry().getIsDefaultAction()) {
                TableEntry t = e.getTableEntry(); // copy_target: keyed by the copy's device id (copy_rid)
                add(out, byId.get((int) Schema.value(t.getMatch(0).getExact().getValue())), 0, t.getCounterData());
            }
        }
        return out;
    }

    /**
     * Per service (name): {client SYNs, client packets carrying an ACK}, from the Handshake counters (seed ¶160), read
     * cell by cell (a wildcard read would return every one of the 64k cells).
     */
    public static Map<String, long[]> handshakes(P4RuntimeClient client, p4.config.v1.P4InfoOuterClass.P4Info info,
                                                 Map<String, Integer> serviceIds) {
        if (serviceIds.isEmpty()) {
            return Map.of();
        }
        int syns = counterId(info, "client_syns");
        int acks = counterId(info, "client_acks");
        Map<Integer, String> byId = new HashMap<>();
        List<Entity> queries = new ArrayList<>();
        serviceIds.forEach((name, id) -> {
            byId.put(id, name);
            for (int counter : new int[] {syns, acks}) {
                queries.add(Entity.newBuilder().setCounterEntry(CounterEntry.newBuilder().setCounterId(counter)
                        .setIndex(p4.v1.P4RuntimeOuterClass.Index.newBuilder().setIndex(id))).build());
            }
        });
        Map<String, long[]> out = new HashMap<>();
        for (Entity e : client.read(queries)) {
            CounterEntry c = e.getCounterEntry();
            String service = byId.get((int) c.getIndex().getIndex());
            if (service != null) {
                out.computeIfAbsent(service, n -> new long[2])[c.getCounterId() == syns ? 0 : 1] += c.getData().getPacketCount();
            }
        }
        return out;
    }

    private static void add(Map<String, long[]> out, String device, int at, CounterData data) {
        if (device != null) {
            long[] t = out.computeIfAbsent(device, n -> new long[4]);
            t[at] += data.getPacketCount();
            t[at + 1] += data.getByteCount();
        }
    }

    private static int counterId(p4.config.v1.P4InfoOuterClass.P4Info info, String counter) {
        return info.getCountersList().stream().filter(c -> c.getPreamble().getName().endsWith(counter)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the pipeline has no counter " + counter)).getPreamble().getId();
    }
}
