package org.sfc.controller;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;

import org.sfc.catalog.Catalog;
import org.sfc.compiler.Schema;

import com.google.protobuf.ByteString;

import p4.v1.P4RuntimeOuterClass.Entity;
import p4.v1.P4RuntimeOuterClass.TableEntry;

/**
 * Gratuitous ARP for the addresses the switch answers ARP for (its arp table: service addresses, its own IP), sent
 * out of every uplink by packet-out, so routers learn at once which MAC owns them: when a controller takes charge
 * of a switch (a new or replaced switch, a standby made active) and when an apply adds an address. Each is an ARP
 * announcement (RFC 5227: a request whose sender and target address are the address announced). A standby made
 * active also claims its device ports.
 */
final class AddressAnnouncer {
    private static final int ARP_REQUEST = 1;

    private AddressAnnouncer() {}

    /** Announces the addresses of {@code arpEntries} (entries of the arp table) on {@code c}'s uplinks; how many frames. */
    static int announce(P4RuntimeClient client, Schema schema, Catalog c, Collection<Entity> arpEntries) {
        int table = schema.table("arp").getPreamble().getId();
        List<TableEntry> entries = arpEntries.stream().filter(e -> e.hasTableEntry()
                && e.getTableEntry().getTableId() == table).map(Entity::getTableEntry).toList();
        int sent = 0;
        for (Catalog.Uplink u : c.switchInfo().uplinks()) {
            for (TableEntry e : entries) {
                long ip = Schema.value(e.getMatch(0).getExact().getValue());
                long mac = Schema.value(e.getAction().getAction().getParams(0).getValue());
                client.packetOut(ByteString.copyFrom(frame(mac, ip)), PacketOuts.toPort(schema.p4info(), u.port()));
                sent++;
            }
        }
        return sent;
    }

    /**
     * An announcement of the switch's own address (its IP, else its probe address) out of every port a device is
     * cabled to, so the bridges on the way learn where the switch MAC is; how many frames.
     */
    static int claimDevicePorts(P4RuntimeClient client, Schema schema, Catalog c) {
        Catalog.SwitchInfo sw = c.switchInfo();
        long ip = (sw.ip() != null ? sw.ip() : sw.probeIp()).value();
        java.util.SortedSet<Integer> ports = new java.util.TreeSet<>();
        for (Catalog.Device d : c.devices().values()) {
            ports.add(d.outside().port());
            ports.add(d.inside().port());
        }
        for (int port : ports) {
            client.packetOut(ByteString.copyFrom(frame(sw.mac().value(), ip)), PacketOuts.toPort(schema.p4info(), port));
        }
        return ports.size();
    }

    /** An ARP announcement of {@code ip} at {@code mac}, broadcast, padded to Ethernet's 60 bytes. */
    static byte[] frame(long mac, long ip) {
        ByteBuffer b = ByteBuffer.allocate(60);
        b.put(Frame.mac(0xFFFFFFFFFFFFL)).put(Frame.mac(mac)).putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) ARP_REQUEST);
        b.put(Frame.mac(mac)).putInt((int) ip).put(new byte[6]).putInt((int) ip);
        return b.array();
    }
}
