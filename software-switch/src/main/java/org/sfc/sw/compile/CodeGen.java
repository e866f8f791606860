package org.sfc.sw.compile;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.sfc.sw.ast.Ast.*;
import org.sfc.sw.exec.BitIo;
import org.sfc.sw.exec.Exec;
import org.sfc.sw.exec.FieldCodec;
import org.sfc.sw.exec.Frame;
import org.sfc.sw.exec.LongExpr;
import org.sfc.sw.runtime.ActionCall;
import org.sfc.sw.runtime.ActionDef;
import org.sfc.sw.runtime.ActionProfileDef;
import org.sfc.sw.runtime.CounterDef;
import org.sfc.sw.runtime.MeterDef;
import org.sfc.sw.runtime.MeterState;
import org.sfc.sw.runtime.RegisterDef;
import org.sfc.sw.runtime.TableDef;
import org.sfc.sw.runtime.TableEntryRt;
import org.sfc.sw.types.P4Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Compiles expressions, statements, calls and v1model externs into {@link LongExpr}/{@link Exec} closures. */
final class CodeGen {
    private static final Logger LOG = LoggerFactory.getLogger("org.sfc.sw.p4");
    static final int REJECT = -2;
    static final int ACCEPT = -1;
    private static final int MAX_PARSER_STEPS = 1000;
    private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);
    /** BMv2's drop port for 9-bit ports (mark_to_drop sets egress_spec to it). */
    static final long DROP_PORT = 511;

    private final Compiler c;
    /** Slots of standard_metadata fields that externs write; set before blocks are compiled. */
    int parserErrorSlot = -1;
    int checksumErrorSlot = -1;

    /** For a header inside a header_union: the validity slots of its sibling members. */
    private final Map<Integer, int[]> unionSiblings = new HashMap<>();

    CodeGen(Compiler c) {
        this.c = c;
    }

    private int[] siblingsOf(int headerBase) {
        return unionSiblings.getOrDefault(headerBase, new int[0]);
    }

    private static FrontendErr err(Pos pos, String msg) {
        return new FrontendErr(pos, msg);
    }

    /** A compile error; converted to FrontendException with its position. */
    static final class FrontendErr extends org.sfc.sw.frontend.FrontendException {
        FrontendErr(Pos pos, String msg) {
            super(pos + ": " + msg);
        }
    }

    // ================================================================== constants and conversions

    BigInteger constValue(Expr e, Scope scope) {
        CExpr x = expr(e, scope);
        if (!x.isConstant()) {
            throw err(e.pos(), "expected a compile-time constant");
        }
        return x.constant();
    }

    static long normalize(long v, P4Type t) {
        if (t instanceof P4Type.Bits b) {
            return b.signed() ? BitIo.signExtend(v, b.width()) : v & b.mask();
        } else if (t instanceof P4Type.Bool) {
            return v != 0 ? 1 : 0;
        } else if (t instanceof P4Type.EnumT e && e.underlying() != null) {
            return normalize(v, e.underlying());
        }
        return v;
    }

    private static BigInteger big(long v, P4Type t) {
        if (t instanceof P4Type.Bits b && !b.signed() && v < 0) {
            return BigInteger.valueOf(v).add(TWO64);
        }
        return BigInteger.valueOf(v);
    }

    /** Converts an expression to type {@code t} where P4 allows it implicitly (untyped integers). */
    CExpr convert(CExpr e, P4Type t, Pos pos) {
        if (e.type().equals(t) || t instanceof P4Type.TypeVar) {
            return e;
        }
        if (e.type() instanceof P4Type.InfInt && e.isConstant()) {
            if (t instanceof P4Type.Bits b) {
                long v = normalize(e.constant().longValue(), b);
                return CExpr.constant(b, big(v, b), pos);
            }
            if (t instanceof P4Type.InfInt) {
                return e;
            }
        }
        if (t instanceof P4Type.EnumT en && en.underlying() != null && e.type() instanceof P4Type.EnumT
                && e.type().equals(en)) {
            return e;
        }
        throw err(pos, "expected " + t + " but the expression has type " + e.type()
                + (e.type() instanceof P4Type.Bits && t instanceof P4Type.Bits ? "; use a cast such as (" + t + ")" : ""));
    }

    /** Fold an expression whose operands are constants by running its code once. */
    private static CExpr fold(CExpr e) {
        long v = e.code().eval(new Frame(0));
        return CExpr.constant(e.type(), big(v, e.type()), e.pos());
    }

    // ================================================================== expressions

    CExpr expr(Expr e, Scope scope) {
        if (e instanceof IntLit i) {
            return i.width().isPresent() ? intLiteral(i) : CExpr.constant(new P4Type.InfInt(), i.value(), i.pos());
        } else if (e instanceof BoolLit b) {
            return CExpr.constant(new P4Type.Bool(), b.value() ? BigInteger.ONE : BigInteger.ZERO, b.pos());
        } else if (e instanceof StringLit s) {
            return new CExpr(new P4Type.StringT(), null, null, -1, false, s.value(), s.pos());
        } else if (e instanceof NameRef n) {
            return name(n, scope);
        } else if (e instanceof ErrorMember em) {
            int code = c.errorMembers.indexOf(em.name());
            if (code < 0) {
                throw err(em.pos(), "unknown error '" + em.name() + "'");
            }
            return CExpr.constant(c.errorType, BigInteger.valueOf(code), em.pos());
        } else if (e instanceof Member m) {
            return member(m, scope);
        } else if (e instanceof Slice s) {
            return slice(s, scope);
        } else if (e instanceof Index i) {
            throw Compiler.unsupported(i.pos(), "indexing (header stacks)");
        } else if (e instanceof Call call) {
            return call(call, scope);
        } else if (e instanceof ListExpr l) {
            return new CExpr(new P4Type.VoidT(), null, null, -1, false,
                    l.elements().stream().map(x -> expr(x, scope)).toList(), l.pos());
        } else if (e instanceof StructExpr se) {
            Map<String, CExpr> fields = new LinkedHashMap<>();
            for (int i = 0; i < se.names().size(); i++) {
                if (fields.put(se.names().get(i), expr(se.values().get(i), scope)) != null) {
                    throw err(se.values().get(i).pos(), "field '" + se.names().get(i) + "' is given twice");
                }
            }
            return new CExpr(new P4Type.VoidT(), null, null, -1, false, new NamedFields(fields), se.pos());
        } else if (e instanceof Cast cast) {
            return cast(cast, scope);
        } else if (e instanceof Unary u) {
            return unary(u, scope);
        } else if (e instanceof Binary b) {
            return binary(b, scope);
        }
        return ternary((Ternary) e, scope);
    }

    private CExpr intLiteral(IntLit i) {
        int w = i.width().get();
        if (w > 64) {
            throw Compiler.unsupported(i.pos(), "integer literal wider than 64 bits");
        }
        P4Type.Bits t = new P4Type.Bits(w, i.signed());
        if (!i.signed() && i.value().bitLength() > w) {
            throw err(i.pos(), "value " + i.value() + " does not fit in " + t);
        }
        long v = normalize(i.value().longValue(), t);
        return CExpr.constant(t, big(v, t), i.pos());
    }

    private CExpr name(NameRef n, Scope scope) {
        Sym s = scope.lookup(n.name());
        if (s == null) {
            throw err(n.pos(), "unknown name '" + n.name() + "'");
        }
        if (s instanceof Sym.Var v) {
            return CExpr.storage(v.type(), v.base(), v.writable(), n.pos());
        } else if (s instanceof Sym.Const k) {
            return CExpr.constant(k.type(), k.value(), n.pos());
        }
        return CExpr.ref(s, n.pos());
    }

    private CExpr member(Member m, Scope scope) {
        // t.apply().hit / .miss / .action_run
        if (m.base() instanceof Call call && call.callee() instanceof Member cm && cm.member().equals("apply")) {
            CExpr target = expr(cm.base(), scope);
            if (target.ref() instanceof Sym.Table t) {
                Exec apply = t.table().apply();
                switch (m.member()) {
                    case "hit":
                        return CExpr.scalar(new P4Type.Bool(), f -> {
                            apply.run(f);
                            return f.hit ? 1 : 0;
                        }, m.pos());
                    case "miss":
                        return CExpr.scalar(new P4Type.Bool(), f -> {
                            apply.run(f);
                            return f.hit ? 0 : 1;
                        }, m.pos());
                    case "action_run":
                        return new CExpr(new P4Type.VoidT(), null, null, -1, false, new ActionRun(t.table()), m.pos());
                    default:
                        throw err(m.pos(), "a table apply result has hit, miss and action_run, not " + m.member());
                }
            }
        }
        CExpr base = expr(m.base(), scope);
        if (base.ref() instanceof Sym.TypeName tn) {
            if (tn.type() instanceof P4Type.EnumT en) {
                if (!en.members().contains(m.member())) {
                    throw err(m.pos(), en.name() + " has no member " + m.member());
                }
                return CExpr.constant(en, BigInteger.valueOf(en.valueOf(m.member())), m.pos());
            }
            throw err(m.pos(), "type " + tn.type() + " has no member " + m.member());
        }
        if (base.ref() != null) {
            return CExpr.ref(new MethodRef(base, m.member()), m.pos());
        }
        if (base.isStorage() && base.type() instanceof P4Type.Composite comp) {
            int off = comp.offsetOf(m.member());
            if (off >= 0 && comp instanceof P4Type.UnionT u) {
                int self = base.base() + off;
                unionSiblings.put(self, java.util.Arrays.stream(memberValiditySlots(u, base.base()))
                        .filter(x -> x != self).toArray());
            }
            if (off >= 0) {
                return CExpr.storage(comp.field(m.member()).type(), base.base() + off, base.writable(), m.pos());
            }
            if (List.of("isValid", "setValid", "setInvalid").contains(m.member())
                    && !(comp instanceof P4Type.StructT)) {
                return CExpr.ref(new MethodRef(base, m.member()), m.pos());
            }
            throw err(m.pos(), comp.name() + " has no field '" + m.member() + "'");
        }
        throw err(m.pos(), "'" + sourceText(m.base()) + "' of type " + base.type() + " has no member '" + m.member() + "'");
    }

    /** A method named on an object: header validity, table/control apply, extern methods. */
    record MethodRef(CExpr target, String method) {}

    /** {@code t.apply().action_run}, usable only as a switch subject. */
    record ActionRun(CompiledTable table) {}

    private CExpr slice(Slice s, Scope scope) {
        CExpr base = expr(s.base(), scope);
        if (!(base.type() instanceof P4Type.Bits b)) {
            throw err(s.pos(), "only bit<W> and int<W> values can be sliced, not " + base.type());
        }
        int hi = constValue(s.hi(), scope).intValueExact();
        int lo = constValue(s.lo(), scope).intValueExact();
        if (hi < lo || lo < 0 || hi >= b.width()) {
            throw err(s.pos(), "slice [" + hi + ":" + lo + "] is outside " + b);
        }
        P4Type.Bits t = new P4Type.Bits(hi - lo + 1, false);
        long mask = t.mask();
        LongExpr v = base.code();
        CExpr r = CExpr.scalar(t, f -> (v.eval(f) >>> lo) & mask, s.pos());
        return base.isConstant() ? fold(r) : r;
    }

    private CExpr cast(Cast cast, Scope scope) {
        P4Type t = c.resolveType(cast.type(), scope);
        CExpr e = expr(cast.expr(), scope);
        Pos pos = cast.pos();
        P4Type from = e.type();
        if (from.equals(t)) {
            return e;
        }
        if (from instanceof P4Type.InfInt && e.isConstant()) {
            if (t instanceof P4Type.Bits b) {
                long v = normalize(e.constant().longValue(), b);
                return CExpr.constant(b, big(v, b), pos);
            }
            if (t instanceof P4Type.EnumT en && en.underlying() != null) {
                long v = normalize(e.constant().longValue(), en.underlying());
                return CExpr.constant(en, big(v, en.underlying()), pos);
            }
        }
        LongExpr v = e.code();
        CExpr r = null;
        if (t instanceof P4Type.Bits to) {
            if (from instanceof P4Type.Bits fb) {
                if (fb.signed() != to.signed() && fb.width() != to.width()) {
                    throw err(pos, "cannot cast " + fb + " to " + to + " in one step: change the width and the "
                            + "signedness in two casts, e.g. (" + to + ")(" + (fb.signed() ? "int<" : "bit<")
                            + to.width() + ">)x");
                }
                r = CExpr.scalar(to, normalizer(v, to), pos);
            } else if (from instanceof P4Type.Bool && to.width() == 1 && !to.signed()) {
                r = CExpr.scalar(to, v, pos);
            } else if (from instanceof P4Type.EnumT en && en.underlying() != null && en.underlying().equals(to)) {
                r = CExpr.scalar(to, v, pos);
            }
        } else if (t instanceof P4Type.Bool && from instanceof P4Type.Bits fb && fb.width() == 1 && !fb.signed()) {
            r = CExpr.scalar(t, v, pos);
        } else if (t instanceof P4Type.EnumT en && en.underlying() != null && from.equals(en.underlying())) {
            r = CExpr.scalar(t, v, pos);
        }
        if (r == null) {
            throw err(pos, "cannot cast " + from + " to " + t);
        }
        return e.isConstant() ? fold(r) : r;
    }

    private static LongExpr normalizer(LongExpr v, P4Type.Bits to) {
        if (to.signed()) {
            int w = to.width();
            return f -> BitIo.signExtend(v.eval(f), w);
        }
        long m = to.mask();
        return f -> v.eval(f) & m;
    }

    private CExpr unary(Unary u, Scope scope) {
        CExpr e = expr(u.expr(), scope);
        Pos pos = u.pos();
        if (e.type() instanceof P4Type.InfInt && e.isConstant()) {
            return switch (u.op()) {
                case "-" -> CExpr.constant(e.type(), e.constant().negate(), pos);
                case "+" -> e;
                default -> throw err(pos, "operator " + u.op() + " needs a typed operand; write e.g. 8w5");
            };
        }
        LongExpr v = e.code();
        CExpr r = switch (u.op()) {
            case "!" -> {
                requireBool(e, pos);
                yield CExpr.scalar(e.type(), f -> v.eval(f) ^ 1, pos);
            }
            case "~" -> {
                P4Type.Bits b = requireBits(e, pos);
                yield CExpr.scalar(b, normalizer(f -> ~v.eval(f), b), pos);
            }
            case "-" -> {
                P4Type.Bits b = requireBits(e, pos);
                yield CExpr.scalar(b, normalizer(f -> -v.eval(f), b), pos);
            }
            default -> {
                requireBits(e, pos);
                yield e;
            }
        };
        return e.isConstant() ? fold(r) : r;
    }

    private static void requireBool(CExpr e, Pos pos) {
        if (!(e.type() instanceof P4Type.Bool)) {
            throw err(pos, "expected bool, got " + e.type());
        }
    }

    private static P4Type.Bits requireBits(CExpr e, Pos pos) {
        if (!(e.type() instanceof P4Type.Bits b)) {
            throw err(pos, "expected bit<W> or int<W>, got " + e.type());
        }
        return b;
    }

    /** Makes two operands the same type (an untyped constant takes the other's type). */
    private CExpr[] unify(CExpr l, CExpr r, Pos pos, String op) {
        if (l.type() instanceof P4Type.InfInt && !(r.type() instanceof P4Type.InfInt)) {
            l = convert(l, r.type(), pos);
        } else if (r.type() instanceof P4Type.InfInt && !(l.type() instanceof P4Type.InfInt)) {
            r = convert(r, l.type(), pos);
        }
        if (!l.type().equals(r.type())) {
            throw err(pos, "operands of " + op + " have different types " + l.type() + " and " + r.type()
                    + "; cast one of them");
        }
        return new CExpr[] {l, r};
    }

    private CExpr binary(Binary b, Scope scope) {
        CExpr l = expr(b.left(), scope);
        CExpr r = expr(b.right(), scope);
        String op = b.op();
        Pos pos = b.pos();
        if (op.equals("&&") || op.equals("||")) {
            requireBool(l, b.left().pos());
            requireBool(r, b.right().pos());
            LongExpr x = l.code();
            LongExpr y = r.code();
            CExpr res = op.equals("&&") ? CExpr.scalar(l.type(), f -> x.eval(f) != 0 ? y.eval(f) : 0, pos)
                    : CExpr.scalar(l.type(), f -> x.eval(f) != 0 ? 1 : y.eval(f), pos);
            return l.isConstant() && r.isConstant() ? fold(res) : res;
        }
        if (op.equals("<<") || op.equals(">>")) {
            return shift(l, r, op, pos);
        }
        if (op.equals("++")) {
            P4Type.Bits lb = requireBits(l, b.left().pos());
            P4Type.Bits rb = requireBits(r, b.right().pos());
            int w = lb.width() + rb.width();
            if (w > 64) {
                throw Compiler.unsupported(pos, "concatenation wider than 64 bits");
            }
            P4Type.Bits t = new P4Type.Bits(w, lb.signed());
            LongExpr x = l.code();
            LongExpr y = r.code();
            int rw = rb.width();
            long rm = rb.mask();
            CExpr res = CExpr.scalar(t, normalizer(f -> (x.eval(f) << rw) | (y.eval(f) & rm), t), pos);
            return l.isConstant() && r.isConstant() ? fold(res) : res;
        }
        if (l.type() instanceof P4Type.InfInt && r.type() instanceof P4Type.InfInt) {
            return infIntBinary(l.constant(), r.constant(), op, pos);
        }
        CExpr[] u = unify(l, r, pos, op);
        l = u[0];
        r = u[1];
        P4Type t = l.type();
        LongExpr x = l.code();
        LongExpr y = r.code();
        P4Type.Bool boolT = new P4Type.Bool();
        CExpr res;
        switch (op) {
            case "==" -> {
                requireScalar(l, pos);
                res = CExpr.scalar(boolT, f -> x.eval(f) == y.eval(f) ? 1 : 0, pos);
            }
            case "!=" -> {
                requireScalar(l, pos);
                res = CExpr.scalar(boolT, f -> x.eval(f) != y.eval(f) ? 1 : 0, pos);
            }
            case "<", "<=", ">", ">=" -> {
                P4Type.Bits bt = requireBits(l, pos);
                res = CExpr.scalar(boolT, comparison(op, x, y, bt.signed()), pos);
            }
            default -> {
                P4Type.Bits bt = requireBits(l, pos);
                res = CExpr.scalar(t, arithmetic(op, x, y, bt, pos), pos);
            }
        }
        return l.isConstant() && r.isConstant() ? fold(res) : res;
    }

    private static void requireScalar(CExpr e, Pos pos) {
        if (e.code() == null) {
            throw Compiler.unsupported(pos, "comparing values of type " + e.type());
        }
    }

    private static LongExpr comparison(String op, LongExpr x, LongExpr y, boolean signed) {
        if (signed) {
            return switch (op) {
                case "<" -> f -> x.eval(f) < y.eval(f) ? 1 : 0;
                case "<=" -> f -> x.eval(f) <= y.eval(f) ? 1 : 0;
                case ">" -> f -> x.eval(f) > y.eval(f) ? 1 : 0;
                default -> f -> x.eval(f) >= y.eval(f) ? 1 : 0;
            };
        }
        return switch (op) {
            case "<" -> f -> Long.compareUnsigned(x.eval(f), y.eval(f)) < 0 ? 1 : 0;
            case "<=" -> f -> Long.compareUnsigned(x.eval(f), y.eval(f)) <= 0 ? 1 : 0;
            case ">" -> f -> Long.compareUnsigned(x.eval(f), y.eval(f)) > 0 ? 1 : 0;
            default -> f -> Long.compareUnsigned(x.eval(f), y.eval(f)) >= 0 ? 1 : 0;
        };
    }

    private static LongExpr arithmetic(String op, LongExpr x, LongExpr y, P4Type.Bits t, Pos pos) {
        long m = t.mask();
        boolean signed = t.signed();
        int w = t.width();
        LongExpr raw = switch (op) {
            case "+" -> f -> x.eval(f) + y.eval(f);
            case "-" -> f -> x.eval(f) - y.eval(f);
            case "*" -> f -> x.eval(f) * y.eval(f);
            case "&" -> f -> x.eval(f) & y.eval(f);
            case "|" -> f -> x.eval(f) | y.eval(f);
            case "^" -> f -> x.eval(f) ^ y.eval(f);
            case "/" -> {
                if (signed) {
                    throw err(pos, "division is defined only on unsigned values (bit<W>)");
                }
                yield f -> {
                    long d = y.eval(f);
                    return d == 0 ? 0 : Long.divideUnsigned(x.eval(f), d);
                };
            }
            case "%" -> {
                if (signed) {
                    throw err(pos, "modulo is defined only on unsigned values (bit<W>)");
                }
                yield f -> {
                    long d = y.eval(f);
                    return d == 0 ? 0 : Long.remainderUnsigned(x.eval(f), d);
                };
            }
            case "|+|" -> signed
                    ? f -> Math.max(Math.min(x.eval(f) + y.eval(f), (m >>> 1)), -(m >>> 1) - 1)
                    : f -> {
                        long a = x.eval(f);
                        long s = a + y.eval(f);
                        return (w == 64 ? Long.compareUnsigned(s, a) < 0 : s > m) ? m : s;
                    };
            case "|-|" -> signed
                    ? f -> Math.max(Math.min(x.eval(f) - y.eval(f), (m >>> 1)), -(m >>> 1) - 1)
                    : f -> {
                        long a = x.eval(f);
                        long b = y.eval(f);
                        return Long.compareUnsigned(a, b) < 0 ? 0 : a - b;
                    };
            default -> throw err(pos, "unknown operator " + op);
        };
        return switch (op) {
            case "&", "|", "^" -> raw;
            default -> signed ? f -> BitIo.signExtend(raw.eval(f), w) : f -> raw.eval(f) & m;
        };
    }

    private CExpr shift(CExpr l, CExpr r, String op, Pos pos) {
        if (r.type() instanceof P4Type.Bits rb && rb.signed()) {
            throw err(pos, "the shift amount must be unsigned");
        }
        if (r.type() instanceof P4Type.InfInt && r.constant().signum() < 0) {
            throw err(pos, "the shift amount must not be negative");
        }
        if (l.type() instanceof P4Type.InfInt) {
            if (!r.isConstant()) {
                throw err(pos, "shifting an untyped constant needs a constant amount; give the value a width");
            }
            int n = r.constant().intValueExact();
            return CExpr.constant(l.type(), op.equals("<<") ? l.constant().shiftLeft(n) : l.constant().shiftRight(n), pos);
        }
        P4Type.Bits t = requireBits(l, pos);
        LongExpr x = l.code();
        LongExpr y = r.type() instanceof P4Type.InfInt ? CExpr.constant(new P4Type.Bits(32, false), r.constant(), pos).code()
                : r.code();
        int w = t.width();
        long m = t.mask();
        LongExpr code;
        if (op.equals("<<")) {
            code = t.signed() ? f -> {
                long n = y.eval(f);
                return n >= w ? 0 : BitIo.signExtend(x.eval(f) << n, w);
            } : f -> {
                long n = y.eval(f);
                return n >= w ? 0 : (x.eval(f) << n) & m;
            };
        } else {
            code = t.signed() ? f -> {
                long n = y.eval(f);
                return x.eval(f) >> Math.min(n, 63);
            } : f -> {
                long n = y.eval(f);
                return n >= 64 ? 0 : x.eval(f) >>> n;
            };
        }
        CExpr res = CExpr.scalar(t, code, pos);
        return l.isConstant() && r.isConstant() ? fold(res) : res;
    }

    private CExpr infIntBinary(BigInteger a, BigInteger b, String op, Pos pos) {
        P4Type inf = new P4Type.InfInt();
        P4Type.Bool boolT = new P4Type.Bool();
        return switch (op) {
            case "+" -> CExpr.constant(inf, a.add(b), pos);
            case "-" -> CExpr.constant(inf, a.subtract(b), pos);
            case "*" -> CExpr.constant(inf, a.multiply(b), pos);
            case "/" -> {
                if (b.signum() <= 0 || a.signum() < 0) {
                    throw err(pos, "division of untyped integers needs non-negative operands and a positive divisor");
                }
                yield CExpr.constant(inf, a.divide(b), pos);
            }
            case "%" -> {
                if (b.signum() <= 0 || a.signum() < 0) {
                    throw err(pos, "modulo of untyped integers needs non-negative operands and a positive divisor");
                }
                yield CExpr.constant(inf, a.mod(b), pos);
            }
            case "&" -> CExpr.constant(inf, a.and(b), pos);
            case "|" -> CExpr.constant(inf, a.or(b), pos);
            case "^" -> CExpr.constant(inf, a.xor(b), pos);
            case "==" -> CExpr.constant(boolT, a.equals(b) ? BigInteger.ONE : BigInteger.ZERO, pos);
            case "!=" -> CExpr.constant(boolT, a.equals(b) ? BigInteger.ZERO : BigInteger.ONE, pos);
            case "<" -> CExpr.constant(boolT, a.compareTo(b) < 0 ? BigInteger.ONE : BigInteger.ZERO, pos);
            case "<=" -> CExpr.constant(boolT, a.compareTo(b) <= 0 ? BigInteger.ONE : BigInteger.ZERO, pos);
            case ">" -> CExpr.constant(boolT, a.compareTo(b) > 0 ? BigInteger.ONE : BigInteger.ZERO, pos);
            case ">=" -> CExpr.constant(boolT, a.compareTo(b) >= 0 ? BigInteger.ONE : BigInteger.ZERO, pos);
            default -> throw err(pos, "operator " + op + " is not defined on untyped integers; give a width");
        };
    }

    private CExpr ternary(Ternary t, Scope scope) {
        CExpr cond = expr(t.cond(), scope);
        requireBool(cond, t.cond().pos());
        CExpr a = expr(t.then(), scope);
        CExpr b = expr(t.otherwise(), scope);
        if (cond.isConstant()) {
            return cond.constant().signum() != 0 ? a : b;
        }
        CExpr[] u = unify(a, b, t.pos(), "?:");
        if (u[0].type() instanceof P4Type.InfInt) {
            throw err(t.pos(), "the branches of ?: need a width when the condition is not constant");
        }
        requireScalar(u[0], t.pos());
        LongExpr c0 = cond.code();
        LongExpr x = u[0].code();
        LongExpr y = u[1].code();
        return CExpr.scalar(u[0].type(), f -> c0.eval(f) != 0 ? x.eval(f) : y.eval(f), t.pos());
    }

    // ================================================================== calls

    private CExpr voidCall(Exec e, Pos pos) {
        return new CExpr(new P4Type.VoidT(), null, null, -1, false, e, pos);
    }

    CExpr call(Call call, Scope scope) {
        CExpr callee = expr(call.callee(), scope);
        Pos pos = call.pos();
        if (callee.ref() instanceof MethodRef mr) {
            return method(mr, call, scope);
        }
        if (callee.ref() instanceof Sym.Action a) {
            return voidCall(directActionCall(a, call, scope), pos);
        }
        if (callee.ref() instanceof Sym.ExternFunctions fns) {
            return externFunction(fns, call, scope);
        }
        throw err(pos, "'" + sourceText(call.callee()) + "' cannot be called");
    }

    /** Orders call arguments by parameter, resolving named arguments; missing optional ones are null. */
    private static List<Expr> bindArgs(List<Param> params, List<Arg> args, Pos pos, String what) {
        Expr[] bound = new Expr[params.size()];
        boolean named = args.stream().anyMatch(a -> a.name() != null);
        if (!named && args.size() > params.size()) {
            throw err(pos, what + " takes " + params.size() + " arguments, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            int idx = i;
            if (a.name() != null) {
                idx = -1;
                for (int k = 0; k < params.size(); k++) {
                    if (params.get(k).name().equals(a.name())) {
                        idx = k;
                    }
                }
                if (idx < 0) {
                    throw err(a.pos(), what + " has no parameter named '" + a.name() + "'");
                }
            }
            bound[idx] = a.value();
        }
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] == null && params.get(i).defaultValue() != null) {
                bound[i] = params.get(i).defaultValue();
            }
            if (bound[i] == null && params.get(i).direction() != Direction.OUT
                    && !params.get(i).annotations().has("optional")) {
                throw err(pos, what + " is missing argument '" + params.get(i).name() + "'");
            }
        }
        return java.util.Arrays.asList(bound);
    }

    /** Copy-in / run / copy-out for a direct action call. */
    private Exec directActionCall(Sym.Action a, Call call, Scope scope) {
        ActionDef def = a.def();
        if (def == null) {
            throw err(call.pos(), "action '" + a.decl().name() + "' cannot call itself");
        }
        List<Expr> args = bindArgs(a.decl().params(), call.args(), call.pos(), "action " + a.decl().name());
        List<Exec> in = new ArrayList<>();
        List<Exec> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Param p = a.decl().params().get(i);
            P4Type pt = c.resolveType(p.type(), a.scope());
            CExpr param = CExpr.storage(pt, def.params.get(i).slot(), true, p.pos());
            if (args.get(i) == null) {
                continue;
            }
            CExpr arg = expr(args.get(i), scope);
            if (p.direction() != Direction.OUT) {
                in.add(assign(param, arg, p.pos()));
            }
            if (p.direction() == Direction.OUT || p.direction() == Direction.INOUT) {
                requireWritable(arg, args.get(i).pos());
                out.add(assign(arg, param, p.pos()));
            }
        }
        Exec copyIn = sequence(in.toArray(Exec[]::new));
        Exec copyOut = sequence(out.toArray(Exec[]::new));
        Exec body = def.body;
        return f -> {
            copyIn.run(f);
            body.run(f);
            if (f.flow == Frame.RETURN) {
                f.flow = Frame.NORMAL;
            }
            copyOut.run(f);
        };
    }

    private static void requireWritable(CExpr e, Pos pos) {
        if (!e.isStorage() || !e.writable()) {
            throw err(pos, "this argument must be a writable l-value (an out/inout parameter writes to it)");
        }
    }

    private CExpr method(MethodRef mr, Call call, Scope scope) {
        CExpr target = mr.target();
        String m = mr.method();
        Pos pos = call.pos();
        if (target.isStorage() && (target.type() instanceof P4Type.HeaderT || target.type() instanceof P4Type.UnionT)) {
            return headerMethod(target, m, pos);
        }
        Object ref = target.ref();
        if (ref instanceof Sym.Table t && m.equals("apply")) {
            return voidCall(t.table().apply(), pos);
        }
        if (ref instanceof Sym.ControlInstance ci && m.equals("apply")) {
            return voidCall(controlApply(ci.block(), call, scope), pos);
        }
        if (ref instanceof Sym.ExternInstance ei) {
            return externMethod(ei, m, call, scope);
        }
        throw err(pos, "no method '" + m + "' here");
    }

    private CExpr headerMethod(CExpr h, String m, Pos pos) {
        int base = h.base();
        if (h.type() instanceof P4Type.UnionT u) {
            if (!m.equals("isValid")) {
                throw err(pos, "a header_union has isValid() only; set a member valid instead");
            }
            int[] valids = memberValiditySlots(u, base);
            return CExpr.scalar(new P4Type.Bool(), f -> {
                for (int v : valids) {
                    if (f.s[v] != 0) {
                        return 1;
                    }
                }
                return 0;
            }, pos);
        }
        int[] siblings = siblingsOf(base);
        return switch (m) {
            case "isValid" -> CExpr.scalar(new P4Type.Bool(), f -> f.s[base], pos);
            case "setValid" -> voidCall(f -> {
                for (int sib : siblings) {
                    f.s[sib] = 0;
                }
                f.s[base] = 1;
            }, pos);
            case "setInvalid" -> voidCall(f -> f.s[base] = 0, pos);
            default -> throw err(pos, "headers have isValid(), setValid() and setInvalid(), not " + m + "()");
        };
    }

    private static int[] memberValiditySlots(P4Type.UnionT u, int base) {
        int[] out = new int[u.fields().size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = base + u.offsetOf(u.fields().get(i).name());
        }
        return out;
    }

    private Exec controlApply(ControlBlock cb, Call call, Scope scope) {
        if (call.args().size() != cb.params.size()) {
            throw err(call.pos(), "apply of " + cb.path + " takes " + cb.params.size() + " arguments, got "
                    + call.args().size());
        }
        List<Exec> in = new ArrayList<>();
        List<Exec> out = new ArrayList<>();
        for (int i = 0; i < cb.params.size(); i++) {
            ControlBlock.BoundParam p = cb.params.get(i);
            Arg a = call.args().get(i);
            CExpr param = CExpr.storage(p.type(), p.base(), true, a.pos());
            CExpr arg = expr(a.value(), scope);
            if (p.direction() == Direction.OUT) {
                int b = p.base();
                int n = p.type().slots();
                in.add(f -> java.util.Arrays.fill(f.s, b, b + n, 0L));
            } else {
                in.add(assign(param, arg, a.pos()));
            }
            if (p.direction() == Direction.OUT || p.direction() == Direction.INOUT) {
                requireWritable(arg, a.pos());
                out.add(assign(arg, param, a.pos()));
            }
        }
        Exec copyIn = sequence(in.toArray(Exec[]::new));
        Exec copyOut = sequence(out.toArray(Exec[]::new));
        return f -> {
            copyIn.run(f);
            cb.body.run(f);
            if (f.flow == Frame.RETURN) {
                f.flow = Frame.NORMAL;
            }
            copyOut.run(f);
        };
    }

    // ================================================================== assignment

    Exec assign(CExpr target, CExpr value, Pos pos) {
        if (!target.isStorage()) {
            throw err(pos, "cannot assign to this expression");
        }
        P4Type t = target.type();
        int base = target.base();
        if (t.isScalar()) {
            CExpr conv = convert(value, t, pos);
            LongExpr v = conv.code();
            if (v == null) {
                throw err(pos, "expected a value of type " + t);
            }
            // Fast paths for the most common statements: copy a field, store a constant.
            if (conv.isConstant()) {
                long k = conv.constant().longValue();
                return f -> f.s[base] = k;
            }
            if (conv.isStorage()) {
                int from = conv.base();
                return f -> f.s[base] = f.s[from];
            }
            return f -> f.s[base] = v.eval(f);
        }
        if (value.ref() instanceof List<?> list) {
            return assignList(target, list, pos);
        }
        if (value.ref() instanceof NamedFields named) {
            return assignNamed(target, named.fields(), pos);
        }
        if (!value.isStorage() || !value.type().equals(t)) {
            throw err(pos, "cannot assign " + value.type() + " to " + t);
        }
        int from = value.base();
        int n = t.slots();
        if (from == base) {
            return Exec.NOTHING;
        }
        return f -> System.arraycopy(f.s, from, f.s, base, n);
    }

    private Exec assignList(CExpr target, List<?> list, Pos pos) {
        if (!(target.type() instanceof P4Type.Composite comp) || comp instanceof P4Type.UnionT) {
            throw err(pos, "a list expression can initialise a struct or header, not " + target.type());
        }
        if (list.size() != comp.fields().size()) {
            throw err(pos, comp.name() + " has " + comp.fields().size() + " fields but the list has " + list.size());
        }
        List<Exec> parts = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            P4Type.Field fd = comp.fields().get(i);
            CExpr field = CExpr.storage(fd.type(), target.base() + comp.offsetOf(fd.name()), true, pos);
            parts.add(assign(field, (CExpr) list.get(i), pos));
        }
        if (comp instanceof P4Type.HeaderT) {
            int valid = target.base();
            parts.add(f -> f.s[valid] = 1);
        }
        return sequence(parts.toArray(Exec[]::new));
    }

    /** A struct-valued expression's fields, in the order written (data lists take them in that order). */
    private record NamedFields(Map<String, CExpr> fields) {}

    /** {@code target = { f = v, ... }}: every field of the struct or header, each once (as p4c requires). */
    private Exec assignNamed(CExpr target, Map<String, CExpr> named, Pos pos) {
        if (!(target.type() instanceof P4Type.Composite comp) || comp instanceof P4Type.UnionT) {
            throw err(pos, "a struct-valued expression can initialise a struct or header, not " + target.type());
        }
        for (String name : named.keySet()) {
            if (comp.fields().stream().noneMatch(fd -> fd.name().equals(name))) {
                throw err(pos, comp.name() + " has no field '" + name + "'");
            }
        }
        List<CExpr> inOrder = new ArrayList<>();
        for (P4Type.Field fd : comp.fields()) {
            CExpr v = named.get(fd.name());
            if (v == null) {
                throw err(pos, "field '" + fd.name() + "' of " + comp.name() + " is not given");
            }
            inOrder.add(v);
        }
        return assignList(target, inOrder, pos);
    }

    private Exec assignSlice(Slice s, Expr value, Scope scope) {
        CExpr base = expr(s.base(), scope);
        if (!base.isStorage() || !base.writable() || !(base.type() instanceof P4Type.Bits bt)) {
            throw err(s.pos(), "can only assign to a slice of a writable bit<W> or int<W> field");
        }
        int hi = constValue(s.hi(), scope).intValueExact();
        int lo = constValue(s.lo(), scope).intValueExact();
        if (hi < lo || lo < 0 || hi >= bt.width()) {
            throw err(s.pos(), "slice [" + hi + ":" + lo + "] is outside " + bt);
        }
        P4Type.Bits st = new P4Type.Bits(hi - lo + 1, false);
        LongExpr v = convert(expr(value, scope), st, value.pos()).code();
        long m = st.mask() << lo;
        int slot = base.base();
        LongExpr norm = normalizer(f -> f.s[slot], bt);
        return f -> {
            f.s[slot] = (f.s[slot] & ~m) | ((v.eval(f) << lo) & m);
            f.s[slot] = norm.eval(f);
        };
    }

    // ================================================================== statements

    static Exec sequence(Exec[] parts) {
        List<Exec> real = new ArrayList<>();
        for (Exec e : parts) {
            if (e != Exec.NOTHING) {
                real.add(e);
            }
        }
        Exec[] a = real.toArray(Exec[]::new);
        return switch (a.length) {
            case 0 -> Exec.NOTHING;
            case 1 -> a[0];
            case 2 -> {
                Exec x = a[0];
                Exec y = a[1];
                yield f -> {
                    x.run(f);
                    if (f.flow == Frame.NORMAL) {
                        y.run(f);
                    }
                };
            }
            default -> f -> {
                for (Exec e : a) {
                    e.run(f);
                    if (f.flow != Frame.NORMAL) {
                        return;
                    }
                }
            };
        };
    }

    Exec block(Block b, Scope scope) {
        Scope inner = scope.child();
        Exec[] parts = new Exec[b.stmts().size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = stmt(b.stmts().get(i), inner);
        }
        return sequence(parts);
    }

    Exec stmt(Stmt s, Scope scope) {
        if (s instanceof Assign a) {
            return a.target() instanceof Slice sl ? assignSlice(sl, a.value(), scope) : assignChecked(a, scope);
        } else if (s instanceof CallStmt cs) {
            CExpr r = call(cs.call(), scope);
            if (r.ref() instanceof Exec e) {
                return e;
            }
            LongExpr code = r.code();
            if (code == null) {
                throw err(cs.pos(), "this call does nothing");
            }
            return f -> code.eval(f);
        } else if (s instanceof If i) {
            CExpr cond = expr(i.cond(), scope);
            requireBool(cond, i.cond().pos());
            Exec then = stmt(i.then(), scope.child());
            Exec otherwise = i.otherwise() == null ? Exec.NOTHING : stmt(i.otherwise(), scope.child());
            if (cond.isConstant()) {
                return cond.constant().signum() != 0 ? then : otherwise;
            }
            LongExpr cc = cond.code();
            return f -> {
                if (cc.eval(f) != 0) {
                    then.run(f);
                } else {
                    otherwise.run(f);
                }
            };
        } else if (s instanceof Block b) {
            return block(b, scope);
        } else if (s instanceof Exit) {
            return f -> f.flow = Frame.EXIT;
        } else if (s instanceof Return r) {
            if (r.value() != null) {
                throw Compiler.unsupported(r.pos(), "return with a value (functions)");
            }
            return f -> f.flow = Frame.RETURN;
        } else if (s instanceof Switch sw) {
            return switchStmt(sw, scope);
        } else if (s instanceof VarDecl v) {
            return localVar(v, scope);
        } else if (s instanceof ConstDecl k) {
            c.declareConst(scope, k);
        }
        return Exec.NOTHING;
    }

    private Exec assignChecked(Assign a, Scope scope) {
        CExpr target = expr(a.target(), scope);
        if (!target.isStorage() || !target.writable()) {
            throw err(a.target().pos(), "cannot assign to '" + sourceText(a.target()) + "'"
                    + (target.isStorage() ? " (it is an 'in' parameter)" : ""));
        }
        return assign(target, expr(a.value(), scope), a.value().pos());
    }

    private Exec localVar(VarDecl v, Scope scope) {
        P4Type t = c.resolveType(v.type(), scope);
        if (t.slots() == 0) {
            throw Compiler.unsupported(v.pos(), "variables of type " + t);
        }
        if (scope.declaredHere(v.name())) {
            throw err(v.pos(), "'" + v.name() + "' is already declared in this scope");
        }
        int base = c.alloc(t.slots());
        CExpr target = CExpr.storage(t, base, true, v.pos());
        Exec init;
        if (v.init() != null) {
            init = assign(target, expr(v.init(), scope), v.init().pos());
        } else {
            int n = t.slots();
            init = f -> java.util.Arrays.fill(f.s, base, base + n, 0L);
        }
        scope.declare(v.name(), new Sym.Var(base, t, true));
        return init;
    }

    private Exec switchStmt(Switch sw, Scope scope) {
        CExpr subject = expr(sw.subject(), scope);
        if (subject.ref() instanceof ActionRun ar) {
            Exec apply = ar.table().apply();
            TableDef def = ar.table().def();
            Map<Integer, Exec> byAction = new HashMap<>();
            Exec dflt = Exec.NOTHING;
            List<Integer> pending = new ArrayList<>();
            for (SwitchCase sc : sw.cases()) {
                if (sc.label() == null) {
                    dflt = sc.body() == null ? Exec.NOTHING : block(sc.body(), scope);
                    continue;
                }
                if (!(sc.label() instanceof NameRef n)) {
                    throw err(sc.pos(), "a case of switch(t.apply().action_run) must name an action");
                }
                ActionDef a = c.actionNamed(n.name(), n.pos(), scope);
                if (def.actions.stream().noneMatch(r -> r.action() == a)) {
                    throw err(n.pos(), "action " + n.name() + " is not an action of table " + def.name);
                }
                pending.add(a.index);
                if (sc.body() != null) {
                    Exec body = block(sc.body(), scope);
                    for (int idx : pending) {
                        byAction.put(idx, body);
                    }
                    pending.clear();
                }
            }
            Exec otherwise = dflt;
            return f -> {
                apply.run(f);
                if (f.flow != Frame.NORMAL) {
                    return;
                }
                Exec e = byAction.get(f.actionRun);
                (e != null ? e : otherwise).run(f);
            };
        }
        if (subject.code() == null || !(subject.type() instanceof P4Type.Bits || subject.type() instanceof P4Type.EnumT
                || subject.type() instanceof P4Type.ErrorT)) {
            throw err(sw.pos(), "switch needs t.apply().action_run or a bit<W>/enum/error value");
        }
        Map<Long, Exec> byValue = new HashMap<>();
        Exec dflt = Exec.NOTHING;
        List<Long> pending = new ArrayList<>();
        for (SwitchCase sc : sw.cases()) {
            if (sc.label() == null) {
                dflt = sc.body() == null ? Exec.NOTHING : block(sc.body(), scope);
                continue;
            }
            CExpr label = convert(expr(sc.label(), scope), subject.type(), sc.pos());
            if (!label.isConstant()) {
                throw err(sc.pos(), "switch case labels must be constants");
            }
            pending.add(label.constant().longValue());
            if (sc.body() != null) {
                Exec body = block(sc.body(), scope);
                for (long v : pending) {
                    byValue.put(v, body);
                }
                pending.clear();
            }
        }
        LongExpr subj = subject.code();
        Exec otherwise = dflt;
        return f -> {
            Exec e = byValue.get(subj.eval(f));
            (e != null ? e : otherwise).run(f);
        };
    }

    // ================================================================== local declarations

    Exec localDecl(LocalDecl l, Scope scope) {
        if (scope.declaredHere(l.name())) {
            throw err(l.pos(), "'" + l.name() + "' is already declared in this scope");
        }
        if (l instanceof ConstDecl k) {
            c.declareConst(scope, k);
        } else if (l instanceof VarDecl v) {
            return localVar(v, scope);
        } else if (l instanceof Instantiation i) {
            return c.declareInstance(scope, i);
        } else if (l instanceof ActionDecl a) {
            scope.declare(a.name(), new Sym.Action(a, null, scope));
            ActionDef def = c.compileAction(a, scope);
            scope.declare(a.name(), new Sym.Action(a, def, scope));
        } else if (l instanceof TableDecl t) {
            scope.declare(t.name(), new Sym.Table(c.compileTable(t, scope)));
        }
        return Exec.NOTHING;
    }

    // ================================================================== tables

    Exec tableApply(TableDef def, List<CExpr> keys, List<CExpr> selectors) {
        LongExpr[] k = keys.stream().map(CExpr::code).toArray(LongExpr[]::new);
        long[] scratch = new long[k.length];
        Packer selector = new Packer(selectors.stream().map(CExpr::code).toArray(LongExpr[]::new),
                selectors.stream().mapToInt(e -> keyBits(e.type())).toArray());
        boolean counted = def.directCounter != null && !def.directCounter.countedByAction;
        int algorithm = def.profile != null && def.profile.algorithm != null ? Packer.algorithm(def.profile.algorithm) : 0;
        return f -> {
            for (int i = 0; i < k.length; i++) {
                scratch[i] = k[i].eval(f);
            }
            TableEntryRt e = def.lookup(scratch);
            ActionCall call = null;
            TableEntryRt holder = def.defaultEntryState;
            if (e != null) {
                call = resolve(def, e, selector, algorithm, f);
                holder = e;
            }
            if (call == null) {
                call = def.defaultAction;
                holder = def.defaultEntryState;
                f.hit = false;
            } else {
                f.hit = true;
            }
            if (counted) {
                holder.packets++;
                holder.bytes += f.packetLengthBytes;
            }
            f.currentEntry = holder;
            f.actionRun = call.action().index;
            call.action().invoke(f, call.args());
        };
    }

    private static int keyBits(P4Type t) {
        try {
            return P4Type.bitWidthOf(t);
        } catch (IllegalArgumentException e) {
            return 32;
        }
    }

    private static ActionCall resolve(TableDef def, TableEntryRt e, Packer selector, int algorithm, Frame f) {
        if (e.action != null) {
            return e.action;
        }
        ActionProfileDef p = def.profile;
        if (e.memberId >= 0) {
            ActionProfileDef.Member m = p.members.get(e.memberId);
            return m == null ? null : m.action();
        }
        ActionProfileDef.Group g = p.groups.get(e.groupId);
        if (g == null) {
            return null;
        }
        long h = selector.hash(f, algorithm);
        ActionProfileDef.Member m = p.choose(g, h);
        return m == null ? null : m.action();
    }

    // ================================================================== parsers

    Exec parser(ParserDecl p, Scope scope, List<Exec> inits) {
        Map<String, Integer> index = new HashMap<>();
        for (ParserState st : p.states()) {
            if (st.name().equals("accept") || st.name().equals("reject")) {
                throw err(st.pos(), "state '" + st.name() + "' is built in and cannot be declared");
            }
            if (index.put(st.name(), index.size()) != null) {
                throw err(st.pos(), "duplicate parser state '" + st.name() + "'");
            }
        }
        if (!index.containsKey("start")) {
            throw err(p.pos(), "parser " + p.name() + " has no 'start' state");
        }
        int n = p.states().size();
        Exec[] bodies = new Exec[n];
        Transition[] nexts = new Transition[n];
        for (int i = 0; i < n; i++) {
            ParserState st = p.states().get(i);
            Scope inner = scope.child();
            Exec[] parts = new Exec[st.stmts().size()];
            for (int k = 0; k < parts.length; k++) {
                parts[k] = stmt(st.stmts().get(k), inner);
            }
            bodies[i] = sequence(parts);
            nexts[i] = transition(st.transition(), index, inner);
        }
        int start = index.get("start");
        Exec init = sequence(inits.toArray(Exec[]::new));
        int perr = parserErrorSlot;
        int timeout = c.errorMembers.indexOf("ParserTimeout");
        return f -> {
            init.run(f);
            int st = start;
            int steps = 0;
            while (st >= 0) {
                bodies[st].run(f);
                if (f.flow != Frame.NORMAL) {
                    st = REJECT; // an extract or verify failed; the error is already recorded
                    break;
                }
                st = nexts[st].next(f);
                if (++steps > MAX_PARSER_STEPS) {
                    f.s[perr] = timeout;
                    break;
                }
            }
            f.flow = Frame.NORMAL;
        };
    }

    /** A compiled transition: the next state index, ACCEPT or REJECT. */
    interface Transition {
        int next(Frame f);
    }

    private Transition transition(org.sfc.sw.ast.Ast.Transition t, Map<String, Integer> index, Scope scope) {
        if (t.select() == null) {
            int target = stateIndex(t.next(), index, t.pos());
            return f -> target;
        }
        List<CExpr> keys = t.select().stream().map(e -> expr(e, scope)).toList();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).code() == null) {
                throw err(t.select().get(i).pos(), "select key must be a scalar, not " + keys.get(i).type());
            }
        }
        LongExpr[] k = keys.stream().map(CExpr::code).toArray(LongExpr[]::new);
        int cases = t.cases().size();
        long[][] lo = new long[cases][];
        long[][] hiOrMask = new long[cases][];
        boolean[][] isRange = new boolean[cases][];
        int[] targets = new int[cases];
        for (int ci = 0; ci < cases; ci++) {
            SelectCase sc = t.cases().get(ci);
            targets[ci] = stateIndex(sc.next(), index, sc.pos());
            List<Keyset> ks = sc.keysets();
            if (ks.size() == 1 && ks.get(0) instanceof DefaultKeyset && k.length > 1) {
                ks = java.util.Collections.nCopies(k.length, ks.get(0));
            }
            if (ks.size() != k.length) {
                throw err(sc.pos(), "select has " + k.length + " keys but this case has " + ks.size() + " values");
            }
            lo[ci] = new long[k.length];
            hiOrMask[ci] = new long[k.length];
            isRange[ci] = new boolean[k.length];
            for (int i = 0; i < k.length; i++) {
                P4Type kt = keys.get(i).type();
                long full = kt instanceof P4Type.Bits b ? b.mask() : -1L;
                Keyset keyset = ks.get(i);
                if (keyset instanceof ValueKeyset v) {
                    lo[ci][i] = constOf(v.value(), kt, scope);
                    hiOrMask[ci][i] = full;
                } else if (keyset instanceof MaskKeyset m) {
                    hiOrMask[ci][i] = constOf(m.mask(), kt, scope);
                    lo[ci][i] = constOf(m.value(), kt, scope) & hiOrMask[ci][i];
                } else if (keyset instanceof RangeKeyset r) {
                    lo[ci][i] = constOf(r.low(), kt, scope);
                    hiOrMask[ci][i] = constOf(r.high(), kt, scope);
                    isRange[ci][i] = true;
                }
            }
        }
        int perr = parserErrorSlot;
        int noMatch = c.errorMembers.indexOf("NoMatch");
        long[] scratch = new long[k.length];
        return f -> {
            for (int i = 0; i < k.length; i++) {
                scratch[i] = k[i].eval(f);
            }
            outer:
            for (int ci = 0; ci < cases; ci++) {
                for (int i = 0; i < scratch.length; i++) {
                    long v = scratch[i];
                    if (isRange[ci][i]) {
                        if (v < lo[ci][i] || v > hiOrMask[ci][i]) {
                            continue outer;
                        }
                    } else if ((v & hiOrMask[ci][i]) != lo[ci][i]) {
                        continue outer;
                    }
                }
                return targets[ci];
            }
            f.s[perr] = noMatch;
            return REJECT;
        };
    }

    private long constOf(Expr e, P4Type t, Scope scope) {
        CExpr x = convert(expr(e, scope), t, e.pos());
        if (!x.isConstant()) {
            throw err(e.pos(), "select case values must be constants");
        }
        return x.constant().longValue();
    }

    private static int stateIndex(String name, Map<String, Integer> index, Pos pos) {
        if (name.equals("accept")) {
            return ACCEPT;
        }
        if (name.equals("reject")) {
            return REJECT;
        }
        Integer i = index.get(name);
        if (i == null) {
            throw err(pos, "unknown parser state '" + name + "'");
        }
        return i;
    }

    // ================================================================== externs

    private int hashAlgorithm(Expr e, Scope scope) {
        return Packer.algorithm(hashAlgorithmName(e, scope));
    }

    private String hashAlgorithmName(Expr e, Scope scope) {
        CExpr x = expr(e, scope);
        if (x.type() instanceof P4Type.EnumT en && en.name().equals("HashAlgorithm") && x.isConstant()) {
            String alg = en.members().get(x.constant().intValue());
            if (!List.of("crc16", "crc32", "identity", "csum16", "xor16").contains(alg)) {
                throw Compiler.unsupported(e.pos(), "HashAlgorithm." + alg);
            }
            return alg;
        }
        throw err(e.pos(), "expected a HashAlgorithm member such as HashAlgorithm.crc16");
    }

    /** The fields of a data argument ({a, b, hdr}) flattened to scalar parts with their widths. */
    private Packer packer(Expr data, Scope scope) {
        List<LongExpr> parts = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        CExpr d = expr(data, scope);
        List<?> elems = d.ref() instanceof List<?> l ? l
                : d.ref() instanceof NamedFields nf ? List.copyOf(nf.fields().values()) : List.of(d);
        for (Object o : elems) {
            flatten((CExpr) o, parts, widths, data.pos());
        }
        return new Packer(parts.toArray(LongExpr[]::new), widths.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void flatten(CExpr e, List<LongExpr> parts, List<Integer> widths, Pos pos) {
        if (e.type() instanceof P4Type.Composite comp && e.isStorage()) {
            for (P4Type.Field fd : comp.fields()) {
                flatten(CExpr.storage(fd.type(), e.base() + comp.offsetOf(fd.name()), false, pos), parts, widths, pos);
            }
            return;
        }
        if (e.code() == null || e.type() instanceof P4Type.InfInt) {
            throw err(pos, "data fields need a width (got " + e.type() + ")");
        }
        parts.add(e.code());
        widths.add(keyBits(e.type()));
    }

    private CExpr externFunction(Sym.ExternFunctions fns, Call call, Scope scope) {
        ExternDecl decl = null;
        for (ExternDecl d : fns.overloads()) {
            if (d.function().params().size() == call.args().size()) {
                decl = d;
            }
        }
        String name = fns.overloads().get(0).name();
        Pos pos = call.pos();
        if (decl == null) {
            throw err(pos, name + " takes " + fns.overloads().get(0).function().params().size() + " arguments, got "
                    + call.args().size());
        }
        List<Expr> a = bindArgs(decl.function().params(), call.args(), pos, name);
        switch (name) {
            case "mark_to_drop": {
                if (a.isEmpty()) {
                    throw Compiler.unsupported(pos, "mark_to_drop() without arguments (deprecated); "
                            + "write mark_to_drop(standard_metadata)");
                }
                CExpr sm = expr(a.get(0), scope);
                requireWritable(sm, a.get(0).pos());
                if (!(sm.type() instanceof P4Type.StructT smt) || smt.offsetOf("egress_spec") < 0) {
                    throw err(a.get(0).pos(), "mark_to_drop needs the standard_metadata struct");
                }
                int es = sm.base() + smt.offsetOf("egress_spec");
                int mg = sm.base() + smt.offsetOf("mcast_grp");
                return voidCall(f -> {
                    f.s[es] = DROP_PORT;
                    f.s[mg] = 0;
                }, pos);
            }
            case "clone": {
                LongExpr type = expr(a.get(0), scope).code();
                LongExpr session = convert(expr(a.get(1), scope), new P4Type.Bits(32, false), pos).code();
                return voidCall(f -> {
                    f.cloneType = (int) type.eval(f);
                    f.cloneSession = (int) session.eval(f);
                    f.cloneFieldList = 0;
                }, pos);
            }
            case "clone_preserving_field_list": {
                LongExpr type = expr(a.get(0), scope).code();
                LongExpr session = convert(expr(a.get(1), scope), new P4Type.Bits(32, false), pos).code();
                int list = constValue(a.get(2), scope).intValueExact();
                return voidCall(f -> {
                    f.cloneType = (int) type.eval(f);
                    f.cloneSession = (int) session.eval(f);
                    f.cloneFieldList = list;
                }, pos);
            }
            case "hash": {
                CExpr result = expr(a.get(0), scope);
                requireWritable(result, a.get(0).pos());
                P4Type.Bits rt = requireBits(result, a.get(0).pos());
                int alg = hashAlgorithm(a.get(1), scope);
                LongExpr base = convert(expr(a.get(2), scope), rt, pos).code();
                Packer data = packer(a.get(3), scope);
                CExpr maxE = expr(a.get(4), scope);
                LongExpr max = maxE.type() instanceof P4Type.InfInt ? CExpr.constant(new P4Type.Bits(64, false),
                        maxE.constant(), pos).code() : maxE.code();
                int slot = result.base();
                return voidCall(f -> {
                    long h = data.hash(f, alg);
                    long m = max.eval(f);
                    long v = base.eval(f) + (m == 0 ? h : Long.remainderUnsigned(h, m));
                    f.s[slot] = normalize(v, rt);
                }, pos);
            }
            case "random": {
                CExpr result = expr(a.get(0), scope);
                requireWritable(result, a.get(0).pos());
                P4Type.Bits rt = requireBits(result, a.get(0).pos());
                LongExpr lo = convert(expr(a.get(1), scope), rt, pos).code();
                LongExpr hi = convert(expr(a.get(2), scope), rt, pos).code();
                int slot = result.base();
                return voidCall(f -> {
                    long l = lo.eval(f);
                    long h = hi.eval(f);
                    f.s[slot] = h <= l ? l : l + ThreadLocalRandom.current().nextLong(h - l + 1);
                }, pos);
            }
            case "verify_checksum", "verify_checksum_with_payload", "update_checksum",
                    "update_checksum_with_payload": {
                boolean withPayload = name.endsWith("_with_payload");
                boolean verify = name.startsWith("verify");
                LongExpr cond = expr(a.get(0), scope).code();
                Packer data = packer(a.get(1), scope);
                CExpr sum = expr(a.get(2), scope);
                P4Type.Bits st = requireBits(sum, a.get(2).pos());
                int alg = hashAlgorithm(a.get(3), scope);
                int slot = sum.base();
                if (verify) {
                    int ce = checksumErrorSlot;
                    LongExpr sv = sum.code();
                    return voidCall(f -> {
                        if (cond.eval(f) != 0 && normalize(data.checksum(f, alg, withPayload), st) != sv.eval(f)) {
                            f.s[ce] = 1;
                        }
                    }, pos);
                }
                requireWritable(sum, a.get(2).pos());
                return voidCall(f -> {
                    if (cond.eval(f) != 0) {
                        f.s[slot] = normalize(data.checksum(f, alg, withPayload), st);
                    }
                }, pos);
            }
            case "verify": {
                LongExpr cond = expr(a.get(0), scope).code();
                LongExpr error = expr(a.get(1), scope).code();
                int perr = parserErrorSlot;
                return voidCall(f -> {
                    if (cond.eval(f) == 0) {
                        f.s[perr] = error.eval(f);
                        f.flow = Frame.EXIT;
                    }
                }, pos);
            }
            case "truncate": {
                LongExpr len = convert(expr(a.get(0), scope), new P4Type.Bits(32, false), pos).code();
                return voidCall(f -> f.truncateTo = (int) len.eval(f), pos);
            }
            case "assert", "assume": {
                LongExpr cond = expr(a.get(0), scope).code();
                String where = pos.toString();
                return voidCall(f -> {
                    if (cond.eval(f) == 0) {
                        // BMv2 aborts the whole switch here; we drop the packet and log instead.
                        LOG.warn("{} failed at {}: packet dropped", name, where);
                        f.assertFailed = true;
                        f.flow = Frame.EXIT;
                    }
                }, pos);
            }
            case "log_msg": {
                String msg = (String) expr(a.get(0), scope).ref();
                List<LongExpr> vals = new ArrayList<>();
                if (a.size() > 1) {
                    CExpr d = expr(a.get(1), scope);
                    for (Object o : d.ref() instanceof List<?> l ? l : List.of(d)) {
                        vals.add(((CExpr) o).code());
                    }
                }
                return voidCall(f -> {
                    if (LOG.isDebugEnabled()) {
                        String out = msg;
                        for (LongExpr v : vals) {
                            out = out.replaceFirst("\\{\\}", Long.toString(v.eval(f)));
                        }
                        LOG.debug("log_msg: {}", out);
                    }
                }, pos);
            }
            default:
                throw Compiler.unsupported(pos, "extern function " + name);
        }
    }

    private CExpr externMethod(Sym.ExternInstance ei, String m, Call call, Scope scope) {
        Pos pos = call.pos();
        List<Arg> args = call.args();
        switch (ei.externName() + "." + m) {
            case "packet_in.extract": {
                if (args.size() != 1) {
                    throw Compiler.unsupported(pos, "extract with a variable-size field");
                }
                CExpr h = expr(args.get(0).value(), scope);
                if (!(h.type() instanceof P4Type.HeaderT ht) || !h.isStorage() || !h.writable()) {
                    throw err(pos, "extract needs a writable header, not " + h.type());
                }
                return voidCall(extract(h.base(), ht, siblingsOf(h.base())), pos);
            }
            case "packet_in.lookahead": {
                if (call.typeArgs().size() != 1) {
                    throw err(pos, "lookahead needs its type, e.g. pkt.lookahead<bit<16>>()");
                }
                P4Type t = c.resolveType(call.typeArgs().get(0), scope);
                if (!(t instanceof P4Type.Bits b)) {
                    throw Compiler.unsupported(pos, "lookahead of " + t + " (bit<W> only)");
                }
                int w = b.width();
                int perr = parserErrorSlot;
                int tooShort = c.errorMembers.indexOf("PacketTooShort");
                return CExpr.scalar(b, f -> {
                    if (f.cursorBits + w > f.pktLen * 8) {
                        f.s[perr] = tooShort;
                        f.flow = Frame.EXIT;
                        return 0;
                    }
                    return normalize(BitIo.read(f.pkt, f.cursorBits, w), b);
                }, pos);
            }
            case "packet_in.advance": {
                LongExpr n = convert(expr(args.get(0).value(), scope), new P4Type.Bits(32, false), pos).code();
                int perr = parserErrorSlot;
                int tooShort = c.errorMembers.indexOf("PacketTooShort");
                return voidCall(f -> {
                    long bits = n.eval(f);
                    if (f.cursorBits + bits > f.pktLen * 8L) {
                        f.s[perr] = tooShort;
                        f.flow = Frame.EXIT;
                        return;
                    }
                    f.cursorBits += (int) bits;
                }, pos);
            }
            case "packet_in.length":
                return CExpr.scalar(new P4Type.Bits(32, false), f -> f.pktLen, pos);
            case "packet_out.emit": {
                CExpr h = expr(args.get(0).value(), scope);
                return voidCall(emit(h, pos), pos);
            }
            case "counter.count": {
                CounterDef ctr = (CounterDef) ei.runtime();
                LongExpr idx = indexExpr(args.get(0).value(), scope);
                return voidCall(f -> ctr.count(idx.eval(f), f.packetLengthBytes), pos);
            }
            case "direct_counter.count":
                return voidCall(Exec.NOTHING, pos); // the table counts every hit by itself, as in BMv2
            case "meter.execute_meter": {
                MeterDef meter = (MeterDef) ei.runtime();
                LongExpr idx = indexExpr(args.get(0).value(), scope);
                CExpr out = expr(args.get(1).value(), scope);
                requireWritable(out, pos);
                int slot = out.base();
                P4Type ot = out.type();
                return voidCall(f -> f.s[slot] = normalize(meter.execute(idx.eval(f), f.packetLengthBytes), ot), pos);
            }
            case "direct_meter.read": {
                org.sfc.sw.runtime.DirectMeterDef dm = (org.sfc.sw.runtime.DirectMeterDef) ei.runtime();
                CExpr out = expr(args.get(0).value(), scope);
                requireWritable(out, pos);
                int slot = out.base();
                boolean bytes = dm.unit.equals("bytes");
                P4Type ot = out.type();
                return voidCall(f -> {
                    TableEntryRt e = f.currentEntry;
                    int color = e == null ? MeterState.GREEN
                            : e.meter.execute(bytes ? f.packetLengthBytes : 1, f.packetLengthBytes, System.nanoTime());
                    f.s[slot] = normalize(color, ot);
                }, pos);
            }
            case "register.read": {
                RegisterDef r = (RegisterDef) ei.runtime();
                CExpr out = expr(args.get(0).value(), scope);
                requireWritable(out, pos);
                LongExpr idx = indexExpr(args.get(1).value(), scope);
                int slot = out.base();
                P4Type ot = out.type();
                return voidCall(f -> {
                    long i = idx.eval(f);
                    f.s[slot] = i >= 0 && i < r.size ? normalize(r.values[(int) i], ot) : 0;
                }, pos);
            }
            case "register.write": {
                RegisterDef r = (RegisterDef) ei.runtime();
                LongExpr idx = indexExpr(args.get(0).value(), scope);
                CExpr val = expr(args.get(1).value(), scope);
                LongExpr v = convert(val, new P4Type.Bits(r.width, false), pos).code();
                long mask = BitIo.mask(r.width);
                return voidCall(f -> {
                    long i = idx.eval(f);
                    if (i >= 0 && i < r.size) {
                        r.values[(int) i] = v.eval(f) & mask;
                    }
                }, pos);
            }
            case "Checksum16.get": {
                Packer data = packer(args.get(0).value(), scope);
                return CExpr.scalar(new P4Type.Bits(16, false), f -> data.checksum(f, Packer.CSUM16, false), pos);
            }
            default:
                return tnaExternMethod(ei, m, call, scope);
        }
    }

    /** The methods of tna.p4's externs (Tofino), as Intel's published tna.p4 documents them. */
    private CExpr tnaExternMethod(Sym.ExternInstance ei, String m, Call call, Scope scope) {
        Pos pos = call.pos();
        List<Arg> args = call.args();
        switch (ei.externName() + "." + m) {
            case "Counter.count": {
                CounterDef ctr = (CounterDef) ei.runtime();
                LongExpr idx = indexExpr(args.get(0).value(), scope);
                LongExpr adjust = args.size() > 1 ? indexExpr(args.get(1).value(), scope) : f -> 0;
                return voidCall(f -> ctr.count(idx.eval(f), f.packetLengthBytes + (int) adjust.eval(f)), pos);
            }
            case "DirectCounter.count": {
                LongExpr adjust = !args.isEmpty() ? indexExpr(args.get(0).value(), scope) : f -> 0;
                return voidCall(f -> {
                    TableEntryRt e = f.currentEntry;
                    if (e != null) {
                        e.packets++;
                        e.bytes += f.packetLengthBytes + (int) adjust.eval(f);
                    }
                }, pos);
            }
            case "Meter.execute": {
                if (args.size() > 1 && expr(args.get(1).value(), scope).type() instanceof P4Type.EnumT) {
                    throw Compiler.unsupported(pos, "a color-aware Meter.execute (the MeterColor_t argument)");
                }
                MeterDef meter = (MeterDef) ei.runtime();
                LongExpr idx = indexExpr(args.get(0).value(), scope);
                // MeterColor_t: GREEN 0, YELLOW 1, RED 3
                return CExpr.scalar(new P4Type.Bits(8, false),
                        f -> TNA_COLORS[meter.execute(idx.eval(f), f.packetLengthBytes)], pos);
            }
            case "Hash.get": {
                TnaExterns.HashUnit unit = (TnaExterns.HashUnit) ei.runtime();
                if (args.size() != 1) {
                    throw Compiler.unsupported(pos, "Hash.get with base and max arguments");
                }
                Packer data = packer(args.get(0).value(), scope);
                int alg = Packer.algorithm(unit.algorithm());
                P4Type.Bits rt = unit.result();
                return CExpr.scalar(rt, f -> normalize(data.hash(f, alg), rt), pos);
            }
            case "Checksum.add", "Checksum.subtract": {
                int slot = ((TnaExterns.ChecksumUnit) ei.runtime()).slot();
                Packer data = packer(args.get(0).value(), scope);
                boolean subtract = m.equals("subtract");
                // csum16 is the complement of the data's ones' complement sum: adding it subtracts the data.
                return voidCall(f -> {
                    long c = data.checksum(f, Packer.CSUM16, false);
                    f.s[slot] = onesAdd(f.s[slot], subtract ? c : ~c & 0xFFFF);
                }, pos);
            }
            case "Checksum.subtract_all_and_deposit": {
                int slot = ((TnaExterns.ChecksumUnit) ei.runtime()).slot();
                CExpr out = expr(args.get(0).value(), scope);
                requireWritable(out, pos);
                int dst = out.base();
                P4Type ot = out.type();
                return voidCall(f -> f.s[dst] = normalize(f.s[slot], ot), pos);
            }
            case "Checksum.verify": {
                int slot = ((TnaExterns.ChecksumUnit) ei.runtime()).slot();
                return CExpr.scalar(new P4Type.Bool(), f -> f.s[slot] == 0xFFFF ? 1 : 0, pos);
            }
            case "Checksum.update": {
                Packer data = packer(args.get(0).value(), scope);
                LongExpr zerosAsOnes = args.size() > 1 ? expr(args.get(1).value(), scope).code() : f -> 0;
                return CExpr.scalar(new P4Type.Bits(16, false), f -> {
                    long c = data.checksum(f, Packer.CSUM16, false);
                    return c == 0 && zerosAsOnes.eval(f) != 0 ? 0xFFFF : c;
                }, pos);
            }
            case "Mirror.emit": {
                LongExpr session = indexExpr(args.get(0).value(), scope); // MirrorId_t
                Packer header = args.size() > 1 ? mirrorHeader(args.get(1).value(), call.typeArgs(), scope, pos) : null;
                return voidCall(f -> {
                    f.mirrorSession = (int) session.eval(f);
                    f.mirrorHeader = header == null ? new byte[0] : header.bytes(f);
                }, pos);
            }
            default:
                throw Compiler.unsupported(pos, "method " + ei.externName() + "." + m);
        }
    }

    private static final long[] TNA_COLORS = {0, 1, 3};

    private static long onesAdd(long a, long b) {
        long s = a + b;
        return (s & 0xFFFF) + (s >>> 16);
    }

    /** The mirror header: a header, or a list of its fields' values when emit names its type (emit<T>(s, {...})). */
    private Packer mirrorHeader(Expr value, List<TypeRef> typeArgs, Scope scope, Pos pos) {
        CExpr v = expr(value, scope);
        if (v.isStorage() && v.type() instanceof P4Type.HeaderT) {
            return packer(value, scope);
        }
        if (typeArgs.size() != 1 || !(c.resolveType(typeArgs.get(0), scope) instanceof P4Type.HeaderT ht)
                || !(v.ref() instanceof List<?> elems)) {
            throw err(pos, "Mirror.emit takes a header, or its type and a list of its fields: emit<T>(session, {...})");
        }
        if (elems.size() != ht.fields().size()) {
            throw err(pos, ht.name() + " has " + ht.fields().size() + " fields; the list gives " + elems.size());
        }
        LongExpr[] parts = new LongExpr[elems.size()];
        int[] widths = new int[elems.size()];
        for (int i = 0; i < parts.length; i++) {
            P4Type ft = ht.fields().get(i).type();
            parts[i] = convert((CExpr) elems.get(i), ft, pos).code();
            widths[i] = P4Type.bitWidthOf(ft);
        }
        return new Packer(parts, widths);
    }

    private LongExpr indexExpr(Expr e, Scope scope) {
        CExpr x = expr(e, scope);
        if (x.type() instanceof P4Type.InfInt) {
            long v = x.constant().longValue();
            return f -> v;
        }
        requireBits(x, e.pos());
        return x.code();
    }

    private Exec extract(int base, P4Type.HeaderT ht, int[] unionSiblings) {
        int n = ht.fields().size();
        int[] widths = new int[n];
        boolean[] signed = new boolean[n];
        for (int i = 0; i < n; i++) {
            P4Type t = ht.fields().get(i).type();
            widths[i] = P4Type.bitWidthOf(t);
            signed[i] = t instanceof P4Type.Bits b && b.signed()
                    || t instanceof P4Type.EnumT e && e.underlying() != null && e.underlying().signed();
        }
        int total = ht.bitWidth();
        int perr = parserErrorSlot;
        int tooShort = c.errorMembers.indexOf("PacketTooShort");
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = base + 1 + i;
        }
        boolean anySigned = false;
        for (boolean b : signed) {
            anySigned |= b;
        }
        boolean signExtend = anySigned;
        return f -> {
            if (f.cursorBits + total > f.pktLen * 8) {
                f.s[perr] = tooShort;
                f.flow = Frame.EXIT;
                return;
            }
            FieldCodec.read(f.pkt, f.cursorBits, f.s, slots, widths);
            if (signExtend) {
                for (int i = 0; i < n; i++) {
                    if (signed[i]) {
                        f.s[slots[i]] = BitIo.signExtend(f.s[slots[i]], widths[i]);
                    }
                }
            }
            f.cursorBits += total;
            for (int sib : unionSiblings) {
                f.s[sib] = 0;
            }
            f.s[base] = 1;
        };
    }

    private Exec emit(CExpr h, Pos pos) {
        if (!h.isStorage()) {
            throw err(pos, "emit needs a header, header_union or struct of headers");
        }
        if (h.type() instanceof P4Type.HeaderT ht) {
            int base = h.base();
            int n = ht.fields().size();
            int[] widths = new int[n];
            for (int i = 0; i < n; i++) {
                widths[i] = P4Type.bitWidthOf(ht.fields().get(i).type());
            }
            int total = ht.bitWidth();
            int[] slots = new int[n];
            for (int i = 0; i < n; i++) {
                slots[i] = base + 1 + i;
            }
            return f -> {
                if (f.s[base] == 0) {
                    return;
                }
                f.ensureOut(f.outBits + total + 8);
                f.outBits = FieldCodec.write(f.out, f.outBits, f.s, slots, widths);
            };
        }
        if (h.type() instanceof P4Type.Composite comp) {
            List<Exec> parts = new ArrayList<>();
            for (P4Type.Field fd : comp.fields()) {
                CExpr member = CExpr.storage(fd.type(), h.base() + comp.offsetOf(fd.name()), false, pos);
                if (!(fd.type() instanceof P4Type.Composite)) {
                    throw err(pos, "emit of " + comp.name() + ": field '" + fd.name() + "' is not a header");
                }
                parts.add(emit(member, pos));
            }
            return sequence(parts.toArray(Exec[]::new));
        }
        throw err(pos, "emit needs a header, header_union or struct of headers, not " + h.type());
    }

    // ================================================================== naming helpers

    /** The source text p4c uses to name a key field: hdr.ipv4.dstAddr, hdr.x.$valid$, f[7:0]. */
    static String sourceText(Expr e) {
        if (e instanceof NameRef n) {
            return n.name();
        } else if (e instanceof Member m) {
            return sourceText(m.base()) + "." + m.member();
        } else if (e instanceof Slice s) {
            return sourceText(s.base()) + "[" + sourceText(s.hi()) + ":" + sourceText(s.lo()) + "]";
        } else if (e instanceof IntLit i) {
            return i.value().toString();
        } else if (e instanceof Call call && call.callee() instanceof Member m && m.member().equals("isValid")) {
            return sourceText(m.base()) + ".$valid$";
        } else if (e instanceof Call call) {
            return sourceText(call.callee()) + "()";
        }
        return "<expr>";
    }
}
