package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sfc.catalog.CatalogLoader;

import p4.v1.P4RuntimeOuterClass.Update;

/** Each change of a catalog produces the minimal write set, in a safe order, with ids kept stable. */
class DiffTest {
    static Schema schema;

    @BeforeAll
    static void load() throws Exception {
        schema = GoldenTest.schema();
    }

    static final String BASE = """
            switch:
              mac: 02:00:00:00:fe:01
              uplinks:
                - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
            devices:
              fw-1: {function: firewall, port: 2, mac: 00:00:00:00:00:f1}
              fw-2: {function: firewall, port: 3, mac: 00:00:00:00:00:f2}
              app-1: {function: server, tag: port, port: 6, mac: 00:00:00:00:00:c1}
            services:
              web:
                address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                dscp: 10
                sequence: [fw-1, app-1]
            """;

    /** Compiles v1, then v2 with v1's ids, and renders the diff as "TYPE entity" lines per batch. */
    static List<String> diff(String v1, String v2) {
        TableCompiler.Result a = TableCompiler.compile(CatalogLoader.loadText("v1.yaml", v1), schema, Ids.empty());
        TableCompiler.Result b = TableCompiler.compile(CatalogLoader.loadText("v2.yaml", v2), schema, a.ids());
        List<String> out = new ArrayList<>();
        for (Diff.Batch batch : Diff.between(a.state(), b.state())) {
            out.add("# " + batch.label());
            for (Update u : batch.updates()) {
                DesiredState s = u.getType() == Update.Type.DELETE ? a.state() : b.state();
                out.add(u.getType() + " " + s.describe(u.getEntity()));
            }
        }
        return out;
    }

    @Test
    void aDroppedDeviceBeforeACopyingStepDropsTheRepliesInsteadOfFailingTheCompile() throws Exception {
        // Figure 11, w1: fw-1, then app-1 with copies to ids-1. fw-1 fails with policy drop: replies from app-1
        // would go back to fw-1, so they are dropped (no copy of a dropped packet); the compile used to throw
        // (a copy added to drop_step), and every apply failed until fw-1 came back.
        org.sfc.catalog.Catalog c = CatalogLoader.load(java.nio.file.Path.of("../examples/figure-11.yaml"));
        TableCompiler.Result healthy = TableCompiler.compile(c, schema, Ids.empty());
        TableCompiler.Result failed = TableCompiler.compile(c, schema, healthy, DeviceStates.NONE.drop("fw-1"));
        List<String> fromApp1 = failed.state().entities().stream().map(e -> failed.state().describe(e))
                .filter(l -> l.startsWith("sequence ") && l.contains(" slot=6 ") && l.contains("direction=1")).toList();
        assertEquals(false, fromApp1.isEmpty(), "no reply step from app-1");
        fromApp1.forEach(l -> assertEquals(true, l.contains("drop_step"), l));
    }

    @Test
    void aGroupMembersFailureMovesOnlyItsOwnBucketsSpreadOverTheOthers() throws Exception {
        // Figure 17F: the IPS farm {ips-1, ips-2, ips-3} shares the load; ips-2 fails (policy drop).
        org.sfc.catalog.Catalog c = CatalogLoader.load(java.nio.file.Path.of("../examples/figure-17f.yaml"));
        TableCompiler.Result healthy = TableCompiler.compile(c, schema, Ids.empty());
        TableCompiler.Result failed = TableCompiler.compile(c, schema, healthy, DeviceStates.NONE.drop("ips-2"));
        List<String> buckets = new ArrayList<>();
        for (Diff.Batch batch : Diff.between(healthy.state(), failed.state())) {
            for (Update u : batch.updates()) {
                String line = (u.getType() == Update.Type.DELETE ? healthy : failed).state().describe(u.getEntity());
                if (line.startsWith("sequence ")) { // what comes back from ips-2 (port 6) no longer has a step
                    assertEquals(true, u.getType() == Update.Type.DELETE && line.contains(" slot=6 "), line);
                    continue;
                }
                assertEquals(Update.Type.MODIFY, u.getType(), "only the failed member's buckets change: " + line);
                assertEquals(true, line.startsWith("next_hop_bucket "), line);
                buckets.add(line);
            }
        }
        long wasIps2 = healthy.state().entities().stream().map(e -> healthy.state().describe(e))
                .filter(l -> l.startsWith("next_hop_bucket ") && l.contains("device_id=" + deviceId(healthy, "ips-2")))
                .count();
        assertEquals(wasIps2, buckets.size(), "each of ips-2's buckets, no other: " + buckets);
        long toIps1 = buckets.stream().filter(l -> l.contains("device_id=" + deviceId(healthy, "ips-1"))).count();
        long toIps3 = buckets.stream().filter(l -> l.contains("device_id=" + deviceId(healthy, "ips-3"))).count();
        assertEquals(buckets.size(), toIps1 + toIps3, "to the healthy members only: " + buckets);
        assertEquals(true, Math.abs(toIps1 - toIps3) <= 1, "dealt out evenly: " + toIps1 + " / " + toIps3);
    }

    private static int deviceId(TableCompiler.Result r, String device) {
        return r.ids().asMap().get("device").get(device);
    }

    @Test
    void noChangeWritesNothing() {
        assertEquals(List.of(), diff(BASE, BASE));
    }

    @Test
    void aPortRangeIsOneRangeEntryAndOneExactClassifierAndAPortInsideItStillWins() {
        // Port 1050 lies inside the service's own negotiated range: a one-port range entry of the port's
        // (higher) priority keeps it its own key, so its packets match its own classifier.
        List<String> lines = diff(BASE, BASE + """
                  ftp:
                    address: {ip: 203.0.113.12, protocol: tcp, port: 1050, dynamic-ports: 1025-1125}
                    sequence: [app-1]
                """).stream().filter(l -> l.contains("203.0.113.12") && l.contains("dst")).toList();
        assertEquals(List.of(
                "INSERT classify_dst ipv4_dst=203.0.113.12 ip_proto=6 l4_dport=1050 -> set_service(service_id=2, direction=0, version=0)",
                "INSERT dst_port_range ipv4_dst=203.0.113.12 ip_proto=6 l4_dport=1050..1050 prio=2 -> "
                        + "set_dst_port_key(port_key=1050)",
                "INSERT classify_dst ipv4_dst=203.0.113.12 ip_proto=6 l4_dport=1025 -> set_service(service_id=2, direction=0, version=0)",
                "INSERT dst_port_range ipv4_dst=203.0.113.12 ip_proto=6 l4_dport=1025..1125 prio=1 -> "
                        + "set_dst_port_key(port_key=1025)"), lines);
    }

    @Test
    void addingAServiceOnlyInsertsItsOwnEntriesClassifiersLast() {
        assertEquals(List.of(
                // Its address is answered in ARP (before anything else: a router's packets are not yet classified,
                // as they were not before).
                "# insert/modify next hops, copies, ports and meters",
                "INSERT arp ipv4=203.0.113.11 -> arp_reply(mac=02:00:00:00:fe:01)",
                "# insert/modify sequence steps",
                // The new service reuses the existing next hops (app-1 is nh 2, the uplink nh 3): no new members.
                "INSERT sequence service_id=2 direction=0 step=0 slot=1 version=0 -> to_next_hop(nh_id=2, dscp=0)",
                "INSERT sequence service_id=2 direction=1 step=31 slot=6 version=0 -> to_next_hop(nh_id=3, dscp=0)",
                "# insert/modify classifiers and ACLs",
                "INSERT classify_dst ipv4_dst=203.0.113.11 ip_proto=6 l4_dport=443 -> "
                        + "set_service(service_id=2, direction=0, version=0)",
                "INSERT classify_src ipv4_src=203.0.113.11 ip_proto=6 l4_sport=443 -> "
                        + "set_service_by_src(service_id=2, direction=1, version=0)"),
                diff(BASE, BASE + """
                          api:
                            address: {ip: 203.0.113.11, protocol: tcp, port: 443}
                            sequence: [app-1]
                        """));
    }

    @Test
    void removingAServiceDeletesClassifiersFirstAndUnusedNextHopsLast() {
        String two = BASE + """
                  api:
                    address: {ip: 203.0.113.11, protocol: tcp, port: 443}
                    sequence: [fw-2, app-1]
                """;
        List<String> d = diff(two, BASE);
        assertEquals(List.of(
                "# delete classifiers and ACLs",
                "# delete sequence steps",
                "# delete next hops, copies, ports and meters"), d.stream().filter(l -> l.startsWith("#")).toList());
        assertEquals(8, d.size() - 3, "2 classifiers, 4 steps, fw-2's next hop (one-port: one next hop), the address's "
                + "ARP entry");
        assertTrue(d.contains("DELETE arp ipv4=203.0.113.11 -> arp_reply(mac=02:00:00:00:fe:01)"), d.toString());
        assertEquals(0, d.stream().filter(l -> l.startsWith("INSERT") || l.startsWith("MODIFY")).count());
    }

    @Test
    void anAddressStaysAnsweredWhileAnyServiceHasIt() {
        String two = BASE + """
                  web-tls:
                    address: {ip: 203.0.113.10, protocol: tcp, port: 443}
                    sequence: [app-1]
                """;
        assertTrue(diff(BASE, two).stream().noneMatch(l -> l.contains(" arp ")), "203.0.113.10 was answered already");
        assertTrue(diff(two, BASE).stream().noneMatch(l -> l.contains(" arp ")), "and still is, for web");
        assertEquals(List.of("# insert/modify next hops, copies, ports and meters",
                "INSERT arp ipv4=192.0.2.1 -> arp_reply(mac=02:00:00:00:fe:01)"),
                diff(BASE, BASE.replace("  mac: 02:00:00:00:fe:01\n", "  mac: 02:00:00:00:fe:01\n  ip: 192.0.2.1\n")),
                "the engine's own address");
    }

    @Test
    void swappingADeviceAddsItsNextHopRepointsTheStepsAndDropsTheOldOne() {
        assertEquals(List.of(
                "# insert/modify next hops, copies, ports and meters",
                "INSERT next_hop nh_id=4 -> set_next_hop(port=3, dmac=00:00:00:00:00:f2, smac=02:00:00:00:fe:01, device_id=3)",
                "# insert/modify sequence steps",
                "MODIFY sequence service_id=1 direction=0 step=0 slot=1 version=0 -> to_next_hop(nh_id=4, dscp=1)",
                "INSERT sequence service_id=1 direction=0 step=1 slot=3 version=0 -> to_next_hop(nh_id=2, dscp=10)",
                "MODIFY sequence service_id=1 direction=1 step=31 slot=6 version=0 -> to_next_hop(nh_id=4, dscp=3)",
                "INSERT sequence service_id=1 direction=1 step=3 slot=3 version=0 -> to_next_hop(nh_id=3, dscp=10)",
                "# delete sequence steps",
                "DELETE sequence service_id=1 direction=0 step=1 slot=2 version=0 -> to_next_hop(nh_id=2, dscp=10)",
                "DELETE sequence service_id=1 direction=1 step=3 slot=2 version=0 -> to_next_hop(nh_id=3, dscp=10)",
                "# delete next hops, copies, ports and meters",
                "DELETE next_hop nh_id=1 -> set_next_hop(port=2, dmac=00:00:00:00:00:f1, smac=02:00:00:00:fe:01, device_id=2)"),
                diff(BASE, BASE.replace("sequence: [fw-1, app-1]", "sequence: [fw-2, app-1]")));
    }

    @Test
    void reorderingStepsRewritesOnlyTheSequence() {
        String v1 = BASE.replace("sequence: [fw-1, app-1]", "sequence: [fw-1, fw-2, app-1]");
        String v2 = BASE.replace("sequence: [fw-1, app-1]", "sequence: [fw-2, fw-1, app-1]");
        List<String> d = diff(v1, v2);
        assertEquals(List.of(), d.stream().filter(l -> !l.startsWith("#") && !l.contains("sequence ")).toList(),
                "only sequence entries change: " + d);
    }

    @Test
    void changingTheMarkingModifiesOnlyTheStepsThatWriteIt() {
        // Toward the uplink, and toward the port-tagged server (which gets the service's DSCP, not a tag).
        assertEquals(List.of(
                "# insert/modify sequence steps",
                "MODIFY sequence service_id=1 direction=0 step=1 slot=2 version=0 -> to_next_hop(nh_id=2, dscp=12)",
                "MODIFY sequence service_id=1 direction=1 step=3 slot=2 version=0 -> to_next_hop(nh_id=3, dscp=12)"),
                diff(BASE, BASE.replace("dscp: 10", "dscp: 12")));
    }

    @Test
    void addingAndRemovingARateIsOneMeterWrite() {
        String limited = BASE.replace("    dscp: 10", "    dscp: 10\n    rate: {pps: 1000, burst: 100}");
        assertEquals(List.of("# insert/modify next hops, copies, ports and meters",
                "MODIFY service_meter[1] cir=1000 cburst=100 pir=1000 pburst=100"), diff(BASE, limited));
        assertEquals(List.of("# delete next hops, copies, ports and meters",
                "MODIFY service_meter[1] cir=0 cburst=0 pir=0 pburst=0"), diff(limited, BASE));
    }

    @Test
    void aPortLimitIsOneMeterCellAtThePortsNumber() {
        String limited = BASE.replace("    - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}\n",
                "    - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}\n  port-limits:\n"
                        + "    - {port: 1, pps: 100000}\n    - {port: 6, pps: 500, burst: 20}\n");
        assertEquals(List.of("# insert/modify next hops, copies, ports and meters",
                "MODIFY port_meter[1] cir=100000 cburst=10000 pir=100000 pburst=10000",
                "MODIFY port_meter[6] cir=500 cburst=20 pir=500 pburst=20"), diff(BASE, limited));
        assertEquals(List.of("# delete next hops, copies, ports and meters",
                "MODIFY port_meter[1] cir=0 cburst=0 pir=0 pburst=0", "MODIFY port_meter[6] cir=0 cburst=0 pir=0 pburst=0"),
                diff(limited, BASE));
    }

    @Test
    void changingAnAclWritesOnlyTheRulesThatChanged() {
        String v1 = BASE.replace("    dscp: 10", "    dscp: 10\n    acl:\n      default: deny\n      rules:\n"
                + "        - {action: permit, source: 198.51.100.0/24}");
        // A rule goes in front, the default becomes permit: the existing rule keeps its priority, untouched.
        String v2 = BASE.replace("    dscp: 10", "    dscp: 10\n    acl:\n      rules:\n"
                + "        - {action: deny, source: 198.51.100.66}\n        - {action: permit, source: 198.51.100.0/24}");
        assertEquals(List.of(
                "# insert/modify classifiers and ACLs",
                "INSERT acl service_id=1 slot=1&&&0x1ff ipv4_src=198.51.100.66&&&0xffffffff prio=3 -> deny()",
                "# delete classifiers and ACLs",
                "DELETE acl service_id=1 slot=1&&&0x1ff prio=1 -> deny()"), diff(v1, v2));
        // Turning a rule around is one MODIFY.
        assertEquals(List.of(
                "# insert/modify classifiers and ACLs",
                "MODIFY acl service_id=1 slot=1&&&0x1ff ipv4_src=198.51.100.0&&&0xffffff00 prio=2 -> deny()"),
                diff(v1, v1.replace("action: permit", "action: deny")));
    }

    @Test
    void replacingADeviceInEveryServiceTouchesOnlyTheirSteps() throws Exception {
        // Seed Figure 20: W1, W5 and W9 move from firewall 2061 to 2062 (W2 stays on 2063).
        String v1 = java.nio.file.Files.readString(java.nio.file.Path.of("../examples/figure-20.yaml"));
        String v2 = v1.replace("sequence: [fw-2061, app-1]", "sequence: [fw-2062, app-1]");
        List<String> d = diff(v1, v2);
        assertEquals(List.of(), d.stream().filter(l -> l.contains("classify") || l.contains("port_role")
                || l.contains("service_id=2 ")).toList(), "no classifier, port or W2 (id 2) entry changes: " + d);
        // fw-2062's two next hops are new, fw-2061's go. Both are of the pool firewalls-2060, whose devices answer
        // for the same slots: each of the three services only re-targets its 2 steps that send into the firewall
        // (the steps keyed on the firewall's return slots stay as they are).
        assertEquals(4, d.stream().filter(l -> l.matches("(INSERT|DELETE) next_hop .*")).count(), d.toString());
        assertEquals(3 * 2, d.stream().filter(l -> l.matches("MODIFY sequence .*")).count(), d.toString());
        assertEquals(3 * 2, d.stream().filter(l -> l.matches("(INSERT|MODIFY|DELETE) sequence .*")).count(), d.toString());
    }
}
