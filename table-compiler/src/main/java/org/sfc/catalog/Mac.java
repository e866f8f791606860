package org.sfc.catalog;

/** A 48-bit MAC address. */
public record Mac(long value) {
    public static Mac parse(String s) {
        String[] parts = s.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + s + "' is not a MAC address; write six hex bytes like 00:1b:21:3a:4f:02");
        }
        long v = 0;
        for (String p : parts) {
            if (!p.matches("[0-9a-fA-F]{1,2}")) {
                throw new IllegalArgumentException("'" + s + "' is not a MAC address; write six hex bytes like 00:1b:21:3a:4f:02");
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new Mac(v);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 5; i >= 0; i--) {
            sb.append(String.format("%02x", (value >>> (8 * i)) & 0xFF));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
