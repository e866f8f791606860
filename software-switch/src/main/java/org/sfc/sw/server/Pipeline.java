package org.sfc.sw.server;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sfc.sw.compile.CompiledProgram;
import org.sfc.sw.compile.Compiler;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.p4info.P4InfoBuilder;
import org.sfc.sw.runtime.ActionDef;
import org.sfc.sw.runtime.ActionProfileDef;
import org.sfc.sw.runtime.CounterDef;
import org.sfc.sw.runtime.DirectCounterDef;
import org.sfc.sw.runtime.DirectMeterDef;
import org.sfc.sw.runtime.MeterDef;
import org.sfc.sw.runtime.RegisterDef;
import org.sfc.sw.runtime.Replication;
import org.sfc.sw.runtime.TableDef;
import org.sfc.sw.runtime.PacketPipeline;

import com.google.protobuf.ByteString;

import io.grpc.Status;
import p4.config.v1.P4InfoOuterClass;
import p4.config.v1.P4InfoOuterClass.P4Info;

/**
 * A loaded forwarding pipeline: the compiled program (with its table entries and extern state), the P4Info
 * whose ids the control plane uses, and lookups from those ids to runtime objects.
 *
 * <p>The device config is the P4 program text (preprocessed or with only built-in includes). When the
 * control plane supplies a P4Info, the switch binds its ids to the program's objects by name, so a P4Info
 * produced by p4c works as well as the one the switch derives itself; a P4Info that names objects the
 * program lacks, or disagrees on widths, is rejected.
 */
public final class Pipeline {
    public final CompiledProgram program;
    public final P4Info p4info;
    public final ByteString deviceConfig;
    public final long cookie;
    public final PacketPipeline dataplane;
    public final Replication replication = new Replication();
    public final Map<Integer, TableDef> tables = new HashMap<>();
    public final Map<Integer, ActionDef> actions = new HashMap<>();
    public final Map<Integer, ActionProfileDef> profiles = new HashMap<>();
    public final Map<Integer, CounterDef> counters = new HashMap<>();
    public final Map<Integer, DirectCounterDef> directCounters = new HashMap<>();
    public final Map<Integer, MeterDef> meters = new HashMap<>();
    public final Map<Integer, DirectMeterDef> directMeters = new HashMap<>();
    public final Map<Integer, RegisterDef> registers = new HashMap<>();

    private Pipeline(CompiledProgram program, P4Info p4info, ByteString deviceConfig, long cookie) {
        this.program = program;
        this.p4info = p4info;
        this.deviceConfig = deviceConfig;
        this.cookie = cookie;
        this.dataplane = PacketPipeline.of(program, replication);
        program.tables().forEach(t -> tables.put(t.id, t));
        program.actions().forEach(a -> actions.put(a.id, a));
        program.profiles().forEach(p -> profiles.put(p.id, p));
        program.counters().forEach(c -> counters.put(c.id, c));
        program.directCounters().forEach(c -> directCounters.put(c.id, c));
        program.meters().forEach(m -> meters.put(m.id, m));
        program.directMeters().forEach(m -> directMeters.put(m.id, m));
        program.registers().forEach(r -> registers.put(r.id, r));
    }

    /** Compiles the device config and binds it to {@code supplied} (or the derived P4Info when null/empty). */
    public static Pipeline load(ByteString deviceConfig, P4Info supplied, long cookie) {
        if (deviceConfig.isEmpty()) {
            throw P4RtException.invalid("the device config is empty; it must be the P4 program's source text");
        }
        CompiledProgram program;
        try {
            program = Compiler.compileText("<device-config>", deviceConfig.toString(StandardCharsets.UTF_8));
        } catch (FrontendException e) {
            throw P4RtException.invalid("the P4 program in the device config does not compile:\n" + e.getMessage());
        }
        P4Info derived;
        try {
            derived = P4InfoBuilder.build(program);
        } catch (FrontendException e) {
            throw P4RtException.invalid(e.getMessage());
        }
        P4Info info = derived;
        if (supplied != null && !supplied.equals(P4Info.getDefaultInstance()) && !supplied.equals(derived)) {
            bind(program, supplied);
            info = supplied;
        }
        return new Pipeline(program, info, deviceConfig, cookie);
    }

    /** Re-assigns the program's ids from a supplied P4Info, matching objects by name. */
    private static void bind(CompiledProgram program, P4Info info) {
        Map<String, P4InfoOuterClass.Table> tables = new HashMap<>();
        info.getTablesList().forEach(t -> tables.put(t.getPreamble().getName(), t));
        Map<String, P4InfoOuterClass.Action> actions = new HashMap<>();
        info.getActionsList().forEach(a -> actions.put(a.getPreamble().getName(), a));
        for (TableDef t : program.tables()) {
            P4InfoOuterClass.Table pt = tables.get(t.name);
            if (pt == null) {
                throw mismatch("table " + t.name + " is not in the supplied P4Info");
            }
            t.id = pt.getPreamble().getId();
            if (pt.getMatchFieldsCount() != t.keys.size()) {
                throw mismatch("table " + t.name + " has " + t.keys.size() + " match fields, the P4Info "
                        + pt.getMatchFieldsCount());
            }
            for (int i = 0; i < t.keys.size(); i++) {
                var k = t.keys.get(i);
                var pk = pt.getMatchFields(i);
                if (pk.getBitwidth() != k.width()) {
                    throw mismatch("match field " + k.name() + " of " + t.name + " is " + k.width()
                            + " bits, the P4Info says " + pk.getBitwidth());
                }
            }
            rebindKeyIds(t, pt);
        }
        for (ActionDef a : program.actions()) {
            P4InfoOuterClass.Action pa = actions.get(a.name);
            if (pa == null) {
                // An action no table or default uses may be absent from p4c's P4Info.
                continue;
            }
            a.id = pa.getPreamble().getId();
        }
        bindByName(program.profiles(), info.getActionProfilesList().stream()
                .map(x -> x.getPreamble()).toList(), (p, id) -> p.id = id, p -> p.name);
        bindByName(program.counters(), info.getCountersList().stream().map(x -> x.getPreamble()).toList(),
                (c, id) -> c.id = id, c -> c.name);
        bindByName(program.directCounters(), info.getDirectCountersList().stream().map(x -> x.getPreamble()).toList(),
                (c, id) -> c.id = id, c -> c.name);
        bindByName(program.meters(), info.getMetersList().stream().map(x -> x.getPreamble()).toList(),
                (m, id) -> m.id = id, m -> m.name);
        bindByName(program.directMeters(), info.getDirectMetersList().stream().map(x -> x.getPreamble()).toList(),
                (m, id) -> m.id = id, m -> m.name);
        bindByName(program.registers(), info.getRegistersList().stream().map(x -> x.getPreamble()).toList(),
                (r, id) -> r.id = id, r -> r.name);
    }

    private static void rebindKeyIds(TableDef t, P4InfoOuterClass.Table pt) {
        for (int i = 0; i < t.keys.size(); i++) {
            if (pt.getMatchFields(i).getId() != t.keys.get(i).id()) {
                throw mismatch("match field ids of table " + t.name + " differ from the program's key order");
            }
        }
    }

    private static <T> void bindByName(List<T> objects, List<P4InfoOuterClass.Preamble> preambles,
                                       java.util.function.ObjIntConsumer<T> setId,
                                       java.util.function.Function<T, String> name) {
        for (T o : objects) {
            var p = preambles.stream().filter(x -> x.getName().equals(name.apply(o))).findFirst();
            if (p.isEmpty()) {
                throw mismatch(name.apply(o) + " is not in the supplied P4Info");
            }
            setId.accept(o, p.get().getId());
        }
    }

    private static P4RtException mismatch(String what) {
        return new P4RtException(Status.Code.INVALID_ARGUMENT,
                "the supplied P4Info does not describe the P4 program in the device config: " + what);
    }
}
