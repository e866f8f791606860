package org.sfc.sw.testing;

import java.nio.ByteBuffer;

import org.sfc.sw.exec.Hashes;

/** Builds test frames byte by byte, with correct IPv4 header checksums. */
public final class Packets {
    private Packets() {}

    public static byte[] mac(long v) {
        byte[] b = new byte[6];
        for (int i = 5; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    public static long ip(String dotted) {
        String[] p = dotted.split("\\.");
        return ((long) Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8)
                | Integer.parseInt(p[3]);
    }

    /** Ethernet + IPv4 (IHL 5) + TCP (20 bytes) + payload. */
    public static byte[] tcp(long dstMac, long srcMac, String srcIp, String dstIp, int sport, int dport, int ttl,
                             int dscp, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20 + payload.length);
        b.put(mac(dstMac)).put(mac(srcMac)).putShort((short) 0x0800);
        int ipStart = b.position();
        b.put((byte) 0x45).put((byte) (dscp << 2)).putShort((short) (20 + 20 + payload.length))
                .putShort((short) 0x1234).putShort((short) 0x4000).put((byte) ttl).put((byte) 6).putShort((short) 0)
                .putInt((int) ip(srcIp)).putInt((int) ip(dstIp));
        b.putShort((short) sport).putShort((short) dport).putInt(1000).putInt(0).put((byte) 0x50).put((byte) 0x02)
                .putShort((short) 8192).putShort((short) 0).putShort((short) 0);
        b.put(payload);
        byte[] out = b.array();
        fixIpv4Checksum(out, ipStart);
        fixL4Checksum(out);
        return out;
    }

    /** Recomputes the IPv4 header checksum of the header starting at {@code off}. */
    public static void fixIpv4Checksum(byte[] frame, int off) {
        int ihl = (frame[off] & 0x0F) * 4;
        frame[off + 10] = 0;
        frame[off + 11] = 0;
        long sum = Hashes.csum16(java.util.Arrays.copyOfRange(frame, off, off + ihl), ihl);
        frame[off + 10] = (byte) (sum >>> 8);
        frame[off + 11] = (byte) sum;
    }

    /** Ethernet + IPv4 (IHL 5) + UDP + payload. */
    public static byte[] udp(long dstMac, long srcMac, String srcIp, String dstIp, int sport, int dport, int ttl,
                             int dscp, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload.length);
        b.put(mac(dstMac)).put(mac(srcMac)).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) (dscp << 2)).putShort((short) (20 + 8 + payload.length))
                .putShort((short) 0x1234).putShort((short) 0).put((byte) ttl).put((byte) 17).putShort((short) 0)
                .putInt((int) ip(srcIp)).putInt((int) ip(dstIp));
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0);
        b.put(payload);
        byte[] out = b.array();
        fixIpv4Checksum(out, 14);
        fixL4Checksum(out);
        return out;
    }

    /** Recomputes the TCP or UDP checksum of an Ethernet/IPv4 (IHL 5) frame, as an end host would. */
    public static void fixL4Checksum(byte[] frame) {
        int proto = frame[23] & 0xFF;
        int csumAt = proto == 6 ? 34 + 16 : 34 + 6;
        int segLen = frame.length - 34;
        frame[csumAt] = 0;
        frame[csumAt + 1] = 0;
        byte[] pseudo = new byte[12 + segLen];
        System.arraycopy(frame, 26, pseudo, 0, 8);
        pseudo[9] = (byte) proto;
        pseudo[10] = (byte) (segLen >>> 8);
        pseudo[11] = (byte) segLen;
        System.arraycopy(frame, 34, pseudo, 12, segLen);
        long sum = Hashes.csum16(pseudo, pseudo.length);
        frame[csumAt] = (byte) (sum >>> 8);
        frame[csumAt + 1] = (byte) sum;
    }

    /** A copy of {@code frame} with the given edits applied and both checksums recomputed. */
    public static byte[] edit(byte[] frame, java.util.function.Consumer<ByteBuffer> edits) {
        byte[] out = frame.clone();
        edits.accept(ByteBuffer.wrap(out));
        fixIpv4Checksum(out, 14);
        if ((out[23] & 0xFF) == 6 || (out[23] & 0xFF) == 17) {
            fixL4Checksum(out);
        }
        return out;
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }
}
