package org.sfc.sw.exec;

/**
 * The hash algorithms of v1model's HashAlgorithm enum, with the parameters BMv2 documents: crc16 is
 * CRC-16/ARC (poly 0x8005 reflected, init 0), crc32 is the IEEE CRC-32, csum16 the Internet checksum
 * (RFC 1071), identity the data itself, xor16 the XOR of 16-bit words.
 */
public final class Hashes {
    private Hashes() {}

    private static final int[] CRC16_TABLE = new int[256];
    private static final int[] CRC32_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0xA001 : c >>> 1;
            }
            CRC16_TABLE[i] = c;
            int d = i;
            for (int k = 0; k < 8; k++) {
                d = (d & 1) != 0 ? (d >>> 1) ^ 0xEDB88320 : d >>> 1;
            }
            CRC32_TABLE[i] = d;
        }
    }

    public static long crc16(byte[] data, int len) {
        int crc = 0;
        for (int i = 0; i < len; i++) {
            crc = (crc >>> 8) ^ CRC16_TABLE[(crc ^ data[i]) & 0xFF];
        }
        return crc & 0xFFFF;
    }

    public static long crc32(byte[] data, int len) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < len; i++) {
            crc = (crc >>> 8) ^ CRC32_TABLE[(crc ^ data[i]) & 0xFF];
        }
        return (~crc) & 0xFFFFFFFFL;
    }

    /** Ones' complement of the ones' complement sum of 16-bit words; an odd last byte is padded with 0. */
    public static long csum16(byte[] data, int len) {
        return (~onesComplementSum(data, 0, len, 0)) & 0xFFFF;
    }

    /** Adds bytes [off, off+len) as 16-bit words into a running ones' complement sum. */
    public static long onesComplementSum(byte[] data, int off, int len, long sum) {
        int i = off;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (data[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }

    public static long xor16(byte[] data, int len) {
        long x = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            x ^= ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
        }
        if (i < len) {
            x ^= (data[i] & 0xFF) << 8;
        }
        return x & 0xFFFF;
    }

    /** The low 64 bits of the data read as one big-endian number. */
    public static long identity(byte[] data, int len) {
        long v = 0;
        for (int i = Math.max(0, len - 8); i < len; i++) {
            v = (v << 8) | (data[i] & 0xFF);
        }
        return v;
    }
}
