package org.sfc.sw.runtime;

/**
 * A two-rate three-color marker (RFC 2698) as BMv2 implements it: committed and peak token buckets, rates in
 * units (packets or bytes) per second, bursts in units. A meter with no configuration marks everything green.
 * Colors: 0 green, 1 yellow, 2 red. It also counts the packets (and bytes) it marked, per color: P4Runtime 1.4's
 * meter counter data.
 */
public final class MeterState {
    public static final int GREEN = 0;
    public static final int YELLOW = 1;
    public static final int RED = 2;

    private boolean configured;
    private long cir;
    private long cburst;
    private long pir;
    private long pburst;
    private double committedTokens;
    private double peakTokens;
    private long lastNanos;
    private final long[] packets = new long[3];
    private final long[] bytes = new long[3];

    public synchronized void configure(long cir, long cburst, long pir, long pburst, long nowNanos) {
        this.configured = true;
        this.cir = cir;
        this.cburst = cburst;
        this.pir = pir;
        this.pburst = pburst;
        this.committedTokens = cburst;
        this.peakTokens = pburst;
        this.lastNanos = nowNanos;
    }

    public synchronized void unconfigure() {
        configured = false;
    }

    public boolean configured() {
        return configured;
    }

    public long cir() {
        return cir;
    }

    public long cburst() {
        return cburst;
    }

    public long pir() {
        return pir;
    }

    public long pburst() {
        return pburst;
    }

    /** Marks a packet of {@code packetBytes} bytes, {@code units} in the meter's unit, arriving at {@code nowNanos}. */
    public synchronized int execute(long units, int packetBytes, long nowNanos) {
        int color = mark(units, nowNanos);
        packets[color]++;
        bytes[color] += packetBytes;
        return color;
    }

    private int mark(long units, long nowNanos) {
        if (!configured) {
            return GREEN;
        }
        double elapsed = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = Math.max(lastNanos, nowNanos);
        peakTokens = Math.min(pburst, peakTokens + elapsed * pir);
        committedTokens = Math.min(cburst, committedTokens + elapsed * cir);
        if (peakTokens < units) {
            return RED;
        }
        if (committedTokens < units) {
            peakTokens -= units;
            return YELLOW;
        }
        peakTokens -= units;
        committedTokens -= units;
        return GREEN;
    }

    /** Packets marked {@code color} so far. */
    public synchronized long packets(int color) {
        return packets[color];
    }

    /** Bytes of the packets marked {@code color} so far. */
    public synchronized long bytes(int color) {
        return bytes[color];
    }

    /** Zeroes the per-color counts (a write of meter counter data). */
    public synchronized void resetCounts() {
        java.util.Arrays.fill(packets, 0);
        java.util.Arrays.fill(bytes, 0);
    }

    /** The counts, to be put back by {@link #restoreCounts} (an undone write). */
    public synchronized long[] counts() {
        long[] c = new long[6];
        System.arraycopy(packets, 0, c, 0, 3);
        System.arraycopy(bytes, 0, c, 3, 3);
        return c;
    }

    public synchronized void restoreCounts(long[] c) {
        System.arraycopy(c, 0, packets, 0, 3);
        System.arraycopy(c, 3, bytes, 0, 3);
    }
}
