package org.sfc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;

import p4.config.v1.P4InfoOuterClass;
import p4.config.v1.P4InfoOuterClass.P4Info;
import p4.config.v1.P4InfoOuterClass.Preamble;

/**
 * bf-p4c's own TNA P4Info, as it writes it (barefoot.Counter/DirectCounter/Meter with spec = field 1 and size or
 * direct table = field 2, every name under the pipeline's), becomes the standard P4Info its
 * --p4runtime-force-std-externs would give. (bmv2-tests' TnaProgramTest checks the whole of sfc.p4's against the
 * software switch's where bf-p4c is installed.)
 */
class TofinoP4InfoTest {
    static ByteString barefoot(ByteString spec, long number) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeBytes(1, spec);
        out.writeInt64(2, number);
        out.flush();
        return ByteString.copyFrom(bytes.toByteArray());
    }

    static P4InfoOuterClass.Extern extern(int typeId, String type, int id, String name, ByteString value) {
        return P4InfoOuterClass.Extern.newBuilder().setExternTypeId(typeId).setExternTypeName(type)
                .addInstances(P4InfoOuterClass.ExternInstance.newBuilder()
                        .setPreamble(Preamble.newBuilder().setId(id).setName(name).setAlias(name.substring(name.lastIndexOf('.') + 1)))
                        .setInfo(Any.newBuilder().setTypeUrl("type.googleapis.com/barefoot." + type).setValue(value)))
                .build();
    }

    static P4Info tofino(P4InfoOuterClass.Extern... more) throws IOException {
        ByteString packets = P4InfoOuterClass.CounterSpec.newBuilder()
                .setUnit(P4InfoOuterClass.CounterSpec.Unit.PACKETS).build().toByteString();
        ByteString both = P4InfoOuterClass.CounterSpec.newBuilder()
                .setUnit(P4InfoOuterClass.CounterSpec.Unit.BOTH).build().toByteString();
        ByteString meter = P4InfoOuterClass.MeterSpec.newBuilder()
                .setUnit(P4InfoOuterClass.MeterSpec.Unit.PACKETS).build().toByteString();
        P4Info.Builder b = P4Info.newBuilder()
                .addTables(P4InfoOuterClass.Table.newBuilder().setPreamble(Preamble.newBuilder().setId(0x02000001)
                        .setName("pipe.Ingress.acl").setAlias("acl")).addDirectResourceIds(0x84112233))
                .addActions(P4InfoOuterClass.Action.newBuilder().setPreamble(Preamble.newBuilder().setId(0x01000001)
                        .setName("pipe.Ingress.permit").setAlias("permit")))
                .addActions(P4InfoOuterClass.Action.newBuilder().setPreamble(Preamble.newBuilder().setId(0x01445b37)
                        .setName("NoAction").setAlias("NoAction")))
                .addExterns(extern(131, "Counter", 0x83aabbcc, "pipe.Ingress.drops", barefoot(packets, 16)))
                .addExterns(extern(132, "DirectCounter", 0x84112233, "pipe.Ingress.acl_counter",
                        barefoot(both, 0x02000001)))
                .addExterns(extern(133, "Meter", 0x85445566, "pipe.Ingress.limit", barefoot(meter, 16384)))
                .addExterns(extern(143, "DynHash", 0x8f000001, "pipe.Ingress.flow_hasher", ByteString.EMPTY));
        for (P4InfoOuterClass.Extern e : more) {
            b.addExterns(e);
        }
        return b.build();
    }

    @Test
    void countersAndMetersBecomeStandardWithBfP4csIdsAndNames() throws IOException {
        TofinoP4Info.Result r = TofinoP4Info.toStandard(tofino());
        P4Info std = r.p4info();
        assertTrue(r.converted());
        assertEquals(Set.of("DynHash"), r.dropped());
        assertEquals(0, std.getExternsCount());
        P4InfoOuterClass.Counter c = std.getCounters(0);
        assertEquals(0x12aabbcc, c.getPreamble().getId());
        assertEquals("Ingress.drops", c.getPreamble().getName());
        assertEquals(16, c.getSize());
        assertEquals(P4InfoOuterClass.CounterSpec.Unit.PACKETS, c.getSpec().getUnit());
        P4InfoOuterClass.DirectCounter dc = std.getDirectCounters(0);
        assertEquals(0x13112233, dc.getPreamble().getId());
        assertEquals(0x02000001, dc.getDirectTableId());
        assertEquals(P4InfoOuterClass.CounterSpec.Unit.BOTH, dc.getSpec().getUnit());
        assertEquals(List.of(0x13112233), std.getTables(0).getDirectResourceIdsList());
        assertEquals("Ingress.acl", std.getTables(0).getPreamble().getName());
        P4InfoOuterClass.Meter m = std.getMeters(0);
        assertEquals(0x14445566, m.getPreamble().getId());
        assertEquals(16384, m.getSize());
        assertEquals(List.of("Ingress.permit", "NoAction"),
                std.getActionsList().stream().map(a -> a.getPreamble().getName()).toList());
        // What the table compiler looks up resolves.
        assertEquals(0x14445566, new Schema(std).meterId("limit"));
    }

    @Test
    void aStandardP4InfoIsLeftAlone() throws IOException {
        P4Info std = TofinoP4Info.toStandard(tofino()).p4info();
        TofinoP4Info.Result again = TofinoP4Info.toStandard(std);
        assertFalse(again.converted());
        assertSame(std, again.p4info());
    }

    @Test
    void anExternWithoutAStandardFormThatMattersIsRefused() throws IOException {
        P4Info withRegister = tofino(extern(134, "Register", 0x86000001, "pipe.Ingress.r", ByteString.EMPTY));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TofinoP4Info.toStandard(withRegister));
        assertTrue(e.getMessage().contains("Register") && e.getMessage().contains("--p4runtime-force-std-externs"),
                e.getMessage());
    }
}
