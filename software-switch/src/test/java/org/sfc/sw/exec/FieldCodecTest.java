package org.sfc.sw.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** FieldCodec must produce exactly what writing/reading each field with BitIo does. */
class FieldCodecTest {
    @Test
    void sequentialWriteAndReadAgreeWithFieldByFieldBitIo() {
        Random r = new Random(11);
        for (int round = 0; round < 2000; round++) {
            int n = 1 + r.nextInt(14);
            int[] widths = new int[n];
            int[] slots = new int[n];
            long[] s = new long[n];
            int total = 0;
            for (int i = 0; i < n; i++) {
                widths[i] = 1 + r.nextInt(r.nextBoolean() ? 64 : 16);
                slots[i] = i;
                s[i] = r.nextLong();
                total += widths[i];
            }
            int off = r.nextBoolean() ? 8 * r.nextInt(3) : r.nextInt(24);
            byte[] a = new byte[(off + total + 7) / 8 + 2];
            r.nextBytes(a);
            byte[] b = a.clone();
            int at = off;
            for (int i = 0; i < n; i++) {
                BitIo.write(a, at, widths[i], s[i]);
                at += widths[i];
            }
            assertEquals(at, FieldCodec.write(b, off, s, slots, widths));
            assertEquals(HexFormat.of().formatHex(a), HexFormat.of().formatHex(b), "write round " + round);
            long[] back = new long[n];
            FieldCodec.read(b, off, back, slots, widths);
            for (int i = 0; i < n; i++) {
                assertEquals(s[i] & BitIo.mask(widths[i]), back[i], "read round " + round + " field " + i);
            }
        }
    }
}
