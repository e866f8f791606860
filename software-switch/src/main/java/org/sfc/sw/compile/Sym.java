package org.sfc.sw.compile;

import java.math.BigInteger;
import java.util.List;

import org.sfc.sw.ast.Ast;
import org.sfc.sw.runtime.ActionDef;
import org.sfc.sw.types.P4Type;

/** What a name denotes in a scope. */
sealed interface Sym {
    /** A variable or parameter stored at slots [base, base + type.slots()). */
    record Var(int base, P4Type type, boolean writable) implements Sym {}

    /** A compile-time constant (bool as 0/1). */
    record Const(P4Type type, BigInteger value) implements Sym {}

    record TypeName(P4Type type) implements Sym {}

    /** An action; {@code def} is null until compiled (actions may be referenced before their body is). */
    record Action(Ast.ActionDecl decl, ActionDef def, Scope scope) implements Sym {}

    record Table(CompiledTable table) implements Sym {}

    /** An instance of an extern object (counter, meter, register, action profile, Checksum16, packet_in/out). */
    record ExternInstance(String externName, Object runtime, P4Type type) implements Sym {}

    /** An instance of a control, applied with {@code name.apply(...)}. */
    record ControlInstance(ControlBlock block) implements Sym {}

    record ExternFunctions(List<Ast.ExternDecl> overloads) implements Sym {}

    /** A parser or control declaration (a type that can be instantiated). */
    record BlockDecl(Ast.Decl decl) implements Sym {}
}
