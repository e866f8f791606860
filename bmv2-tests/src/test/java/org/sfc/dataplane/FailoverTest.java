package org.sfc.dataplane;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.dataplane.target.TargetKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Diff;
import org.sfc.compiler.DeviceStates;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;
import org.sfc.sw.testing.Packets;

import p4.v1.P4RuntimeOuterClass.Update;

/**
 * Seed Fig. 15B on the switch: a pool firewall fails; compiled with "replaced by the spare", the diff is two
 * MODIFYs (where the failed firewall's sides are attached: device_attach) that move every service that used it — the spare,
 * of the same pool, already answers for the pool's slots — and requests and replies flow through the spare.
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class FailoverTest {
    @Parameter
    TargetKind kind;
    @AutoClose
    Sfc sfc;

    static final int UPLINK = 1;
    static final int APP = 8;

    @Test
    void oneWriteMovesEveryServiceOfAFailedTwoPortDeviceToTheSpareOfItsPool() throws Exception {
        sfc = new Sfc(kind.start());
        var r = TableCompiler.compile(CatalogLoader.load(Path.of("../examples/figure-15b.yaml")),
                new Schema(sfc.p4info), Ids.empty());
        for (Diff.Batch b : Diff.between(DesiredState.empty(r.state().schema()), r.state())) {
            sfc.write(b.updates());
        }
        // Which firewall carries w1 (the pool picks a member per service)?
        String w1 = "203.0.113.1";
        int outside = Sfc.ports(sfc.send(UPLINK, request(w1))).get(0);
        String failed = outside == 2 ? "fw-1" : "fw-2";
        List<String> sameFirewall = List.of("w1", "w2", "w3").stream()
                .filter(s -> r.catalog().devicesOf("acme-firewalls", s).get(0).id().equals(failed)).toList();

        var next = TableCompiler.compile(r.catalog(), r.state().schema(), r, DeviceStates.NONE.replace(failed, "fw-3"));
        List<Update> writes = Diff.between(r.state(), next.state()).stream().flatMap(b -> b.updates().stream()).toList();
        assertTrue(writes.stream().allMatch(u -> u.getType() == Update.Type.MODIFY), "only MODIFYs: " + writes);
        assertEquals(2, writes.size(), "an entry per side, whatever the number of services: " + writes);
        int attach = sfc.rt.table("device_attach").getPreamble().getId();
        assertTrue(writes.stream().allMatch(u -> u.getEntity().getTableEntry().getTableId() == attach),
                "where the failed firewall is attached: " + writes);
        sfc.write(writes);

        for (String svc : sameFirewall) {
            String ip = r.catalog().services().get(svc).address().ip().toString();
            var atSpare = sfc.send(UPLINK, request(ip));
            assertEquals(List.of(6), Sfc.ports(atSpare), svc + " now enters the spare's outside (port 6)");
            var atApp = sfc.send(7, atSpare.get(0).data()); // the spare passes it out of its inside
            assertEquals(List.of(APP), Sfc.ports(atApp), svc + " continues to the server");
            byte[] reply = Packets.tcp(Sfc.SWITCH_MAC, 0x0801, ip, "198.51.100.7", 443, 40000, 64, 0, new byte[0]);
            var back = sfc.send(APP, reply);
            assertEquals(List.of(7), Sfc.ports(back), svc + "'s reply goes into the spare's inside");
            assertEquals(List.of(UPLINK), Sfc.ports(sfc.send(6, back.get(0).data())), svc + "'s reply reaches the client");
        }
        assertThrows(IllegalArgumentException.class, () -> TableCompiler.compile(r.catalog(), r.state().schema(), r,
                DeviceStates.NONE.replace(failed, "app-1")), "a server is no firewall");
    }

    /** A nat-mode server's spare answers from its own address: requests are translated to it, its replies back. */
    @Test
    void aNatServerFailsOverToItsSpareBothWays() throws Exception {
        sfc = new Sfc(kind.start());
        String catalog = """
                switch:
                  mac: 02:00:00:00:fe:01
                  uplinks:
                    - {name: internet, port: 1, router-mac: 00:00:00:00:00:a1}
                devices:
                  app-1: {function: server, mode: nat, ip: 10.0.0.5, tag: port, failure: spare, port: 2, mac: 00:00:00:00:02:01}
                  app-2: {function: server, mode: nat, ip: 10.0.0.6, tag: port, port: 3, mac: 00:00:00:00:03:01}
                pools:
                  apps: {function: server, members: [app-1], spares: [app-2]}
                services:
                  web:
                    address: {ip: 203.0.113.80, protocol: tcp, port: 80}
                    sequence: [apps]
                """;
        var r = TableCompiler.compile(CatalogLoader.loadText("nat-pool.yaml", catalog), new Schema(sfc.p4info), Ids.empty());
        for (Diff.Batch b : Diff.between(DesiredState.empty(r.state().schema()), r.state())) {
            sfc.write(b.updates());
        }
        byte[] req = Packets.tcp(Sfc.SWITCH_MAC, 0xa1, "198.51.100.7", "203.0.113.80", 40000, 80, 64, 0, new byte[0]);
        var atServer = sfc.send(UPLINK, req);
        assertEquals(List.of(2), Sfc.ports(atServer));
        assertEquals(Packets.ip("10.0.0.5"), java.nio.ByteBuffer.wrap(atServer.get(0).data(), 30, 4).getInt() & 0xFFFFFFFFL);

        var next = TableCompiler.compile(r.catalog(), r.state().schema(), r, DeviceStates.NONE.replace("app-1", "app-2"));
        List<Update> writes = Diff.between(r.state(), next.state()).stream().flatMap(b -> b.updates().stream()).toList();
        // The spare's address is classified from the start: its members and its port's slot, no service entry.
        assertEquals(2, writes.size(), "the server's member and the spare's port role: " + writes);
        sfc.write(writes);
        atServer = sfc.send(UPLINK, req);
        assertEquals(List.of(3), Sfc.ports(atServer), "to the spare");
        assertEquals(Packets.ip("10.0.0.6"), java.nio.ByteBuffer.wrap(atServer.get(0).data(), 30, 4).getInt() & 0xFFFFFFFFL,
                "translated to the spare's own address");
        byte[] reply = Packets.tcp(Sfc.SWITCH_MAC, 0x0301, "10.0.0.6", "198.51.100.7", 80, 40000, 64, 0, new byte[0]);
        var toClient = sfc.send(3, reply);
        assertEquals(List.of(UPLINK), Sfc.ports(toClient), "the spare's reply reaches the client");
        assertEquals(Packets.ip("203.0.113.80"), java.nio.ByteBuffer.wrap(toClient.get(0).data(), 26, 4).getInt() & 0xFFFFFFFFL,
                "from the service address");
    }

    static byte[] request(String ip) {
        return Packets.tcp(Sfc.SWITCH_MAC, 0xa1, "198.51.100.7", ip, 40000, 443, 64, 0, new byte[0]);
    }
}
