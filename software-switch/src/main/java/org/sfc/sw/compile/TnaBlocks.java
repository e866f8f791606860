package org.sfc.sw.compile;

import org.sfc.sw.exec.Exec;
import org.sfc.sw.types.P4Type;

/**
 * A TNA program (tna.p4's {@code Switch(Pipeline(...))}) compiled: the six blocks of its one pipeline, the types
 * of the intrinsic headers the parsers extract from in front of the packet (the model writes them there), and the
 * slots of the intrinsic metadata the tna model writes before a block runs and reads after it. Every intrinsic
 * struct has storage whether or not a block takes it as a parameter (TNA's parameters are optional), so the model
 * never needs to ask. {@code pipeName} is the Pipeline instance's name (bf-p4c hashes P4Info ids with it).
 */
public record TnaBlocks(
        String pipeName,
        Exec ingressParser, Exec ingress, Exec ingressDeparser,
        Exec egressParser, Exec egress, Exec egressDeparser,
        P4Type.HeaderT ingressIntrinsic,
        P4Type.HeaderT egressIntrinsic,
        int portMetadataBits,
        int parserErrorScratch,
        Intrinsics slots) {

    /** Slots of the intrinsic metadata fields the model reads or writes (-1: not in this tna.p4). */
    public record Intrinsics(
            int igParserErr, int igGlobalTstamp,
            int igDropCtl, int igMirrorType,
            int ucastEgressPort, int mcastGrpA, int bypassEgress,
            int egParserErr, int egGlobalTstamp, int egDropCtl) {}
}
