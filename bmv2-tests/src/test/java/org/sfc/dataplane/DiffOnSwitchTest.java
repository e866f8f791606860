package org.sfc.dataplane;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.dataplane.target.TargetKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;

import p4.v1.P4RuntimeOuterClass.*;

/**
 * Applying version 1 and then only the diff to version 2, batch by batch with ROLLBACK_ON_ERROR, leaves the
 * switch exactly as if version 2 had been written from scratch: the batches are valid P4Runtime writes in
 * an order the switch accepts (nothing is referenced before it exists or deleted while still referenced).
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class DiffOnSwitchTest {
    @Parameter
    TargetKind kind;
    @AutoClose
    Sfc incremental;
    @AutoClose
    Sfc fresh;

    static Set<String> everything(Sfc sfc) {
        Set<String> out = new TreeSet<>();
        for (Entity q : List.of(
                Entity.newBuilder().setTableEntry(TableEntry.getDefaultInstance()).build(),
                Entity.newBuilder().setActionProfileMember(ActionProfileMember.getDefaultInstance()).build(),
                Entity.newBuilder().setActionProfileGroup(ActionProfileGroup.getDefaultInstance()).build(),
                Entity.newBuilder().setPacketReplicationEngineEntry(PacketReplicationEngineEntry.newBuilder()
                        .setCloneSessionEntry(CloneSessionEntry.getDefaultInstance())).build(),
                Entity.newBuilder().setPacketReplicationEngineEntry(PacketReplicationEngineEntry.newBuilder()
                        .setMulticastGroupEntry(MulticastGroupEntry.getDefaultInstance())).build())) {
            for (Entity e : sfc.read(q)) {
                Entity clean = e.hasTableEntry()
                        ? Entity.newBuilder().setTableEntry(e.getTableEntry().toBuilder().clearCounterData()).build() : e;
                out.add(clean.toString().replace('\n', ' '));
            }
        }
        return out;
    }

    static void write(Sfc sfc, List<Update> updates) {
        sfc.write(updates);
    }

    @Test
    void applyingTheDiffEqualsApplyingTheNewVersion() throws Exception {
        incremental = new Sfc(kind.start());
        fresh = new Sfc(kind.start());
        String v1 = Files.readString(Path.of("../examples/figure-7.yaml"));
        // Version 2: the app moves to a second server in l2 mode on port 7, the IDS copy goes, a new service.
        String v2 = v1
                .replace("  app-1:\n    function: server", "  app-2:\n    function: server\n    tag: port\n    port: 7\n"
                        + "    mac: 00:00:00:00:00:c2\n  app-1:\n    function: server")
                .replace("      - device: app-1\n        copy-to: [ids-1]", "      - device: app-2")
                + "  status:\n    address: {ip: 203.0.113.10, protocol: tcp, port: 9000}\n    sequence: [fw-1, app-2]\n";
        assertTrue(v2.contains("app-2:") && !v2.contains("copy-to"), "the edits applied");
        Schema schema = new Schema(incremental.p4info);
        var r1 = TableCompiler.compile(CatalogLoader.loadText("v1.yaml", v1), schema, Ids.empty());
        var r2 = TableCompiler.compile(CatalogLoader.loadText("v2.yaml", v2), schema, r1.ids());
        write(incremental, r1.state().entities().stream().map(Sfc::install).toList());
        List<Diff.Batch> batches = Diff.between(r1.state(), r2.state());
        for (Diff.Batch b : batches) {
            write(incremental, b.updates());
        }
        write(fresh, r2.state().entities().stream().map(Sfc::install).toList());
        assertEquals(everything(fresh), everything(incremental));
        assertTrue(batches.stream().mapToInt(b -> b.updates().size()).sum() < r2.state().entities().size(),
                "the diff is smaller than rewriting everything");
    }
}
