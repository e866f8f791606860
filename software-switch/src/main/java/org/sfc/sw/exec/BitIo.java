package org.sfc.sw.exec;

/** Reads and writes big-endian bit fields of up to 64 bits at any bit offset of a byte array. */
public final class BitIo {
    private BitIo() {}

    public static long read(byte[] b, int bitOff, int width) {
        if ((bitOff & 7) == 0 && (width & 7) == 0) {
            int i = bitOff >>> 3;
            long v = 0;
            for (int n = width >>> 3; n > 0; n--) {
                v = (v << 8) | (b[i++] & 0xFF);
            }
            return v;
        }
        long v = 0;
        for (int k = 0; k < width; k++) {
            int bit = bitOff + k;
            v = (v << 1) | ((b[bit >>> 3] >>> (7 - (bit & 7))) & 1);
        }
        return v;
    }

    public static void write(byte[] b, int bitOff, int width, long v) {
        if ((bitOff & 7) == 0 && (width & 7) == 0) {
            int i = (bitOff >>> 3) + (width >>> 3) - 1;
            for (int n = width >>> 3; n > 0; n--) {
                b[i--] = (byte) v;
                v >>>= 8;
            }
            return;
        }
        for (int k = width - 1; k >= 0; k--) {
            int bit = bitOff + k;
            int idx = bit >>> 3;
            int shift = 7 - (bit & 7);
            if ((v & 1) != 0) {
                b[idx] |= (byte) (1 << shift);
            } else {
                b[idx] &= (byte) ~(1 << shift);
            }
            v >>>= 1;
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
