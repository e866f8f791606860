package org.sfc.sw.compile;

import java.util.List;
import java.util.Map;

import org.sfc.sw.exec.Exec;
import org.sfc.sw.runtime.ActionDef;
import org.sfc.sw.runtime.ActionProfileDef;
import org.sfc.sw.runtime.CounterDef;
import org.sfc.sw.runtime.DirectCounterDef;
import org.sfc.sw.runtime.DirectMeterDef;
import org.sfc.sw.runtime.MeterDef;
import org.sfc.sw.runtime.RegisterDef;
import org.sfc.sw.runtime.TableDef;
import org.sfc.sw.types.P4Type;

/**
 * A program compiled for execution: its blocks as runnable code over a frame of {@link #slotCount} slots, plus
 * every P4Runtime-visible object (with its runtime state). A v1model program fills the six V1Switch blocks and
 * {@link #stdMeta}; a TNA program leaves those null and fills {@link #tna} instead ({@link #isTna()}).
 */
public record CompiledProgram(
        int slotCount,
        Exec parser,
        Exec verifyChecksum,
        Exec ingress,
        Exec egress,
        Exec computeChecksum,
        Exec deparser,
        StdMeta stdMeta,
        int hdrBase,
        P4Type.StructT hdrType,
        int metaBase,
        P4Type.StructT metaType,
        List<TableDef> tables,
        List<ActionDef> actions,
        List<ActionProfileDef> profiles,
        List<CounterDef> counters,
        List<DirectCounterDef> directCounters,
        List<MeterDef> meters,
        List<DirectMeterDef> directMeters,
        List<RegisterDef> registers,
        List<ControllerHeader> controllerHeaders,
        Map<Integer, int[]> fieldLists,
        List<String> errors,
        TnaBlocks tna) {

    /** Whether this is a TNA program (Switch(Pipeline(...))), run by the tna model rather than v1model's. */
    public boolean isTna() {
        return tna != null;
    }

    /** The architecture's name as P4Info's pkg_info states it. */
    public String arch() {
        return isTna() ? "tna" : "v1model";
    }

    /** A header type annotated {@code @controller_header("packet_in" | "packet_out")}. */
    public record ControllerHeader(String name, P4Type.HeaderT type, int id) {}

    /** Slots of the v1model standard_metadata fields the switch reads and writes. */
    public record StdMeta(int base, int slots, int ingressPort, int egressSpec, int egressPort, int instanceType,
                          int packetLength, int mcastGrp, int egressRid, int checksumError, int parserError,
                          int ingressTimestamp, int egressTimestamp) {}

    public TableDef table(String name) {
        return tables.stream().filter(t -> t.name.equals(name)).findFirst().orElse(null);
    }

    public int errorCode(String name) {
        return errors.indexOf(name);
    }
}
