package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.sfc.catalog.CatalogException;
import org.sfc.catalog.CatalogLoader;

import p4.config.v1.P4InfoOuterClass.P4Info;

/** A catalog that needs more than the target's P4Info sizes allow compiles to nothing, and says what overflows. */
class CapacityTest {
    static final String CATALOG = DiffTest.BASE + """
              api:
                address: {ip: 203.0.113.11, protocol: tcp, port: 443}
                rate: {pps: 100, burst: 10}
                sequence: [fw-2, app-1]
            """;

    static List<String> problems(Consumer<P4Info.Builder> shrink) throws Exception {
        P4Info.Builder b = GoldenTest.schema().p4info().toBuilder();
        shrink.accept(b);
        Schema small = new Schema(b.build());
        return assertThrows(CatalogException.class,
                () -> TableCompiler.compile(CatalogLoader.loadText("c.yaml", CATALOG), small, Ids.empty())).problems();
    }

    static void resizeTable(P4Info.Builder b, String alias, long size) {
        b.getTablesBuilderList().stream().filter(t -> t.getPreamble().getAlias().equals(alias)).forEach(t -> t.setSize(size));
    }

    @Test
    void tooManyEntriesForATable() throws Exception {
        // 2 services x (2 forward + 2 reply steps) = 8 sequence entries.
        assertEquals(List.of("c.yaml: the catalog needs 8 entries in table sequence but the target holds 7; "
                + "remove services or use a target with a bigger table"), problems(b -> resizeTable(b, "sequence", 7)));
    }

    @Test
    void tooManyNextHops() throws Exception {
        // fw-1, fw-2, app-1 and the uplink router.
        assertEquals(List.of("c.yaml: the catalog needs 4 entries in table next_hop but the target holds 3; "
                + "remove services or use a target with a bigger table"), problems(b -> resizeTable(b, "next_hop", 3)));
    }

    @Test
    void aGroupLargerThanTheBucketsCanShare() throws Exception {
        String catalog = DiffTest.BASE.replace("services:", """
                groups:
                  fws: {members: [fw-1, fw-2]}
                services:""").replace("sequence: [fw-1, app-1]", "sequence: [fws, app-1]");
        P4Info.Builder b = GoldenTest.schema().p4info().toBuilder();
        b.getTablesBuilderList().stream().filter(t -> t.getPreamble().getAlias().equals("next_hop_bucket"))
                .forEach(t -> t.getMatchFieldsBuilderList().stream().filter(f -> f.getName().equals("bucket"))
                        .forEach(f -> f.setBitwidth(0)));
        Schema oneBucket = new Schema(b.build());
        assertEquals(List.of("c.yaml: group fws has 2 members but the target's next_hop_bucket shares a group among "
                + "at most 1; split it"), assertThrows(CatalogException.class,
                () -> TableCompiler.compile(CatalogLoader.loadText("c.yaml", catalog), oneBucket, Ids.empty()))
                .problems());
    }

    @Test
    void aMeteredServiceIdBeyondTheMeterArray() throws Exception {
        assertEquals(List.of("c.yaml: service api is rate-limited but its id 1 is beyond the target's 1 meters "
                + "(ids 0..0); give fewer services a rate or use a target with more meters"),
                problems(b -> b.getMetersBuilderList().stream().filter(m -> m.getPreamble().getAlias().equals("service_meter"))
                        .forEach(m -> m.setSize(1))));
    }

    @Test
    void everyOverflowIsReportedAtOnce() throws Exception {
        assertEquals(2, problems(b -> {
            resizeTable(b, "sequence", 1);
            resizeTable(b, "classify_dst", 1);
        }).size());
    }
}
