package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sfc.catalog.Catalog;
import org.sfc.catalog.Catalog.FailurePolicy;
import org.sfc.catalog.CatalogException;
import org.sfc.catalog.CatalogLoader;

/**
 * No silent fail-open (issue 15): what a failed device's step does when there is no spare, and what a group's step
 * does when every member has failed, is declared and defaults to drop; bypass only where the operator says so.
 */
class FailureFallbackTest {
    static Schema schema;

    @BeforeAll
    static void load() throws Exception {
        schema = GoldenTest.schema();
    }

    static final String HEAD = """
            switch:
              mac: 02:00:00:00:fe:01
              uplinks:
                - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
            """;

    static Catalog load(String devicesAndMore) {
        return CatalogLoader.loadText("c.yaml", HEAD + devicesAndMore);
    }

    @Test
    void aSparePolicyFallsBackToDropUnlessTheFallbackOrTheFunctionSaysBypass() {
        Catalog c = load("""
                bypassable-functions: [ids]
                devices:
                  fw-1: {function: firewall, failure: spare, port: 2, mac: 00:00:00:00:00:f1}
                  fw-2: {function: firewall, failure: {policy: spare, fallback: bypass}, port: 3, mac: 00:00:00:00:00:f2}
                  fw-3: {function: firewall, failure: {policy: spare}, port: 4, mac: 00:00:00:00:00:f3}
                  ids-1: {function: ids, failure: spare, port: 5, mac: 00:00:00:00:00:d1}
                  ids-2: {function: ids, failure: {policy: spare, fallback: drop}, port: 6, mac: 00:00:00:00:00:d2}
                """);
        assertEquals(FailurePolicy.DROP, c.devices().get("fw-1").fallback());
        assertEquals(FailurePolicy.SPARE, c.devices().get("fw-2").failure());
        assertEquals(FailurePolicy.BYPASS, c.devices().get("fw-2").fallback());
        assertEquals(FailurePolicy.DROP, c.devices().get("fw-3").fallback());
        assertEquals(FailurePolicy.BYPASS, c.devices().get("ids-1").fallback());
        assertEquals(FailurePolicy.DROP, c.devices().get("ids-2").fallback());
    }

    @Test
    void aFallbackMustBeDropOrBypassAndOnlyForSpare() {
        List<String> problems = assertThrows(CatalogException.class, () -> load("""
                devices:
                  fw-1: {function: firewall, failure: {policy: spare, fallback: spare}, port: 2, mac: 00:00:00:00:00:f1}
                  fw-2: {function: firewall, failure: {policy: drop, fallback: bypass}, port: 3, mac: 00:00:00:00:00:f2}
                """)).problems();
        assertEquals(List.of(
                "c.yaml:6:65: 'fallback' of device fw-1 must be drop or bypass: what its step does when no healthy "
                        + "spare is free",
                "c.yaml:7:64: 'fallback' of device fw-2 applies to policy spare only (its policy is drop)"), problems);
    }

    static final String GROUP = """
            devices:
              ips-1: {function: ips, failure: bypass, port: 2, mac: 00:00:00:00:00:b1}
              ips-2: {function: ips, failure: drop, port: 3, mac: 00:00:00:00:00:b2}
              app-1: {function: server, tag: port, port: 6, mac: 00:00:00:00:00:c1}
            groups:
              ips-farm: {members: [ips-1, ips-2]%s}
            services:
              web:
                address: {ip: 203.0.113.10, protocol: tcp, port: 80}
                sequence: [ips-farm, app-1]
            """;

    /** The web service's forward step from the uplink (step 0, port 1): what requests entering the chain get. */
    static String entry(Catalog c, DeviceStates states) {
        TableCompiler.Result healthy = TableCompiler.compile(c, schema, Ids.empty());
        TableCompiler.Result r = TableCompiler.compile(c, schema, healthy, states);
        return r.state().entities().stream().map(e -> r.state().describe(e))
                .filter(l -> l.startsWith("sequence ") && l.contains("direction=0") && l.contains(" step=0 ")
                        && l.contains(" slot=1 ")).findFirst().orElseThrow();
    }

    @Test
    void aGroupWhoseMembersAllFailedDropsByDefaultAndNeverSendsToThem() {
        Catalog c = load(GROUP.formatted(""));
        assertEquals(FailurePolicy.DROP, c.groups().get("ips-farm").failure());
        assertTrue(entry(c, DeviceStates.NONE).contains("to_next_hop"), "healthy: into the group");
        assertTrue(entry(c, DeviceStates.NONE.bypass("ips-1")).contains("to_next_hop"), "one member left");
        // ips-1's own policy is bypass, ips-2's drop: the group's policy decides, and it is drop.
        String allFailed = entry(c, DeviceStates.NONE.bypass("ips-1").drop("ips-2"));
        assertTrue(allFailed.contains("drop_step"), allFailed);
    }

    @Test
    void aGroupWithPolicyBypassLeavesTheChainWhenAllMembersFailed() {
        Catalog c = load(GROUP.formatted(", failure: bypass"));
        String allFailed = entry(c, DeviceStates.NONE.drop("ips-1").drop("ips-2"));
        assertTrue(allFailed.contains("to_next_hop") && !allFailed.contains("drop_step"), allFailed);
        // Straight to app-1: the step carries app-1's tag, not the group's (the group's step is gone).
        String healthy = entry(c, DeviceStates.NONE);
        assertTrue(!healthy.equals(allFailed), healthy + " vs " + allFailed);
        List<String> problems = assertThrows(CatalogException.class, () -> load(GROUP.formatted(", failure: spare")))
                .problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("'failure' of group ips-farm must be drop or bypass"), problems.get(0));
    }
}
