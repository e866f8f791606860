package org.sfc.controller;

import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;

import p4.config.v1.P4InfoOuterClass.ControllerPacketMetadata;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.v1.P4RuntimeOuterClass.PacketMetadata;

/**
 * The metadata of a packet-out, from the program's P4Info: every field of its packet_out controller header, as a
 * P4Runtime server requires (a missing or repeated one is refused); {@code egress_port} says where the packet
 * leaves, every other field (padding) is 0.
 */
public final class PacketOuts {
    private PacketOuts() {}

    public static List<PacketMetadata> toPort(P4Info info, int port) {
        ControllerPacketMetadata header = info.getControllerPacketMetadataList().stream()
                .filter(h -> h.getPreamble().getName().equals("packet_out")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the program has no packet_out controller header"));
        List<PacketMetadata> out = new ArrayList<>();
        for (ControllerPacketMetadata.Metadata m : header.getMetadataList()) {
            long value = m.getName().equals("egress_port") ? port : 0;
            out.add(PacketMetadata.newBuilder().setMetadataId(m.getId()).setValue(bytes(value, m.getBitwidth())).build());
        }
        return out;
    }

    private static ByteString bytes(long value, int width) {
        byte[] b = new byte[Math.max(1, (width + 7) / 8)];
        for (int i = b.length - 1; i >= 0; i--, value >>>= 8) {
            b[i] = (byte) value;
        }
        return ByteString.copyFrom(b);
    }
}
