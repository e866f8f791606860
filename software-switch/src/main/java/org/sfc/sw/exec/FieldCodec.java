package org.sfc.sw.exec;

/**
 * Moves a run of consecutive fields between slots and bytes, most significant bit first, through a 64-bit
 * accumulator: one shift and one store per byte instead of a read-modify-write per field. Falls back to
 * {@link BitIo} when the run does not start on a byte boundary.
 */
public final class FieldCodec {
    private FieldCodec() {}

    /** Writes {@code values[i]} (masked to {@code widths[i]}) back to back from {@code bitOff}; returns the end. */
    public static int write(byte[] out, int bitOff, long[] s, int[] slots, int[] widths) {
        if ((bitOff & 7) != 0) {
            for (int i = 0; i < slots.length; i++) {
                BitIo.write(out, bitOff, widths[i], s[slots[i]]);
                bitOff += widths[i];
            }
            return bitOff;
        }
        int pos = bitOff >>> 3;
        long acc = 0;
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            int w = widths[i];
            long v = s[slots[i]];
            if (w > 56) {
                // Keep n + w within 64 bits: push the high part first.
                int hiW = w - 32;
                acc = (acc << hiW) | ((v >>> 32) & BitIo.mask(hiW));
                n += hiW;
                while (n >= 8) {
                    n -= 8;
                    out[pos++] = (byte) (acc >>> n);
                }
                w = 32;
            }
            acc = (acc << w) | (v & BitIo.mask(w));
            n += w;
            while (n >= 8) {
                n -= 8;
                out[pos++] = (byte) (acc >>> n);
            }
        }
        int end = (pos << 3) + n;
        if (n > 0) {
            // Merge the last partial byte, keeping whatever bits follow in the buffer.
            int keep = 8 - n;
            out[pos] = (byte) ((acc << keep) | (out[pos] & ((1 << keep) - 1)));
        }
        return end;
    }

    /** Reads consecutive fields starting at {@code bitOff} into {@code s[slots[i]]} (unsigned). */
    public static void read(byte[] in, int bitOff, long[] s, int[] slots, int[] widths) {
        if ((bitOff & 7) != 0) {
            for (int i = 0; i < slots.length; i++) {
                s[slots[i]] = BitIo.read(in, bitOff, widths[i]);
                bitOff += widths[i];
            }
            return;
        }
        int pos = bitOff >>> 3;
        long acc = 0;
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            int w = widths[i];
            if (w > 56) {
                s[slots[i]] = BitIo.read(in, (pos << 3) - n, w);
                int consumed = w - n;
                pos += consumed >>> 3;
                n = (8 - (consumed & 7)) & 7;
                if (n > 0) {
                    acc = in[pos++] & 0xFF;
                }
                continue;
            }
            while (n < w) {
                acc = (acc << 8) | (in[pos++] & 0xFF);
                n += 8;
            }
            n -= w;
            s[slots[i]] = (acc >>> n) & BitIo.mask(w);
        }
    }
}
