package org.sfc.sw.runtime;

import java.util.List;

import org.sfc.sw.compile.CompiledProgram;

/** Runs packets through a compiled program the way its architecture does (v1model's simple_switch, or TNA). */
public interface PacketPipeline {
    /** Processes one packet received on {@code ingressPort}; returns what leaves the switch, in order. */
    List<V1ModelPipeline.Output> process(int ingressPort, byte[] data);

    CompiledProgram program();

    /** Packets dropped so far, for diagnostics. */
    long dropped();

    /** The model for the program's architecture. */
    static PacketPipeline of(CompiledProgram program, Replication replication) {
        return program.isTna() ? new TnaPipeline(program, replication) : new V1ModelPipeline(program, replication);
    }
}
