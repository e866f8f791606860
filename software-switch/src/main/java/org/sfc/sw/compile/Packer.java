package org.sfc.sw.compile;

import org.sfc.sw.exec.BitIo;
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
    private final int totalBits;
    private byte[] buf;

    Packer(LongExpr[] parts, int[] widths) {
        this.parts = parts;
        this.widths = widths;
        int t = 0;
        for (int w : widths) {
            t += w;
        }
        this.totalBits = t;
        this.buf = new byte[(t + 7) / 8];
    }

    private int pack(Frame f) {
        java.util.Arrays.fill(buf, (byte) 0);
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            BitIo.write(buf, at, widths[i], parts[i].eval(f) & BitIo.mask(widths[i]));
            at += widths[i];
        }
        return (totalBits + 7) / 8;
    }

    long hash(Frame f, String algorithm) {
        int len = pack(f);
        return switch (algorithm) {
            case "crc16" -> Hashes.crc16(buf, len);
            case "crc32" -> Hashes.crc32(buf, len);
            case "csum16" -> Hashes.csum16(buf, len);
            case "xor16" -> Hashes.xor16(buf, len);
            default -> Hashes.identity(buf, len);
        };
    }

    /** The checksum over the fields, optionally followed by the packet payload (bytes after the parsed headers). */
    long checksum(Frame f, String algorithm, boolean withPayload) {
        if (!withPayload) {
            return hash(f, algorithm);
        }
        int len = pack(f);
        int payload = Math.max(0, f.pktLen - f.payloadOffset());
        byte[] all = new byte[len + payload];
        System.arraycopy(buf, 0, all, 0, len);
        System.arraycopy(f.pkt, f.payloadOffset(), all, len, payload);
        return switch (algorithm) {
            case "crc16" -> Hashes.crc16(all, all.length);
            case "crc32" -> Hashes.crc32(all, all.length);
            case "csum16" -> Hashes.csum16(all, all.length);
            case "xor16" -> Hashes.xor16(all, all.length);
            default -> Hashes.identity(all, all.length);
        };
    }
}
