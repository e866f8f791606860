package org.sfc.controller;

import java.nio.ByteBuffer;

/**
 * An Ethernet + IPv4 + TCP or UDP frame the controller (heartbeat probes) and the demo send and inspect: built
 * with correct checksums, read field by field, and edited the way a device would edit it (checksums fixed again).
 */
public final class Frame {
    private static final int IP = 14;
    private static final int TCP = 34; // where the L4 header starts (TCP or UDP)
    private final byte[] bytes;

    public Frame(byte[] bytes) {
        this.bytes = bytes.clone();
    }

    /** A UDP datagram, or with protocol 6 a TCP segment with {@code flags} (see {@link #tcp}). */
    public static Frame of(int protocol, long dstMac, long srcMac, long srcIp, long dstIp, int sport, int dport,
                           int flags, String payload) {
        if (protocol == 6) {
            return tcp(dstMac, srcMac, srcIp, dstIp, sport, dport, flags, payload);
        }
        byte[] data = payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + data.length);
        b.put(mac(dstMac)).put(mac(srcMac)).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + data.length)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
                .putInt((int) srcIp).putInt((int) dstIp);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + data.length)).putShort((short) 0).put(data);
        Frame f = new Frame(b.array());
        f.fixChecksums();
        return f;
    }

    public int protocol() {
        return bytes[IP + 9] & 0xFF;
    }

    public static Frame tcp(long dstMac, long srcMac, long srcIp, long dstIp, int sport, int dport, int flags,
                            String payload) {
        return tcp(dstMac, srcMac, srcIp, dstIp, sport, dport, flags, 1, 0, payload);
    }

    /** A TCP segment with sequence and acknowledgement numbers (a handshake probe and its reset). */
    public static Frame tcp(long dstMac, long srcMac, long srcIp, long dstIp, int sport, int dport, int flags,
                            long seq, long ack, String payload) {
        byte[] data = payload.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20 + data.length);
        b.put(mac(dstMac)).put(mac(srcMac)).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (40 + data.length)).putShort((short) 1)
                .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0)
                .putInt((int) srcIp).putInt((int) dstIp);
        b.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack).put((byte) 0x50)
                .put((byte) flags)
                .putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(data);
        Frame f = new Frame(b.array());
        f.fixChecksums();
        return f;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public long dstMac() {
        return ByteBuffer.wrap(bytes, 0, 8).getLong() >>> 16;
    }

    /**
     * Whether this is an Ethernet + IPv4 (no options) + TCP or UDP frame long enough to read every field of this
     * class: what a packet-in must be before anything else is asked of it.
     */
    public boolean isIpv4TcpOrUdp() {
        if (bytes.length < TCP + 8 || (ByteBuffer.wrap(bytes).getShort(12) & 0xFFFF) != 0x0800
                || (bytes[IP] & 0xFF) != 0x45) {
            return false;
        }
        return protocol() == 17 || (protocol() == 6 && bytes.length >= TCP + 20);
    }

    public long srcMac() {
        return ByteBuffer.wrap(bytes, 4, 8).getLong() & 0xFFFF_FFFF_FFFFL;
    }

    public int tcpFlags() {
        return bytes[TCP + 13] & 0xFF;
    }

    public long tcpSeq() {
        return ByteBuffer.wrap(bytes).getInt(TCP + 4) & 0xFFFFFFFFL;
    }

    public long tcpAck() {
        return ByteBuffer.wrap(bytes).getInt(TCP + 8) & 0xFFFFFFFFL;
    }

    /** The bytes after the TCP (no options) or UDP header, as ASCII. */
    public String payloadText() {
        int from = TCP + (protocol() == 6 ? 20 : 8);
        return new String(bytes, from, Math.max(0, bytes.length - from), java.nio.charset.StandardCharsets.US_ASCII);
    }

    public long srcIp() {
        return ByteBuffer.wrap(bytes).getInt(IP + 12) & 0xFFFFFFFFL;
    }

    public long dstIp() {
        return ByteBuffer.wrap(bytes).getInt(IP + 16) & 0xFFFFFFFFL;
    }

    public int sport() {
        return ByteBuffer.wrap(bytes).getShort(TCP) & 0xFFFF;
    }

    public int dport() {
        return ByteBuffer.wrap(bytes).getShort(TCP + 2) & 0xFFFF;
    }

    public int dscp() {
        return (bytes[IP + 1] & 0xFF) >>> 2;
    }

    public Frame withSrcPort(int port) {
        Frame f = new Frame(bytes);
        ByteBuffer.wrap(f.bytes).putShort(TCP, (short) port);
        f.fixChecksums();
        return f;
    }

    public Frame withDstPort(int port) {
        Frame f = new Frame(bytes);
        ByteBuffer.wrap(f.bytes).putShort(TCP + 2, (short) port);
        f.fixChecksums();
        return f;
    }

    /** Whether the IPv4 and TCP checksums are right (the switch must keep them so after every rewrite). */
    public boolean checksumsOk() {
        Frame f = new Frame(bytes);
        f.fixChecksums();
        return java.util.Arrays.equals(f.bytes, bytes);
    }

    /** "198.51.100.7:40000 -> 203.0.113.10:443 dscp 0". */
    public String flow() {
        return (protocol() == 17 ? "udp " : "") + ip(srcIp()) + ":" + sport() + " -> " + ip(dstIp()) + ":" + dport()
                + " dscp " + dscp();
    }

    public static String ip(long v) {
        return ((v >>> 24) & 0xFF) + "." + ((v >>> 16) & 0xFF) + "." + ((v >>> 8) & 0xFF) + "." + (v & 0xFF);
    }

    static byte[] mac(long v) {
        byte[] m = new byte[6];
        for (int i = 5; i >= 0; i--) {
            m[i] = (byte) v;
            v >>>= 8;
        }
        return m;
    }

    private void fixChecksums() {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.putShort(IP + 10, (short) 0);
        b.putShort(IP + 10, (short) checksum(0, IP, 20));
        int l4Length = bytes.length - TCP;
        int at = protocol() == 17 ? TCP + 6 : TCP + 16;
        b.putShort(at, (short) 0);
        long pseudo = (srcIp() >>> 16) + (srcIp() & 0xFFFF) + (dstIp() >>> 16) + (dstIp() & 0xFFFF) + protocol() + l4Length;
        int sum = checksum(pseudo, TCP, l4Length);
        b.putShort(at, (short) (protocol() == 17 && sum == 0 ? 0xFFFF : sum)); // UDP: 0 means "no checksum"
    }

    private int checksum(long sum, int from, int length) {
        for (int i = 0; i < length; i += 2) {
            int hi = bytes[from + i] & 0xFF;
            int lo = i + 1 < length ? bytes[from + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
