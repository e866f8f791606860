package org.sfc.dataplane;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.dataplane.target.TargetKind;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sfc.sw.runtime.V1ModelPipeline.Output;
import org.sfc.sw.testing.Packets;

/**
 * Seed Figure 7 (¶116-121): client -> firewall -> VPN -> server, with the packet distributor copying to an
 * IDS, and the reply back through VPN and firewall. The VPN decapsulates W1:P1 (443) into W1:P2 (8080), so
 * the chain is two service addresses: service 1 (W1:443) and service 2 (W1:8080). The server runs in NAT
 * mode (S1). Each hop checks the exact frame that leaves and that nothing else leaves.
 *
 * <p>The walk runs twice: with entries written by hand here (this class), and with the entries the table
 * compiler produces from examples/figure-7.yaml ({@link Figure7CompiledTest}).
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class Figure7Test {
    @Parameter
    TargetKind kind;

    static final int UPLINK = 1, FW_OUT = 2, FW_IN = 3, VPN = 4, IDS = 5, SERVER = 6;
    static final long ROUTER_MAC = 0x0000000000a1L, FW0_MAC = 0x0000000000f0L, FW1_MAC = 0x0000000000f1L,
            VPN_MAC = 0x0000000000b1L, IDS_MAC = 0x0000000000d1L, SERVER_MAC = 0x0000000000c1L;
    static final String W1 = "203.0.113.10", U1 = "198.51.100.7", S1 = "10.0.0.6";
    static final int P1 = 443, P2 = 8080, CLIENT_PORT = 40000;
    static final int SVC1 = 1, SVC2 = 2, MARKING = 10; // the service's DSCP toward the network (AF11)

    @AutoClose
    Sfc sfc;

    /** The DSCP the request carries toward the VPN (a port-tagged device: any value the provisioning chose). */
    int dscpTowardVpn() {
        return 2;
    }

    @BeforeEach
    void setUp() throws Exception {
        sfc = new Sfc(kind.start());
        provision();
    }

    void provision() throws Exception {
        sfc.insert(sfc.uplinkPort(UPLINK),
                sfc.devicePort(FW_OUT, 2, false), sfc.devicePort(FW_IN, 3, false),
                sfc.devicePort(VPN, 4, true), sfc.devicePort(IDS, 5, true), sfc.devicePort(SERVER, 6, true));
        sfc.insert(sfc.serviceByDst(W1, 6, P1, SVC1, Sfc.FWD), sfc.serviceByDst(W1, 6, P2, SVC2, Sfc.FWD),
                sfc.serviceBySrc(W1, 6, P1, SVC1, Sfc.REPLY),
                sfc.replyFromNatServer(S1, 6, P2, SVC2, W1, P2));
        sfc.nextHop(1, FW_OUT, FW0_MAC, 2);
        sfc.nextHop(2, FW_IN, FW1_MAC, 3);
        sfc.nextHop(3, VPN, VPN_MAC, 4);
        sfc.natNextHop(4, SERVER, SERVER_MAC, 6, S1);
        sfc.nextHop(5, UPLINK, ROUTER_MAC, 0);
        sfc.copySession(10, IDS, 5, IDS_MAC);
        sfc.insert(
                // service 1 forward: uplink -> firewall (outside, tag 1); firewall inside -> VPN
                sfc.step(SVC1, Sfc.FWD, 0, UPLINK, sfc.toNextHop(1, 1)),
                sfc.step(SVC1, Sfc.FWD, 1, FW_IN, sfc.toNextHop(3, 2)),
                // service 2 forward: from the VPN -> server (NAT), copy to the IDS
                sfc.step(SVC2, Sfc.FWD, Sfc.STEP_FROM_PORT, VPN, sfc.toNextHopCopy(4, 0, 10)),
                // service 2 reply: from the server -> VPN, copy to the IDS
                sfc.step(SVC2, Sfc.REPLY, Sfc.STEP_FROM_PORT, SERVER, sfc.toNextHopCopy(3, 0, 10)),
                // service 1 reply: from the VPN -> firewall (inside, tag 3); firewall outside -> uplink
                sfc.step(SVC1, Sfc.REPLY, Sfc.STEP_FROM_PORT, VPN, sfc.toNextHop(2, 3)),
                sfc.step(SVC1, Sfc.REPLY, 3, FW_OUT, sfc.toNextHop(5, MARKING)));
    }

    @Test
    void requestTraversesFirewallVpnAndReachesTheServerWithACopyToTheIds() {
        // 1. Client -> W1:443 (its DSCP 46 does not matter: from the uplink the step is 0).
        byte[] fromClient = Packets.tcp(Sfc.SWITCH_MAC, ROUTER_MAC, U1, W1, CLIENT_PORT, P1, 60, 46, "vpn-data".getBytes());
        List<Output> out = sfc.send(UPLINK, fromClient);
        assertEquals(List.of(FW_OUT), Sfc.ports(out));
        byte[] toFw = Packets.edit(fromClient, b -> {
            Sfc.macs(b, FW0_MAC, Sfc.SWITCH_MAC);
            Sfc.dscp(b, 1);
        });
        assertEquals(Sfc.hex(toFw), Sfc.hex(out.get(0).data()));

        // 2. The firewall passes it out of its inside interface (its own MAC, tag kept) -> VPN, tag 2.
        byte[] fromFw = Packets.edit(toFw, b -> Sfc.macs(b, Sfc.SWITCH_MAC, FW1_MAC));
        out = sfc.send(FW_IN, fromFw);
        assertEquals(List.of(VPN), Sfc.ports(out));
        assertEquals(Sfc.hex(Packets.edit(fromFw, b -> {
            Sfc.macs(b, VPN_MAC, Sfc.SWITCH_MAC);
            Sfc.dscp(b, dscpTowardVpn());
        })), Sfc.hex(out.get(0).data()));

        // 3. The VPN returns the decapsulated request W1:8080 -> server S1 (NAT) and a copy to the IDS (W1).
        byte[] decapsulated = Packets.tcp(Sfc.SWITCH_MAC, VPN_MAC, U1, W1, CLIENT_PORT, P2, 64, 0, "GET /".getBytes());
        out = sfc.send(VPN, decapsulated);
        assertEquals(List.of(IDS, SERVER), Sfc.ports(out).stream().sorted().toList());
        assertEquals(Sfc.hex(Packets.edit(decapsulated, b -> {
            Sfc.macs(b, SERVER_MAC, Sfc.SWITCH_MAC);
            Sfc.dstIp(b, S1);
        })), Sfc.hex(Sfc.on(out, SERVER).data()));
        assertEquals(Sfc.hex(Packets.edit(decapsulated, b -> Sfc.macs(b, IDS_MAC, Sfc.SWITCH_MAC))),
                Sfc.hex(Sfc.on(out, IDS).data()), "the copy keeps the service address W1");
    }

    @Test
    void replyIsUnNatedCopiedAndReturnsThroughVpnAndFirewallWithTheServiceMarking() {
        // 4. Server S1:8080 -> client: un-NATed to W1:8080 toward the VPN, copied (un-NATed) to the IDS.
        byte[] fromServer = Packets.tcp(Sfc.SWITCH_MAC, SERVER_MAC, S1, U1, P2, CLIENT_PORT, 64, 0, "200 OK".getBytes());
        List<Output> out = sfc.send(SERVER, fromServer);
        assertEquals(List.of(VPN, IDS), Sfc.ports(out).stream().sorted().toList());
        assertEquals(Sfc.hex(Packets.edit(fromServer, b -> {
            Sfc.macs(b, VPN_MAC, Sfc.SWITCH_MAC);
            Sfc.srcIp(b, W1);
        })), Sfc.hex(Sfc.on(out, VPN).data()));
        assertEquals(Sfc.hex(Packets.edit(fromServer, b -> {
            Sfc.macs(b, IDS_MAC, Sfc.SWITCH_MAC);
            Sfc.srcIp(b, W1);
        })), Sfc.hex(Sfc.on(out, IDS).data()), "the IDS sees the reply from the service address too");

        // 5. The VPN sends the encapsulated reply W1:443 -> client: to the firewall's inside, tag 3.
        byte[] encapsulated = Packets.tcp(Sfc.SWITCH_MAC, VPN_MAC, W1, U1, P1, CLIENT_PORT, 64, 0, "vpn-reply".getBytes());
        out = sfc.send(VPN, encapsulated);
        assertEquals(List.of(FW_IN), Sfc.ports(out));
        byte[] toFw = Packets.edit(encapsulated, b -> {
            Sfc.macs(b, FW1_MAC, Sfc.SWITCH_MAC);
            Sfc.dscp(b, 3);
        });
        assertEquals(Sfc.hex(toFw), Sfc.hex(out.get(0).data()));

        // 6. The firewall passes it out of its outside interface: to the router with the service's marking.
        byte[] fromFw = Packets.edit(toFw, b -> Sfc.macs(b, Sfc.SWITCH_MAC, FW0_MAC));
        out = sfc.send(FW_OUT, fromFw);
        assertEquals(List.of(UPLINK), Sfc.ports(out));
        assertEquals(Sfc.hex(Packets.edit(fromFw, b -> {
            Sfc.macs(b, ROUTER_MAC, Sfc.SWITCH_MAC);
            Sfc.dscp(b, MARKING);
        })), Sfc.hex(out.get(0).data()));
    }

    @Test
    void aClientCannotSkipTheFirewallWithItsDscpAndWrongPortsAreDropped() {
        // DSCP 1 is the 'back from the firewall' tag, but from the uplink the step is always 0.
        byte[] sneaky = Packets.tcp(Sfc.SWITCH_MAC, ROUTER_MAC, U1, W1, CLIENT_PORT, P1, 60, 1, new byte[0]);
        assertEquals(List.of(FW_OUT), Sfc.ports(sfc.send(UPLINK, sneaky)));

        // A tag-1 packet coming back on the firewall's outside port instead of the inside one: dropped, counted.
        long before = sfc.dropped(6);
        assertEquals(List.of(), sfc.send(FW_OUT, Packets.tcp(Sfc.SWITCH_MAC, FW0_MAC, U1, W1, CLIENT_PORT, P1, 60, 1,
                new byte[0])));
        assertEquals(before + 1, sfc.dropped(6), "DROP_NO_STEP");
    }
}
