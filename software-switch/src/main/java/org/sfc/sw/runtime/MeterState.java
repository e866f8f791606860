package org.sfc.sw.runtime;

/**
 * A two-rate three-color marker (RFC 2698) as BMv2 implements it: committed and peak token buckets, rates in
 * units (packets or bytes) per second, bursts in units. A meter with no configuration marks everything green.
 * Colors: 0 green, 1 yellow, 2 red.
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

    /** Marks {@code units} arriving at {@code nowNanos}. */
    public synchronized int execute(long units, long nowNanos) {
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
}
