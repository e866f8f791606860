package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sfc.catalog.CatalogLoader;

/**
 * Compiling the next version from the previous result carries unchanged services' fragments over as the same
 * objects, and gives exactly what a compilation from scratch (with the same ids) gives: same entities, same
 * diff.
 */
class IncrementalCompileTest {
    static Schema schema;
    static String v1;

    @BeforeAll
    static void load() throws Exception {
        schema = GoldenTest.schema();
        v1 = Files.readString(Path.of("../examples/figure-23.yaml")) + """
                  subscriber-2324:
                    clients: {ip: 100.64.0.24}
                    sequence: [av-2353, fw-2361]
                    exit: nsp-2381
                """;
    }

    static Map<String, DesiredState.Fragment> byOwner(TableCompiler.Result r) {
        return r.state().fragments().stream().collect(Collectors.toMap(DesiredState.Fragment::owner, Function.identity()));
    }

    static List<String> render(List<Diff.Batch> batches) {
        return batches.stream().map(b -> b.label() + " " + b.updates()).toList();
    }

    void sameAsFromScratch(String v2, List<String> reused, List<String> recompiled) {
        TableCompiler.Result a = TableCompiler.compile(CatalogLoader.loadText("v1.yaml", v1), schema, Ids.empty());
        // Re-reading shifts every position (a comment line on top): positions are not content.
        TableCompiler.Result inc = TableCompiler.compile(CatalogLoader.loadText("v2.yaml", "# v2\n" + v2), schema, a);
        // From scratch with the ids the incremental compile chose, changed services' step versions included.
        TableCompiler.Result full = TableCompiler.compile(CatalogLoader.loadText("v2.yaml", v2), schema, inc.ids());
        assertEquals(full.state().text(), inc.state().text());
        assertEquals(render(Diff.between(a.state(), full.state())), render(Diff.between(a.state(), inc.state())));
        reused.forEach(n -> assertSame(byOwner(a).get("service:" + n), byOwner(inc).get("service:" + n), n));
        recompiled.forEach(n -> assertNotSame(byOwner(a).get("service:" + n), byOwner(inc).get("service:" + n), n));
    }

    @Test
    void aChangedServiceRecompilesAndTheOthersAreCarriedOver() {
        sameAsFromScratch(v1.replace("clients: {ip: 100.64.0.24}", "clients: {ip: 100.64.0.24}\n    dscp: 12"),
                List.of("subscriber-2321", "subscriber-2322"), List.of("subscriber-2324"));
    }

    @Test
    void aNewServiceUsingNewNextHopsStillGetsThemWritten() {
        sameAsFromScratch(v1 + """
                  subscriber-2325:
                    clients: {ip: 100.64.0.25}
                    sequence: [av-2353]
                    exit: nsp-2382
                """, List.of("subscriber-2321", "subscriber-2322", "subscriber-2324"), List.of());
    }

    @Test
    void removingTheOnlyServiceOfANextHopDropsItEvenWhenOthersAreCarriedOver() {
        sameAsFromScratch(v1.substring(0, v1.indexOf("  subscriber-2324:")),
                List.of("subscriber-2321", "subscriber-2322"), List.of());
    }

    @Test
    void aChangedDeviceRecompilesEverything() {
        sameAsFromScratch(v1.replace("00:00:00:00:03:01", "00:00:00:00:03:99"), List.of(),
                List.of("subscriber-2321", "subscriber-2322", "subscriber-2324"));
    }

    @Test
    void aBypassedOrDroppedDeviceRecompilesOnlyTheServicesUsingIt() {
        TableCompiler.Result a = TableCompiler.compile(CatalogLoader.loadText("v1.yaml", v1), schema, Ids.empty());
        for (DeviceStates states : List.of(DeviceStates.NONE.bypass("av-2353"), DeviceStates.NONE.drop("av-2353"))) {
            TableCompiler.Result inc = TableCompiler.compile(a.catalog(), schema, a, states);
            TableCompiler.Result full = TableCompiler.compile(a.catalog(), schema, a.ids(), states);
            assertEquals(full.state().text(), inc.state().text(), states.toString());
            assertSame(byOwner(a).get("service:subscriber-2321"), byOwner(inc).get("service:subscriber-2321"),
                    "subscriber-2321 does not use av-2353");
            assertNotSame(byOwner(a).get("service:subscriber-2322"), byOwner(inc).get("service:subscriber-2322"));
            assertNotSame(byOwner(a).get("service:subscriber-2324"), byOwner(inc).get("service:subscriber-2324"));
            // Failing back from the state gives the first compilation again.
            TableCompiler.Result back = TableCompiler.compile(a.catalog(), schema, inc, DeviceStates.NONE);
            assertEquals(a.state().text(), back.state().text());
        }
    }

    @Test
    void aStateChangeOnTheSameCatalogKeepsPoolAddressesAndMatchesAFullCompile() throws Exception {
        var c = CatalogLoader.loadText("f10.yaml", Files.readString(Path.of("../examples/figure-10.yaml")));
        TableCompiler.Result a = TableCompiler.compile(c, schema, Ids.empty());
        String device = a.catalog().devices().keySet().iterator().next();
        TableCompiler.Result inc = TableCompiler.compile(a.catalog(), schema, a, DeviceStates.NONE.drop(device));
        TableCompiler.Result full = TableCompiler.compile(c, schema, a.ids(), DeviceStates.NONE.drop(device));
        assertEquals(full.state().text(), inc.state().text());
        Map<String, Map<String, Integer>> pools = new java.util.TreeMap<>(a.ids().asMap());
        pools.keySet().removeIf(k -> !k.startsWith("service-ip:"));
        assertEquals(false, pools.isEmpty(), "figure 10 gives services addresses from a pool");
        pools.forEach((kind, ids) -> assertEquals(ids, inc.ids().asMap().get(kind), kind));
    }
}
