package org.sfc.sw.compile;

import org.sfc.sw.exec.Exec;
import org.sfc.sw.types.P4Type;

/**
 * A TNA program (tna.p4's {@code Switch(Pipeline(...))}) compiled: the six blocks of its one pipeline and the
 * slots of the intrinsic metadata the tna model writes before a block runs and reads after it. Every intrinsic
 * struct has storage whether or not a block takes it as a parameter (TNA's parameters are optional), so the model
 * never needs to ask. {@code pipeName} is the Pipeline instance's name (bf-p4c hashes P4Info ids with it).
 */
public record TnaBlocks(
        String pipeName,
        Exec ingressParser, Exec ingress, Exec ingressDeparser,
        Exec egressParser, Exec egress, Exec egressDeparser,
        Header ingressIntrinsic,
        Header egressIntrinsic,
        int portMetadataBits,
        int parserErrorScratch,
        Intrinsics slots) {

    /** An intrinsic metadata header the parser extracts from in front of the packet (the model writes it there). */
    public record Header(int base, P4Type.HeaderT type) {
        /** The slot of a field, or -1 where this tna.p4 has no such field. */
        public int field(String name) {
            int off = type.offsetOf(name);
            return off < 0 ? -1 : base + off;
        }
    }

    /** Slots of the intrinsic metadata fields the model reads or writes (-1: not in this tna.p4). */
    public record Intrinsics(
            int igParserErr, int igGlobalTstamp,
            int igDropCtl, int igMirrorType, int igResubmitType, int igDigestType,
            int ucastEgressPort, int mcastGrpA, int bypassEgress, int copyToCpu,
            int egParserErr, int egGlobalTstamp, int egDropCtl, int egMirrorType) {}
}
