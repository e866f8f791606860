package org.sfc.sw.types;

import java.util.List;

import org.sfc.sw.ast.Ast;

/**
 * Resolved P4 types. Scalars ({@link Bits}, {@link Bool}, enums, {@link ErrorT}) occupy one storage slot;
 * headers occupy one validity slot followed by their fields; structs and header unions are the
 * concatenation of their members. {@link #slots()} gives that size, so a variable of any type is a
 * contiguous range of slots and copying it is one array copy.
 */
public sealed interface P4Type {
    int slots();

    default boolean isScalar() {
        return slots() == 1 && !(this instanceof Composite);
    }

    /** bit&lt;W&gt; or int&lt;W&gt; (W &le; 64 in this interpreter). */
    record Bits(int width, boolean signed) implements P4Type {
        public int slots() {
            return 1;
        }

        public long mask() {
            return width == 64 ? -1L : (1L << width) - 1;
        }

        @Override
        public String toString() {
            return (signed ? "int<" : "bit<") + width + ">";
        }
    }

    record Bool() implements P4Type {
        public int slots() {
            return 1;
        }

        @Override
        public String toString() {
            return "bool";
        }
    }

    /** The arbitrary-precision integer type of untyped literals and constants. */
    record InfInt() implements P4Type {
        public int slots() {
            return 0;
        }

        @Override
        public String toString() {
            return "int";
        }
    }

    record StringT() implements P4Type {
        public int slots() {
            return 0;
        }

        @Override
        public String toString() {
            return "string";
        }
    }

    record ErrorT(List<String> members) implements P4Type {
        public int slots() {
            return 1;
        }

        @Override
        public String toString() {
            return "error";
        }
    }

    record MatchKindT() implements P4Type {
        public int slots() {
            return 0;
        }
    }

    record VoidT() implements P4Type {
        public int slots() {
            return 0;
        }

        @Override
        public String toString() {
            return "void";
        }
    }

    /** A plain enum (values are member indices) or a serializable one ({@code underlying} set). */
    record EnumT(String name, List<String> members, Bits underlying, List<Long> values) implements P4Type {
        public int slots() {
            return 1;
        }

        public long valueOf(String member) {
            int i = members.indexOf(member);
            return underlying == null ? i : values.get(i);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record Field(String name, P4Type type, Ast.Annotations annotations) {}

    /** Types with named fields laid out one after another. */
    sealed interface Composite extends P4Type permits HeaderT, StructT, UnionT {
        String name();

        List<Field> fields();

        /** Slot offset of a field relative to the start of a value of this type. */
        default int offsetOf(String field) {
            int off = this instanceof HeaderT ? 1 : 0;
            for (Field f : fields()) {
                if (f.name().equals(field)) {
                    return off;
                }
                off += f.type().slots();
            }
            return -1;
        }

        default Field field(String field) {
            return fields().stream().filter(f -> f.name().equals(field)).findFirst().orElse(null);
        }
    }

    record HeaderT(String name, List<Field> fields, Ast.Annotations annotations) implements Composite {
        public int slots() {
            return 1 + fields.size();
        }

        /** Total width in bits of all fields. */
        public int bitWidth() {
            int w = 0;
            for (Field f : fields) {
                w += P4Type.bitWidthOf(f.type());
            }
            return w;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record StructT(String name, List<Field> fields, Ast.Annotations annotations) implements Composite {
        public int slots() {
            int n = 0;
            for (Field f : fields) {
                n += f.type().slots();
            }
            return n;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record UnionT(String name, List<Field> fields) implements Composite {
        public int slots() {
            int n = 0;
            for (Field f : fields) {
                n += f.type().slots();
            }
            return n;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** An extern object type (counter, register, ...), with its type arguments. */
    record ExternT(Ast.ExternDecl decl, List<P4Type> typeArgs) implements P4Type {
        public int slots() {
            return 0;
        }

        @Override
        public String toString() {
            return decl.name();
        }
    }

    /** An unresolved generic type parameter: any type is accepted where it appears. */
    record TypeVar(String name) implements P4Type {
        public int slots() {
            return 0;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The type of a parser/control/package declaration name, used for instantiation. */
    record BlockT(Ast.Decl decl) implements P4Type {
        public int slots() {
            return 0;
        }

        @Override
        public String toString() {
            return decl.name();
        }
    }

    /** Width in bits of a serializable (header-field-able) type. */
    static int bitWidthOf(P4Type t) {
        if (t instanceof Bits b) {
            return b.width();
        } else if (t instanceof Bool) {
            return 1;
        } else if (t instanceof EnumT e && e.underlying() != null) {
            return e.underlying().width();
        } else if (t instanceof HeaderT h) {
            return h.bitWidth();
        }
        throw new IllegalArgumentException("type " + t + " has no bit width");
    }
}
