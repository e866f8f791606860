package org.sfc.sw.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** BitIo against a bit-by-bit reference, for every offset and width. */
class BitIoTest {
    static long refRead(byte[] b, int off, int w) {
        long v = 0;
        for (int k = 0; k < w; k++) {
            int bit = off + k;
            v = (v << 1) | ((b[bit >>> 3] >>> (7 - (bit & 7))) & 1);
        }
        return v;
    }

    static void refWrite(byte[] b, int off, int w, long v) {
        for (int k = w - 1; k >= 0; k--) {
            int bit = off + k;
            if ((v & 1) != 0) {
                b[bit >>> 3] |= (byte) (1 << (7 - (bit & 7)));
            } else {
                b[bit >>> 3] &= (byte) ~(1 << (7 - (bit & 7)));
            }
            v >>>= 1;
        }
    }

    @Test
    void readAndWriteMatchTheBitByBitDefinitionAtEveryOffsetAndWidth() {
        Random r = new Random(7);
        for (int w = 1; w <= 64; w++) {
            for (int off = 0; off < 16; off++) {
                byte[] a = new byte[12];
                r.nextBytes(a);
                byte[] b = a.clone();
                assertEquals(refRead(a, off, w), BitIo.read(a, off, w), "read w=" + w + " off=" + off);
                long v = r.nextLong();
                refWrite(a, off, w, v);
                BitIo.write(b, off, w, v);
                assertEquals(java.util.HexFormat.of().formatHex(a), java.util.HexFormat.of().formatHex(b),
                        "write w=" + w + " off=" + off + " (neighbouring bits must be kept)");
            }
        }
    }
}
