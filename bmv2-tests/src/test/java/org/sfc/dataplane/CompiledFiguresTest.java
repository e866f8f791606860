package org.sfc.dataplane;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.sfc.dataplane.target.TargetKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.sfc.catalog.CatalogLoader;
import org.sfc.compiler.DesiredState;
import org.sfc.compiler.Diff;
import org.sfc.compiler.Ids;
import org.sfc.compiler.Schema;
import org.sfc.compiler.TableCompiler;
import org.sfc.sw.runtime.V1ModelPipeline.Output;
import org.sfc.sw.testing.Packets;


/**
 * Packet walks through what the compiler makes of the seed-figure examples (the test plays the clients, the
 * devices and the network): source-keyed ISP chains (Fig. 23), a proxy's outbound service (Fig. 12),
 * per-service ACLs (Fig. 13) and flow-symmetric load sharing over a group (Fig. 17F).
 */
@ParameterizedClass(name = "on the {0}")
@EnumSource(TargetKind.class)
class CompiledFiguresTest {
    @Parameter
    TargetKind kind;
    @AutoClose
    Sfc sfc;

    static final long ROUTER = 0xa1;

    Sfc provision(String example) throws Exception {
        sfc = new Sfc(kind.start());
        var result = TableCompiler.compile(CatalogLoader.load(Path.of("../examples", example + ".yaml")),
                new Schema(sfc.p4info), Ids.empty());
        for (Diff.Batch b : Diff.between(DesiredState.empty(result.state().schema()), result.state())) {
            sfc.write(b.updates());
        }
        return sfc;
    }

    /** What the device (or the network) does with a packet it got: sends it back on {@code port} unchanged. */
    static Output only(List<Output> out, int port) {
        assertEquals(List.of(port), Sfc.ports(out), "exactly one packet, on port " + port);
        return out.get(0);
    }

    static int dscp(byte[] frame) {
        return (frame[15] & 0xFF) >>> 2;
    }

    static long dstMac(byte[] frame) {
        return ByteBuffer.wrap(frame, 0, 8).getLong() >>> 16;
    }

    @Test
    void figure23IspModeTheSubscriberChoosesTheChainAndTheProvider() throws Exception {
        Sfc sfc = provision("figure-23");
        byte[] req = Packets.tcp(Sfc.SWITCH_MAC, ROUTER, "100.64.0.21", "192.0.2.80", 40000, 80, 64, 0, "get".getBytes());
        // access -> virus scanner (tag 1) + a copy to the IDS.
        List<Output> out = sfc.send(1, req);
        assertEquals(Set.of(2, 3), new HashSet<>(Sfc.ports(out)));
        byte[] atAv = Sfc.on(out, 3).data();
        assertEquals(1, dscp(atAv));
        // scanner -> firewall outside (tag 2) -> inside -> provider 2381 with the subscriber's marking (0).
        byte[] atFw = only(sfc.send(3, atAv), 5).data();
        assertEquals(2, dscp(atFw));
        byte[] toNsp = only(sfc.send(6, atFw), 10).data();
        assertEquals(0x1001, dstMac(toNsp), "toward the provider chosen for this subscriber");
        // The reply comes back from that provider and goes through the chain in reverse.
        byte[] reply = Packets.tcp(Sfc.SWITCH_MAC, 0x1001, "192.0.2.80", "100.64.0.21", 80, 40000, 64, 0, "ok".getBytes());
        byte[] backFw = only(sfc.send(10, reply), 6).data();
        byte[] backAv = only(sfc.send(5, backFw), 3).data();
        out = sfc.send(3, backAv);
        assertEquals(Set.of(1, 2), new HashSet<>(Sfc.ports(out)), "to the subscriber, and a copy to the IDS");
        assertEquals(ROUTER, dstMac(Sfc.on(out, 1).data()));
        // The other subscriber leaves by the other provider, through both virus scanners.
        byte[] other = Packets.tcp(Sfc.SWITCH_MAC, ROUTER, "100.64.0.23", "192.0.2.80", 40001, 80, 64, 0, new byte[0]);
        byte[] av1 = Sfc.on(sfc.send(1, other), 3).data();
        byte[] av2 = only(sfc.send(3, av1), 4).data();
        byte[] fw = only(sfc.send(4, av2), 5).data();
        assertEquals(0x1101, dstMac(only(sfc.send(6, fw), 11).data()));
        // A subscriber's address arriving from a provider is not a client of the chain: dropped.
        assertEquals(List.of(), sfc.send(11, req));
    }

    @Test
    void figure12TheProxysOwnRequestsGoThroughItsFirewallToTheInternetAndBack() throws Exception {
        Sfc sfc = provision("figure-12");
        // Client -> W1:8080 -> the proxy.
        byte[] toProxy = Packets.tcp(Sfc.SWITCH_MAC, ROUTER, "192.0.2.7", "203.0.113.10", 40000, 8080, 64, 0, new byte[0]);
        only(sfc.send(1, toProxy), 2);
        // The proxy, from PROXY, to an Internet host: firewall outside, inside, then the uplink.
        byte[] out = Packets.tcp(Sfc.SWITCH_MAC, 0x0201, "198.51.100.12", "192.0.2.80", 50000, 80, 64, 0, new byte[0]);
        byte[] atFw = only(sfc.send(2, out), 3).data();
        byte[] toNet = only(sfc.send(4, atFw), 1).data();
        assertEquals(ROUTER, dstMac(toNet));
        // The host's reply to PROXY: firewall inside, outside, back to the proxy.
        byte[] reply = Packets.tcp(Sfc.SWITCH_MAC, ROUTER, "192.0.2.80", "198.51.100.12", 80, 50000, 64, 0, new byte[0]);
        byte[] back = only(sfc.send(1, reply), 4).data();
        assertEquals(0x0201, dstMac(only(sfc.send(3, back), 2).data()));
        // And the proxy answers the client from W1.
        byte[] answer = Packets.tcp(Sfc.SWITCH_MAC, 0x0201, "203.0.113.10", "192.0.2.7", 8080, 40000, 64, 0, new byte[0]);
        only(sfc.send(2, answer), 1);
    }

    @Test
    void figure13EachServiceHasItsOwnRulesAndDefault() throws Exception {
        Sfc sfc = provision("figure-13");
        java.util.function.BiFunction<String, Integer, List<Integer>> acme = (src, sport) -> Sfc.ports(sfc.send(1,
                Packets.tcp(Sfc.SWITCH_MAC, ROUTER, src, "203.0.113.1", sport, 443, 64, 0, new byte[0])));
        assertEquals(List.of(2), acme.apply("198.51.100.7", 40000), "the partner network is permitted");
        assertEquals(List.of(), acme.apply("198.51.100.66", 40000), "its blocked host is denied (first rule)");
        assertEquals(List.of(2), acme.apply("192.0.2.9", 40000), "the second network from high ports");
        assertEquals(List.of(), acme.apply("192.0.2.9", 53), "but not from low ports");
        assertEquals(List.of(), acme.apply("203.0.113.200", 40000), "everyone else: the default, deny");
        // The server's replies enter on its port, where no client ACL applies.
        assertEquals(List.of(1), Sfc.ports(sfc.send(2, Packets.tcp(Sfc.SWITCH_MAC, 0x0201, "203.0.113.1", "192.0.2.9",
                443, 53, 64, 0, new byte[0]))));
        // globex's default is permit; its one rule drops only spoofed sources; acme's rules don't apply to it.
        java.util.function.Function<String, List<Integer>> globex = src -> Sfc.ports(sfc.send(1, Packets.udp(
                Sfc.SWITCH_MAC, ROUTER, src, "203.0.113.2", 40000, 5000, 64, 0, new byte[0])));
        assertEquals(List.of(3), globex.apply("192.0.2.9"));
        assertEquals(List.of(), globex.apply("203.0.113.200"));
    }

    @Test
    void figure17fAGroupSharesFlowsAndKeepsEachFlowOnOneMemberBothWays() throws Exception {
        Sfc sfc = provision("figure-17f");
        Set<Integer> used = new HashSet<>();
        for (int c = 0; c < 24; c++) {
            String client = "192.0.2." + (10 + c);
            byte[] req = Packets.tcp(Sfc.SWITCH_MAC, ROUTER, client, "203.0.113.2", 30000 + c, 443, 64, 0, new byte[0]);
            byte[] atFw = only(sfc.send(1, req), 2).data();
            List<Output> toIps = sfc.send(3, atFw);
            assertEquals(1, toIps.size());
            int member = toIps.get(0).port();
            used.add(member);
            byte[] atApp = only(sfc.send(member, toIps.get(0).data()), 8).data();
            // The server's reply must reach the same IPS (it keeps the flow's state).
            byte[] reply = Packets.tcp(Sfc.SWITCH_MAC, 0x0801, "203.0.113.2", client, 443, 30000 + c, 64, 0, new byte[0]);
            assertEquals(List.of(member), Sfc.ports(sfc.send(8, reply)), "flow " + client + " replies via its member");
            assertEquals(0x0801, dstMac(atApp), "the server gets it with its own MAC");
        }
        assertTrue(used.size() >= 2, "24 flows are spread over the group's members: " + used);
    }
}
