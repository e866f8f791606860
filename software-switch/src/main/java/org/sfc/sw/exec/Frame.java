package org.sfc.sw.exec;

/**
 * All mutable state of one packet while it runs through the pipeline: every header field, metadata field,
 * local variable and action parameter lives in {@link #s} at a slot fixed at compile time, so executing
 * the program never looks a name up.
 */
public final class Frame {
    public static final int NORMAL = 0;
    public static final int RETURN = 1;
    public static final int EXIT = 2;

    public final long[] s;

    /** Packet being parsed and the parser's cursor, in bits. */
    public byte[] pkt = new byte[0];
    public int pktLen;
    public int cursorBits;

    /** Deparser output. */
    public byte[] out = new byte[256];
    public int outBits;

    /** Control flow: NORMAL, or RETURN/EXIT unwinding. */
    public int flow;

    /** Result of the last table apply. */
    public boolean hit;
    public int actionRun;

    /** v1model requests made during ingress/egress. */
    public int cloneSession;
    public int cloneType = -1;
    public int cloneFieldList;
    public int truncateTo;
    /** TNA: the session a Mirror.emit named (-1: none) and the mirror header it emitted. */
    public int mirrorSession = -1;
    public byte[] mirrorHeader;
    /** An assert()/assume() failed: the packet is dropped. */
    public boolean assertFailed;

    /** Per-packet context used by externs that need the switch (counters use the packet length). */
    public int packetLengthBytes;

    /** The entry (or default-entry state) whose action is running: direct meters read its meter. */
    public org.sfc.sw.runtime.TableEntryRt currentEntry;

    /** Bytes after the parsed headers, for *_with_payload checksums computed before deparsing. */
    public int payloadOffset() {
        return cursorBits >>> 3;
    }

    public Frame(int slots) {
        this.s = new long[slots];
    }

    public void ensureOut(int bits) {
        int bytes = (bits + 7) >>> 3;
        if (bytes > out.length) {
            byte[] bigger = new byte[Math.max(bytes, out.length * 2)];
            System.arraycopy(out, 0, bigger, 0, out.length);
            out = bigger;
        }
    }

    /** Clears the per-packet state before a new packet (or a clone) runs. */
    public void reset() {
        java.util.Arrays.fill(s, 0L);
        cursorBits = 0;
        outBits = 0;
        flow = NORMAL;
        hit = false;
        actionRun = -1;
        cloneSession = 0;
        cloneType = -1;
        cloneFieldList = 0;
        truncateTo = 0;
        mirrorSession = -1;
        mirrorHeader = null;
        assertFailed = false;
        currentEntry = null;
    }
}
