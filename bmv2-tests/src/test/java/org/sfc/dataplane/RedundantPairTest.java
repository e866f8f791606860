package org.sfc.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.controller.P4RuntimeClient;
import org.sfc.controller.Provisioner;
import org.sfc.controller.Store;
import org.sfc.dataplane.target.SoftwareSwitchTarget;
import org.sfc.dataplane.target.Target;
import org.sfc.dataplane.target.TargetKind;
import org.sfc.sw.testing.Packets;

/**
 * The building block of a redundant pair (seed Fig. 15, ¶158): two switches with the same catalog version and the
 * same (virtual) MAC; only the active one answers ARP for the addresses and forwards. When the active one is gone,
 * the standby takes over: its entry points (ARP answers, port roles, punts) are written and it announces the
 * addresses by gratuitous ARP, so the router sends to it; the old active one comes back as a standby, holding the
 * chains but forwarding nothing. The active switch is
 * the software switch; the standby runs on each target (BMv2 where installed).
 */
@ParameterizedClass(name = "standby on the {0}")
@EnumSource(value = TargetKind.class, names = {"SOFTWARE_SWITCH", "BMV2"})
class RedundantPairTest {
    @Parameter
    TargetKind kind;
    @TempDir
    Path dir;

    static final int UPLINK = 1, FW_OUT = 2;
    static final long ROUTER_MAC = 0xa1;
    static final String W1 = "203.0.113.10", ROUTER_IP = "198.51.100.1";

    Target a, b;
    Store store;
    final List<P4RuntimeClient> clients = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(P4RuntimeClient::close);
        for (Target t : new Target[] {a, b}) {
            if (t != null) {
                t.close();
            }
        }
        if (store != null) {
            store.close();
        }
    }

    Provisioner take(Target t, String name, Provisioner.Role role) {
        P4RuntimeClient c = P4RuntimeClient.connect(t.host(), t.grpcPort(), 1, 10, 5000);
        clients.add(c);
        return Provisioner.start(c, t.pipeline(), store, name, "test", Provisioner.Takeover.REFUSE, role);
    }

    /** The router's who-has W1, padded as a router sends it. */
    static byte[] whoHas() {
        return java.util.HexFormat.of().parseHex(("ffffffffffff" + "0000000000a1" + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                + "0000000000a1" + "c6336401" + "000000000000" + "cb00710a" + "00".repeat(18)));
    }

    /** The switch's answer: W1 is at the (shared) switch MAC. */
    static String isAt() {
        return "0000000000a1" + "02000000fe01" + "0806" + "0001" + "0800" + "06" + "04" + "0002" + "02000000fe01"
                + "cb00710a" + "0000000000a1" + "c6336401" + "00".repeat(18);
    }

    static String announcement() {
        return "ffffffffffff" + "02000000fe01" + "0806" + "0001" + "0800" + "06" + "04" + "0001" + "02000000fe01"
                + "cb00710a" + "000000000000" + "cb00710a" + "00".repeat(18);
    }

    static byte[] request() {
        return Packets.tcp(Sfc.SWITCH_MAC, ROUTER_MAC, "198.51.100.7", W1, 40000, 443, 64, 0, new byte[0]);
    }

    @Test
    void theStandbyHoldsEverythingButArpTakesOverWithGratuitousArpAndTheOldActiveReturnsAsStandby() throws Exception {
        a = SoftwareSwitchTarget.start();
        b = kind.start();
        store = Store.open(dir.resolve("sfc.db"));
        String fig7 = Files.readString(Path.of("../examples/figure-7.yaml"));
        Provisioner active = take(a, "a", Provisioner.Role.ACTIVE);
        Provisioner standby = take(b, "b", Provisioner.Role.STANDBY);
        int version = active.apply("figure-7.yaml", fig7, "test", "the pair's catalog").version();
        standby.follow(version, "test");
        assertEquals(version, standby.version(), "the standby has the active one's version");

        assertEquals(List.of(isAt()), a.send(UPLINK, whoHas()).stream().map(o -> Sfc.hex(o.data())).toList(),
                "the active switch answers for W1");
        assertEquals(List.of(), b.send(UPLINK, whoHas()), "the standby does not");
        assertEquals(List.of(), b.send(UPLINK, request()), "nor forwards (on a shared segment it sees every packet)");
        assertEquals(List.of(), b.send(FW_OUT + 1, Packets.tcp(Sfc.SWITCH_MAC, 0xf1, "198.51.100.7", W1, 40000, 443, 64,
                0, new byte[0])), "not even what comes back from a device");

        BlockingQueue<byte[]> atRouter = b.capture(UPLINK);
        BlockingQueue<byte[]> atFirewall = b.capture(FW_OUT);
        a.close(); // the active switch dies
        a = null;
        Provisioner.Report takeover = standby.becomeActive("test");
        assertEquals(13, takeover.writes(), "the entry points: an ARP entry for W1 (figure 7's only address), a role "
                + "and a punt for each of its 6 ports");
        assertEquals(announcement(), Sfc.hex(atRouter.poll(5, TimeUnit.SECONDS)), "W1 announced through the new active");
        assertEquals("ffffffffffff" + "02000000fe01" + "0806" + "0001" + "0800" + "06" + "04" + "0001" + "02000000fe01"
                + "c6120001" + "000000000000" + "c6120001" + "00".repeat(18), Sfc.hex(atFirewall.poll(5, TimeUnit.SECONDS)),
                "the device ports claimed (the switch's probe address, 198.18.0.1), so bridges there learn its MAC");
        assertEquals(List.of(isAt()), b.send(UPLINK, whoHas()).stream().map(o -> Sfc.hex(o.data())).toList());
        assertEquals(List.of(FW_OUT), Sfc.ports(b.send(UPLINK, request())), "it forwards: the chains were there");

        a = SoftwareSwitchTarget.start(); // the old active one, back empty: it comes back as the standby
        Provisioner back = take(a, "a", Provisioner.Role.STANDBY);
        assertEquals(version, back.version(), "repaired to its version");
        assertEquals(List.of(), a.send(UPLINK, whoHas()), "as a standby: no ARP answers");
        assertEquals(List.of(), a.send(UPLINK, request()), "and no forwarding");
        assertEquals(0, back.becomeStandby("test").writes(), "already one");
        assertEquals(13, back.becomeActive("test").writes(), "moved back: the entry points only");
        assertEquals(List.of(FW_OUT), Sfc.ports(a.send(UPLINK, request())), "its chains were there");
    }
}
