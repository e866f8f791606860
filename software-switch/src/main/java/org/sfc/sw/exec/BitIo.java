package org.sfc.sw.exec;

/**
 * Reads and writes big-endian bit fields of up to 64 bits at any bit offset of a byte array. A field is
 * moved through a window of the (at most 8) bytes that cover it, so a misaligned field costs a few byte
 * operations rather than one per bit.
 */
public final class BitIo {
    private BitIo() {}

    public static long read(byte[] b, int bitOff, int width) {
        int first = bitOff >>> 3;
        int last = (bitOff + width - 1) >>> 3;
        if (last - first >= 8) {
            // A misaligned field of more than 56 bits spans 9 bytes: read it in two parts.
            return (read(b, bitOff, width - 32) << 32) | read(b, bitOff + width - 32, 32);
        }
        long v = 0;
        for (int i = first; i <= last; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        int trailing = ((last + 1) << 3) - (bitOff + width);
        return (v >>> trailing) & mask(width);
    }

    public static void write(byte[] b, int bitOff, int width, long v) {
        int first = bitOff >>> 3;
        int last = (bitOff + width - 1) >>> 3;
        if (last - first >= 8) {
            write(b, bitOff, width - 32, v >>> 32);
            write(b, bitOff + width - 32, 32, v);
            return;
        }
        int trailing = ((last + 1) << 3) - (bitOff + width);
        long fieldMask = mask(width) << trailing;
        long window = 0;
        for (int i = first; i <= last; i++) {
            window = (window << 8) | (b[i] & 0xFF);
        }
        window = (window & ~fieldMask) | ((v << trailing) & fieldMask);
        for (int i = last; i >= first; i--) {
            b[i] = (byte) window;
            window >>>= 8;
        }
    }

    public static long mask(int width) {
        return width >= 64 ? -1L : (1L << width) - 1;
    }

    /** Sign-extends the low {@code width} bits of v. */
    public static long signExtend(long v, int width) {
        int sh = 64 - width;
        return (v << sh) >> sh;
    }
}
