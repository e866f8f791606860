package org.sfc.sw.server;

import com.google.protobuf.ByteString;

/**
 * P4Runtime binary strings: big-endian unsigned integers. Reads accept any length as long as the value fits
 * the field's bit width (an empty string, or a value too wide, is OUT_OF_RANGE: P4Runtime 1.3+); writes produce
 * the spec's canonical form (shortest string, one zero byte for 0).
 */
public final class Bytes {
    private Bytes() {}

    public static long toLong(ByteString b, int width, String what) {
        int n = b.size();
        if (n == 0) {
            throw P4RtException.outOfRange(what + ": empty value (0 is one zero byte)");
        }
        int first = 0;
        while (first < n - 1 && b.byteAt(first) == 0) {
            first++;
        }
        if (n - first > 8) {
            throw P4RtException.outOfRange(what + ": value 0x" + hex(b) + " does not fit in " + width + " bits");
        }
        long v = 0;
        for (int i = first; i < n; i++) {
            v = (v << 8) | (b.byteAt(i) & 0xFF);
        }
        if (width < 64 && (v >>> width) != 0) {
            throw P4RtException.outOfRange(what + ": value 0x" + hex(b) + " does not fit in " + width + " bits");
        }
        return v;
    }

    public static ByteString canonical(long v) {
        int n = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 7) / 8);
        byte[] out = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = (byte) v;
            v >>>= 8;
        }
        return ByteString.copyFrom(out);
    }

    public static String hex(ByteString b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            sb.append(String.format("%02x", b.byteAt(i) & 0xFF));
        }
        return sb.toString();
    }
}
