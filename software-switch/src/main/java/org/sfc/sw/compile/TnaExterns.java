package org.sfc.sw.compile;

import org.sfc.sw.types.P4Type;

/** Compile-time state of tna.p4's externs that have no P4Runtime object of their own. */
final class TnaExterns {
    private TnaExterns() {}

    /** Hash<W>(algorithm): the result width and the algorithm's name as {@link Packer#algorithm} knows it. */
    record HashUnit(P4Type.Bits result, String algorithm) {}

    /** Checksum(): its running ones' complement sum lives in a slot of the packet's frame. */
    record ChecksumUnit(int slot) {}

    /** Mirror(): what it emits goes to the frame (the session and the mirror header's bytes). */
    record MirrorUnit() {}
}
