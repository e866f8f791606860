package org.sfc.sw.compile;

import org.sfc.sw.exec.FieldCodec;
import org.sfc.sw.exec.Frame;
import org.sfc.sw.exec.Hashes;
import org.sfc.sw.exec.LongExpr;

/**
 * Packs a list of fields, most significant bit first and back to back, into bytes (the last byte padded
 * with zero bits) and hashes them: what hash(), action selectors and the checksum externs compute over.
 */
final class Packer {
    private final LongExpr[] parts;
    private final int[] widths;
    private final int[] slots;
    private final long[] values;
    private final int totalBits;
    private final byte[] buf;

    Packer(LongExpr[] parts, int[] widths) {
        this.parts = parts;
        this.widths = widths;
        int t = 0;
        for (int w : widths) {
            t += w;
        }
        this.totalBits = t;
        this.buf = new byte[(t + 7) / 8 + 1];
        this.values = new long[parts.length];
        this.slots = new int[parts.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = i;
        }
    }

    /** Hash algorithms by number, resolved once at compile time rather than per packet. */
    static final int CRC16 = 0;
    static final int CRC32 = 1;
    static final int CSUM16 = 2;
    static final int XOR16 = 3;
    static final int IDENTITY = 4;

    static int algorithm(String name) {
        return switch (name) {
            case "crc16" -> CRC16;
            case "crc32" -> CRC32;
            case "csum16" -> CSUM16;
            case "xor16" -> XOR16;
            default -> IDENTITY;
        };
    }

    private int pack(Frame f) {
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].eval(f);
        }
        buf[totalBits >>> 3] = 0; // the write keeps bits after the last field: make the padding 0
        FieldCodec.write(buf, 0, values, slots, widths);
        return (totalBits + 7) / 8;
    }

    private static long digest(int algorithm, byte[] data, int len) {
        return switch (algorithm) {
            case CRC16 -> Hashes.crc16(data, len);
            case CRC32 -> Hashes.crc32(data, len);
            case CSUM16 -> Hashes.csum16(data, len);
            case XOR16 -> Hashes.xor16(data, len);
            default -> Hashes.identity(data, len);
        };
    }

    /** The fields packed, as bytes (a header's image when the fields are its fields). */
    byte[] bytes(Frame f) {
        int len = pack(f);
        return java.util.Arrays.copyOf(buf, len);
    }

    long hash(Frame f, int algorithm) {
        return digest(algorithm, buf, pack(f));
    }

    /** The checksum over the fields, optionally followed by the packet payload (bytes after the parsed headers). */
    long checksum(Frame f, int algorithm, boolean withPayload) {
        if (!withPayload) {
            return hash(f, algorithm);
        }
        int len = pack(f);
        int payload = Math.max(0, f.pktLen - f.payloadOffset());
        byte[] all = new byte[len + payload];
        System.arraycopy(buf, 0, all, 0, len);
        System.arraycopy(f.pkt, f.payloadOffset(), all, len, payload);
        return digest(algorithm, all, all.length);
    }
}
