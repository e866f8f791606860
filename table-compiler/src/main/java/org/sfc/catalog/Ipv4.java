package org.sfc.catalog;

/** An IPv4 address. */
public record Ipv4(long value) {
    public static Ipv4 parse(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + s + "' is not an IPv4 address; write four numbers like 203.0.113.10");
        }
        long v = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("'" + s + "' is not an IPv4 address; each of the four numbers is 0..255");
            }
            v = (v << 8) | Integer.parseInt(p);
        }
        return new Ipv4(v);
    }

    @Override
    public String toString() {
        return ((value >>> 24) & 0xFF) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
