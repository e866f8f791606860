package org.sfc.sw.compile;

import java.math.BigInteger;

import org.sfc.sw.ast.Ast.Pos;
import org.sfc.sw.exec.LongExpr;
import org.sfc.sw.types.P4Type;

/**
 * A compiled expression. Scalars have {@code code}; compile-time constants also have {@code constant};
 * expressions that denote storage have {@code base} &ge; 0 (a field, variable or whole header/struct);
 * names of tables, instances, types and methods carry {@code ref}.
 *
 * <p>Invariant: every scalar value a {@link LongExpr} returns is normalised to its type (unsigned values
 * masked to their width, signed values sign-extended), so stores never need to mask.
 */
record CExpr(P4Type type, LongExpr code, BigInteger constant, int base, boolean writable, Object ref, Pos pos) {
    static CExpr scalar(P4Type type, LongExpr code, Pos pos) {
        return new CExpr(type, code, null, -1, false, null, pos);
    }

    static CExpr constant(P4Type type, BigInteger value, Pos pos) {
        long v = value.longValue();
        LongExpr code = type instanceof P4Type.InfInt ? null : f -> v;
        return new CExpr(type, code, value, -1, false, null, pos);
    }

    static CExpr storage(P4Type type, int base, boolean writable, Pos pos) {
        LongExpr code = null;
        if (type.isScalar()) {
            code = f -> f.s[base];
        }
        return new CExpr(type, code, null, base, writable, null, pos);
    }

    static CExpr ref(Object ref, Pos pos) {
        return new CExpr(new P4Type.VoidT(), null, null, -1, false, ref, pos);
    }

    boolean isConstant() {
        return constant != null;
    }

    boolean isStorage() {
        return base >= 0;
    }
}
