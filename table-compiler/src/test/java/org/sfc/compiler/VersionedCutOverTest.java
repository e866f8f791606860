package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sfc.catalog.CatalogLoader;

import p4.v1.P4RuntimeOuterClass.Update;

/**
 * A versioned compilation puts a service whose steps change under its other version (tags with the version bit,
 * untagged steps keyed by it, classifiers carrying it), so the diff only inserts new steps, modifies the
 * classifiers (the flip), and deletes the old steps: nothing a packet in flight could hit is modified.
 */
class VersionedCutOverTest {
    static Schema schema;

    /** web = [fw-1, app-1] and mail = [fw-1, app-1]; version 2 puts fw-2 into web (the PTF scenario's catalogs). */
    static String CATALOG, WEB_THROUGH_TWO_FIREWALLS;

    @BeforeAll
    static void load() throws Exception {
        schema = GoldenTest.schema();
        CATALOG = java.nio.file.Files.readString(java.nio.file.Path.of("../ptf-scenarios/catalogs/cutover-v1.yaml"));
        WEB_THROUGH_TWO_FIREWALLS = java.nio.file.Files.readString(
                java.nio.file.Path.of("../ptf-scenarios/catalogs/cutover-v2.yaml"));
    }

    static TableCompiler.Result compile(String text, TableCompiler.Result previous) {
        return previous == null ? TableCompiler.compile(CatalogLoader.loadText("c.yaml", text), schema, Ids.empty())
                : TableCompiler.compile(CatalogLoader.loadText("c.yaml", text), schema, previous);
    }

    static List<String> lines(TableCompiler.Result r, String prefix) {
        return r.state().entities().stream().map(e -> r.state().describe(e)).filter(l -> l.startsWith(prefix)).toList();
    }

    @Test
    void aServiceWhoseStepsChangeMovesToItsOtherVersionAndTheOthersStay() {
        TableCompiler.Result v1 = compile(CATALOG, null);
        TableCompiler.Result v2 = compile(WEB_THROUGH_TWO_FIREWALLS, v1);
        assertEquals(0, v1.ids().version("web"));
        assertEquals(1, v2.ids().version("web"));
        assertEquals(0, v2.ids().version("mail"));
        assertSame(v1.state().fragment("service:mail"), v2.state().fragment("service:mail"), "mail is carried over");

        int web = v2.ids().asMap().get("service").get("web");
        List<String> webSteps = lines(v2, "sequence service_id=" + web + " ").stream()
                .map(l -> l.replaceAll("service_id=\\d+ ", "").replaceAll("nh_id=\\d+, ", "")).toList();
        assertEquals(List.of(
                // untagged (from the uplink, from the port-tagged server): the version is in the key
                "sequence direction=0 step=0 slot=1 version=1 -> to_next_hop(dscp=33)",
                // tags carry it in their sixth bit (32 + step)
                "sequence direction=0 step=33 slot=2 version=0 -> to_next_hop(dscp=34)",
                "sequence direction=0 step=34 slot=3 version=0 -> to_next_hop(dscp=0)",
                "sequence direction=1 step=31 slot=4 version=1 -> to_next_hop(dscp=36)",
                "sequence direction=1 step=36 slot=3 version=0 -> to_next_hop(dscp=37)",
                "sequence direction=1 step=37 slot=2 version=0 -> to_next_hop(dscp=0)"),
                webSteps);
        assertEquals(List.of(
                "classify_dst ipv4_dst=203.0.113.10 ip_proto=6 l4_dport=80 -> set_service(service_id=" + web
                        + ", direction=0, version=1)",
                "classify_src ipv4_src=203.0.113.10 ip_proto=6 l4_sport=80 -> set_service_by_src(service_id=" + web
                        + ", direction=1, version=1)"),
                lines(v2, "classify_").stream().filter(l -> l.contains("service_id=" + web + ",")).toList());
    }

    @Test
    void theDiffInsertsTheNewStepsFlipsTheClassifiersThenDeletesTheOldStepsAndModifiesNoStep() {
        TableCompiler.Result v1 = compile(CATALOG, null);
        TableCompiler.Result v2 = compile(WEB_THROUGH_TWO_FIREWALLS, v1);
        List<String> order = new ArrayList<>();
        for (Diff.Batch b : Diff.between(v1.state(), v2.state())) {
            for (Update u : b.updates()) {
                String line = (u.getType() == Update.Type.DELETE ? v1 : v2).state().describe(u.getEntity());
                String table = line.substring(0, line.indexOf(' '));
                order.add(u.getType() + " " + table);
            }
        }
        // what is new for fw-2, then the new steps, then the flip, then the old steps (web's 5 of version 0)
        int firstFlip = order.indexOf("MODIFY classify_dst");
        assertTrue(firstFlip > order.lastIndexOf("INSERT sequence"), order.toString());
        assertTrue(order.indexOf("DELETE sequence") > order.lastIndexOf("MODIFY classify_src"), order.toString());
        assertEquals(6, order.stream().filter("INSERT sequence"::equals).count(), order.toString());
        assertEquals(4, order.stream().filter("DELETE sequence"::equals).count(), order.toString());
        assertEquals(0, order.stream().filter("MODIFY sequence"::equals).count(), order.toString());
    }

    @Test
    void rollingBackFlipsBackAndAChangeOfClassifiersOnlyStaysInPlace() {
        TableCompiler.Result v1 = compile(CATALOG, null);
        TableCompiler.Result v2 = compile(WEB_THROUGH_TWO_FIREWALLS, v1);
        TableCompiler.Result v3 = compile(CATALOG, v2);
        assertEquals(0, v3.ids().version("web"));
        assertEquals(lines(v1, "sequence"), lines(v3, "sequence"), "the rollback's steps are the first version's");

        // Another port for mail: its classifiers change, its steps do not, so it keeps its version.
        TableCompiler.Result v4 = compile(CATALOG.replace("port: 25}", "port: 587}"), v3);
        assertEquals(0, v4.ids().version("mail"));
    }

    @Test
    void inPlaceCompilesAndStoredIdsKeepTheVersions() {
        TableCompiler.Result v1 = compile(CATALOG, null);
        TableCompiler.Result inPlace = TableCompiler.compile(CatalogLoader.loadText("c.yaml", WEB_THROUGH_TWO_FIREWALLS),
                schema, v1, v1.states(), TableCompiler.CutOver.IN_PLACE);
        assertEquals(0, inPlace.ids().version("web"));

        TableCompiler.Result v2 = compile(WEB_THROUGH_TWO_FIREWALLS, v1);
        // What a controller does on restart: recompile the stored catalog with the stored ids.
        TableCompiler.Result reloaded = TableCompiler.compile(CatalogLoader.loadText("c.yaml", WEB_THROUGH_TWO_FIREWALLS),
                schema, Ids.of(v2.ids().asMap()), DeviceStates.NONE);
        assertEquals(v2.state().text(), reloaded.state().text());
    }
}
