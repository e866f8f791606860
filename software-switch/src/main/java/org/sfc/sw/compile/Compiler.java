package org.sfc.sw.compile;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sfc.sw.ast.Ast;
import org.sfc.sw.ast.Ast.*;
import org.sfc.sw.exec.Exec;
import org.sfc.sw.frontend.AstBuilder;
import org.sfc.sw.frontend.FrontendException;
import org.sfc.sw.frontend.Preprocessor;
import org.sfc.sw.runtime.ActionCall;
import org.sfc.sw.runtime.ActionDef;
import org.sfc.sw.runtime.ActionProfileDef;
import org.sfc.sw.runtime.CounterDef;
import org.sfc.sw.runtime.DirectCounterDef;
import org.sfc.sw.runtime.DirectMeterDef;
import org.sfc.sw.runtime.MatchKind;
import org.sfc.sw.runtime.MeterDef;
import org.sfc.sw.runtime.RegisterDef;
import org.sfc.sw.runtime.TableDef;
import org.sfc.sw.runtime.TableEntryRt;
import org.sfc.sw.types.P4Type;

/**
 * Checks a v1model P4-16 program and compiles it into executable form. Declarations are processed in
 * order (P4 requires declaration before use); names resolve to fixed storage slots; every construct the
 * interpreter cannot execute is rejected with "unsupported: what at file:line:col" rather than ignored.
 */
public final class Compiler {
    static final int DEFAULT_TABLE_SIZE = 1024;

    final Scope global = new Scope(null, "");
    final List<String> errorMembers = new ArrayList<>();
    final P4Type.ErrorT errorType = new P4Type.ErrorT(errorMembers);
    final CodeGen gen = new CodeGen(this);
    private int slots;

    final List<TableDef> tables = new ArrayList<>();
    final List<ActionDef> actions = new ArrayList<>();
    final List<ActionProfileDef> profiles = new ArrayList<>();
    final List<CounterDef> counters = new ArrayList<>();
    final List<DirectCounterDef> directCounters = new ArrayList<>();
    final List<MeterDef> meters = new ArrayList<>();
    final List<DirectMeterDef> directMeters = new ArrayList<>();
    final List<RegisterDef> registers = new ArrayList<>();
    final Map<Integer, List<Integer>> fieldLists = new HashMap<>();
    /** Top-level package instances other than main (TNA's Pipeline(...) pipe;), elaborated through main. */
    final Map<String, Instantiation> packages = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private Compiler() {}

    /** Preprocesses, parses and compiles a P4 file. */
    public static CompiledProgram compileFile(Path file, List<Path> includePath) throws IOException {
        return compile(AstBuilder.parse(Preprocessor.run(file, includePath)));
    }

    /** Compiles program text (includes must be built in, e.g. core.p4 and v1model.p4). */
    public static CompiledProgram compileText(String name, String text) {
        return compile(AstBuilder.parse(Preprocessor.runText(name, text)));
    }

    public static CompiledProgram compile(Program program) {
        return new Compiler().run(program);
    }

    int alloc(int n) {
        int b = slots;
        slots += n;
        return b;
    }

    static FrontendException error(Pos pos, String message) {
        return new FrontendException(pos + ": " + message);
    }

    static FrontendException unsupported(Pos pos, String what) {
        return new FrontendException(pos + ": unsupported: " + what);
    }

    // ------------------------------------------------------------------ driver

    private CompiledProgram run(Program program) {
        Instantiation main = null;
        for (Decl d : program.decls()) {
            try {
                if (d instanceof Instantiation inst && inst.name().equals("main")) {
                    main = inst;
                    continue;
                }
                declareTopLevel(d);
            } catch (FrontendException e) {
                problems.addAll(e.problems());
            }
        }
        if (main == null && problems.isEmpty()) {
            problems.add(program.decls().isEmpty() ? "<input>:1:1: empty program"
                    : program.decls().get(program.decls().size() - 1).pos()
                    + ": no 'main' package instantiation; a v1model program ends with V1Switch(...) main;"
                    + " a TNA program with Switch(pipe) main;");
        }
        if (!problems.isEmpty()) {
            throw new FrontendException(problems);
        }
        try {
            if (main.type() instanceof NamedType nt && nt.name().equals("Switch")) {
                return new TnaElaboration(this).elaborate(main);
            }
            return elaborateV1Switch(main);
        } catch (FrontendException e) {
            problems.addAll(e.problems());
            throw new FrontendException(problems);
        }
    }

    private void declareTopLevel(Decl d) {
        if (d instanceof ConstDecl c) {
            declareConst(global, c);
        } else if (d instanceof StructLike s) {
            declareStruct(s);
        } else if (d instanceof EnumDecl e) {
            declareEnum(e);
        } else if (d instanceof Typedef t) {
            declareName(global, t.name(), t.pos(), new Sym.TypeName(resolveType(t.type(), global)));
        } else if (d instanceof ErrorDecl e) {
            for (String m : e.members()) {
                if (!errorMembers.contains(m)) {
                    errorMembers.add(m);
                }
            }
        } else if (d instanceof MatchKindDecl) {
            return; // the match kinds are the fixed set of core.p4 and v1model.p4
        } else if (d instanceof ExternDecl e) {
            declareExtern(e);
        } else if (d instanceof ActionDecl a) {
            declareName(global, a.name(), a.pos(), new Sym.Action(a, null, global));
            global.declare(a.name(), new Sym.Action(a, compileAction(a, global), global));
        } else if (d instanceof ParserDecl || d instanceof ControlDecl) {
            declareName(global, d.name(), d.pos(), new Sym.BlockDecl(d));
        } else if (d instanceof BlockTypeDecl b) {
            declareName(global, b.name(), b.pos(), new Sym.TypeName(new P4Type.BlockT(b)));
        } else if (d instanceof Instantiation i) {
            if (resolveType(i.type(), global) instanceof P4Type.BlockT bt
                    && bt.decl() instanceof BlockTypeDecl btd && btd.kind() == BlockKind.PACKAGE) {
                packages.put(i.name(), i);
                return;
            }
            declareInstance(global, i);
        } else {
            throw unsupported(d.pos(), "function declaration '" + d.name() + "'");
        }
    }

    private void declareName(Scope scope, String name, Pos pos, Sym sym) {
        if (scope.declaredHere(name) && !(sym instanceof Sym.ExternFunctions)) {
            throw error(pos, "'" + name + "' is already declared in this scope");
        }
        scope.declare(name, sym);
    }

    // ------------------------------------------------------------------ types

    P4Type resolveType(TypeRef t, Scope scope) {
        if (t instanceof BitsType b) {
            BigInteger w = gen.constValue(b.width(), scope);
            int width = w.intValueExact();
            if (width <= 0) {
                throw error(b.pos(), "width of " + (b.signed() ? "int" : "bit") + "<" + width + "> must be positive");
            }
            if (width > 64) {
                throw unsupported(b.pos(), (b.signed() ? "int<" : "bit<") + width
                        + "> (the software switch executes fields of at most 64 bits)");
            }
            return new P4Type.Bits(width, b.signed());
        } else if (t instanceof BoolType) {
            return new P4Type.Bool();
        } else if (t instanceof ErrorType) {
            return errorType;
        } else if (t instanceof StringType) {
            return new P4Type.StringT();
        } else if (t instanceof InfIntType) {
            return new P4Type.InfInt();
        } else if (t instanceof VoidType) {
            return new P4Type.VoidT();
        } else if (t instanceof DontCareType) {
            return new P4Type.TypeVar("_");
        } else if (t instanceof VarbitType) {
            throw unsupported(t.pos(), "varbit fields");
        } else if (t instanceof StackType) {
            throw unsupported(t.pos(), "header stacks");
        } else if (t instanceof TupleType) {
            throw unsupported(t.pos(), "tuple types");
        }
        NamedType n = (NamedType) t;
        Sym sym = scope.lookup(n.name());
        if (sym instanceof Sym.TypeName tn) {
            if (tn.type() instanceof P4Type.ExternT ext) {
                int params = ext.decl().typeParams().size();
                if (!n.typeArgs().isEmpty() && n.typeArgs().size() != params) {
                    throw error(n.pos(), "extern " + n.name() + " has " + params + " type parameter(s) but is given "
                            + n.typeArgs().size() + (params == 0 && (n.name().equals("counter") || n.name().equals("meter")
                            || n.name().equals("register")) ? "; v1model's typed " + n.name() + " needs "
                            + "#define V1MODEL_VERSION 20200408 before #include <v1model.p4>" : ""));
                }
                List<P4Type> args = new ArrayList<>();
                for (TypeRef a : n.typeArgs()) {
                    args.add(resolveType(a, scope));
                }
                return new P4Type.ExternT(ext.decl(), args);
            }
            return tn.type();
        }
        if (sym instanceof Sym.BlockDecl bd) {
            return new P4Type.BlockT(bd.decl());
        }
        throw error(n.pos(), "unknown type '" + n.name() + "'");
    }

    private void declareStruct(StructLike s) {
        List<P4Type.Field> fields = new ArrayList<>();
        for (Field f : s.fields()) {
            P4Type ft = resolveType(f.type(), global);
            if (s.kind() == StructKind.HEADER && !(ft instanceof P4Type.Bits || ft instanceof P4Type.Bool
                    || (ft instanceof P4Type.EnumT e && e.underlying() != null))) {
                throw error(f.pos(), "header field '" + f.name() + "' must be bit<W>, int<W>, bool or a "
                        + "serializable enum, not " + ft);
            }
            if (s.kind() == StructKind.HEADER_UNION && !(ft instanceof P4Type.HeaderT)) {
                throw error(f.pos(), "header_union member '" + f.name() + "' must be a header");
            }
            if (fields.stream().anyMatch(x -> x.name().equals(f.name()))) {
                throw error(f.pos(), "duplicate field '" + f.name() + "' in " + s.name());
            }
            fields.add(new P4Type.Field(f.name(), ft, f.annotations()));
        }
        P4Type type = switch (s.kind()) {
            case HEADER -> new P4Type.HeaderT(s.name(), fields, s.annotations());
            case HEADER_UNION -> new P4Type.UnionT(s.name(), fields);
            case STRUCT -> new P4Type.StructT(s.name(), fields, s.annotations());
        };
        declareName(global, s.name(), s.pos(), new Sym.TypeName(type));
        if (type instanceof P4Type.HeaderT h) {
            s.annotations().find("controller_header").flatMap(Annotation::stringValue).ifPresent(
                    n -> controllerHeaderTypes.add(new CompiledProgram.ControllerHeader(n, h, 0)));
        }
    }

    private void declareEnum(EnumDecl e) {
        if (e.underlying() == null) {
            declareName(global, e.name(), e.pos(), new Sym.TypeName(new P4Type.EnumT(e.name(), e.members(), null, List.of())));
            return;
        }
        P4Type u = resolveType(e.underlying(), global);
        if (!(u instanceof P4Type.Bits bits)) {
            throw error(e.pos(), "serializable enum " + e.name() + " must have a bit<W> or int<W> underlying type");
        }
        List<Long> values = new ArrayList<>();
        for (Expr v : e.values()) {
            values.add(gen.constValue(v, global).longValue() & bits.mask());
        }
        declareName(global, e.name(), e.pos(), new Sym.TypeName(new P4Type.EnumT(e.name(), e.members(), bits, values)));
    }

    private void declareExtern(ExternDecl e) {
        if (e.function() != null) {
            Sym existing = global.lookup(e.name());
            List<ExternDecl> overloads = new ArrayList<>();
            if (existing instanceof Sym.ExternFunctions fs) {
                overloads.addAll(fs.overloads());
            }
            overloads.add(e);
            global.declare(e.name(), new Sym.ExternFunctions(overloads));
        } else {
            declareName(global, e.name(), e.pos(), new Sym.TypeName(new P4Type.ExternT(e, List.of())));
        }
    }

    void declareConst(Scope scope, ConstDecl c) {
        P4Type t = resolveType(c.type(), scope);
        CExpr v = gen.convert(gen.expr(c.value(), scope), t, c.value().pos());
        if (!v.isConstant()) {
            throw error(c.value().pos(), "the value of constant '" + c.name() + "' must be a compile-time constant");
        }
        declareName(scope, c.name(), c.pos(), new Sym.Const(t, v.constant()));
    }

    // ------------------------------------------------------------------ naming and annotations

    /** The P4Info name of a declaration: the @name annotation if present, else its local name, qualified. */
    static String qualifiedName(Scope scope, String local, Annotations annos) {
        String n = annos.find("name").flatMap(Annotation::stringValue).orElse(local);
        return scope.qualify(n);
    }

    // ------------------------------------------------------------------ v1model

    private CompiledProgram elaborateV1Switch(Instantiation main) {
        if (!(main.type() instanceof NamedType nt) || !nt.name().equals("V1Switch")) {
            throw unsupported(main.pos(), "package " + main.type()
                    + "; the software switch runs the v1model architecture (V1Switch(...) main)");
        }
        if (main.args().size() != 6) {
            throw error(main.pos(), "V1Switch takes 6 blocks (parser, verifyChecksum, ingress, egress, "
                    + "computeChecksum, deparser), got " + main.args().size());
        }
        Decl[] blocks = new Decl[6];
        for (int i = 0; i < 6; i++) {
            Arg a = main.args().get(i);
            if (!(a.value() instanceof Call call) || !(call.callee() instanceof NameRef ref)
                    || !(global.lookup(ref.name()) instanceof Sym.BlockDecl bd)) {
                throw error(a.pos(), "V1Switch argument " + (i + 1) + " must instantiate a parser or control, e.g. MyIngress()");
            }
            blocks[i] = bd.decl();
        }
        if (!(blocks[0] instanceof ParserDecl parserDecl)) {
            throw error(main.args().get(0).pos(), "the first V1Switch argument must be a parser");
        }
        for (int i = 1; i < 6; i++) {
            if (!(blocks[i] instanceof ControlDecl)) {
                throw error(main.args().get(i).pos(), "V1Switch argument " + (i + 1) + " must be a control");
            }
        }
        if (parserDecl.params().size() != 4) {
            throw error(parserDecl.pos(), "a v1model parser takes (packet_in, out H, inout M, inout standard_metadata_t)");
        }
        P4Type hType = resolveType(parserDecl.params().get(1).type(), global);
        P4Type mType = resolveType(parserDecl.params().get(2).type(), global);
        P4Type smType = resolveType(parserDecl.params().get(3).type(), global);
        if (!(hType instanceof P4Type.StructT hStruct) || !(mType instanceof P4Type.StructT mStruct)
                || !(smType instanceof P4Type.StructT smStruct)) {
            throw error(parserDecl.pos(), "the headers, metadata and standard_metadata parameters must be structs");
        }
        int hdrBase = alloc(hStruct.slots());
        int metaBase = alloc(mStruct.slots());
        int smBase = alloc(smStruct.slots());
        Map<String, Integer> bases = Map.of("H", hdrBase, "M", metaBase, "SM", smBase);
        CompiledProgram.StdMeta std = stdMeta(smStruct, smBase);
        gen.parserErrorSlot = std.parserError();
        gen.checksumErrorSlot = std.checksumError();

        Exec parser = compileParser(parserDecl, List.of(-1, hdrBase, metaBase, smBase));
        Exec[] controls = new Exec[5];
        for (int i = 1; i < 6; i++) {
            ControlDecl cd = (ControlDecl) blocks[i];
            List<Integer> paramBases = new ArrayList<>();
            for (Param p : cd.params()) {
                P4Type pt = resolveType(p.type(), global);
                if (pt.equals(hStruct)) {
                    paramBases.add(bases.get("H"));
                } else if (pt.equals(mStruct)) {
                    paramBases.add(bases.get("M"));
                } else if (pt.equals(smStruct)) {
                    paramBases.add(bases.get("SM"));
                } else if (pt instanceof P4Type.ExternT e && e.decl().name().equals("packet_out")) {
                    paramBases.add(-1);
                } else {
                    throw error(p.pos(), "parameter '" + p.name() + "' of " + cd.name() + " has type " + pt
                            + "; v1model passes the headers, metadata and standard_metadata structs");
                }
            }
            ControlBlock cb = compileControl(cd, cd.annotations().find("name").flatMap(Annotation::stringValue)
                    .orElse(cd.name()), paramBases, List.of());
            controls[i - 1] = cb.body;
        }
        Map<Integer, int[]> lists = new LinkedHashMap<>();
        collectFieldLists(mStruct, metaBase);
        fieldLists.forEach((id, l) -> lists.put(id, l.stream().mapToInt(Integer::intValue).toArray()));
        return program(new Exec[] {parser, controls[0], controls[1], controls[2], controls[3], controls[4]}, std,
                hdrBase, hStruct, metaBase, mStruct, lists, null);
    }

    private void collectFieldLists(P4Type.StructT s, int base) {
        for (P4Type.Field f : s.fields()) {
            int slot = base + s.offsetOf(f.name());
            f.annotations().find("field_list").ifPresent(a -> {
                for (String tok : a.tokens()) {
                    if (tok.matches("\\d+|0[xX][0-9a-fA-F]+")) {
                        int id = Integer.decode(tok);
                        fieldLists.computeIfAbsent(id, k -> new ArrayList<>());
                        for (int k = 0; k < f.type().slots(); k++) {
                            fieldLists.get(id).add(slot + k);
                        }
                    }
                }
            });
            if (f.type() instanceof P4Type.StructT inner) {
                collectFieldLists(inner, slot);
            }
        }
    }

    /** Everything compiled so far, around the given blocks. */
    CompiledProgram program(Exec[] v1Blocks, CompiledProgram.StdMeta std, int hdrBase, P4Type.StructT hStruct,
                            int metaBase, P4Type.StructT mStruct, Map<Integer, int[]> lists, TnaBlocks tna) {
        return new CompiledProgram(slots, v1Blocks[0], v1Blocks[1], v1Blocks[2], v1Blocks[3], v1Blocks[4], v1Blocks[5],
                std, hdrBase, hStruct, metaBase, mStruct, List.copyOf(tables),
                List.copyOf(actions), List.copyOf(profiles), List.copyOf(counters), List.copyOf(directCounters),
                List.copyOf(meters), List.copyOf(directMeters), List.copyOf(registers), controllerHeaders(),
                lists, List.copyOf(errorMembers), tna);
    }

    private CompiledProgram.StdMeta stdMeta(P4Type.StructT sm, int base) {
        String[] names = {"ingress_port", "egress_spec", "egress_port", "instance_type", "packet_length",
                "mcast_grp", "egress_rid", "checksum_error", "parser_error", "ingress_global_timestamp",
                "egress_global_timestamp"};
        int[] at = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            int off = sm.offsetOf(names[i]);
            if (off < 0) {
                throw error(Pos.BUILTIN, "standard_metadata_t has no field " + names[i]);
            }
            at[i] = base + off;
        }
        return new CompiledProgram.StdMeta(base, sm.slots(), at[0], at[1], at[2], at[3], at[4], at[5], at[6], at[7],
                at[8], at[9], at[10]);
    }

    /** Header types annotated @controller_header("packet_in" | "packet_out"), in declaration order. */
    private final List<CompiledProgram.ControllerHeader> controllerHeaderTypes = new ArrayList<>();

    private List<CompiledProgram.ControllerHeader> controllerHeaders() {
        return List.copyOf(controllerHeaderTypes);
    }

    // ------------------------------------------------------------------ parsers

    Exec compileParser(ParserDecl p, List<Integer> paramBases) {
        String path = p.annotations().find("name").flatMap(Annotation::stringValue).orElse(p.name());
        Scope scope = new Scope(global, path);
        List<Exec> inits = new ArrayList<>();
        for (int i = 0; i < p.params().size(); i++) {
            Param param = p.params().get(i);
            P4Type t = resolveType(param.type(), global);
            if (i == 0) {
                if (!(t instanceof P4Type.ExternT e) || !e.decl().name().equals("packet_in")) {
                    throw error(param.pos(), "the first parser parameter must be packet_in");
                }
                scope.declare(param.name(), new Sym.ExternInstance("packet_in", null, t));
            } else {
                scope.declare(param.name(), new Sym.Var(paramBases.get(i), t, param.direction() != Direction.IN));
            }
        }
        for (LocalDecl l : p.locals()) {
            inits.add(gen.localDecl(l, scope));
        }
        return gen.parser(p, scope, inits);
    }

    // ------------------------------------------------------------------ controls

    /**
     * Compiles one instance of a control. {@code paramBases} binds parameters to existing storage
     * (top-level blocks); null allocates fresh slots (nested instances, applied with copy-in/copy-out).
     */
    ControlBlock compileControl(ControlDecl c, String path, List<Integer> paramBases, List<BigInteger> ctorArgs) {
        Scope scope = new Scope(global, path);
        List<ControlBlock.BoundParam> bound = new ArrayList<>();
        for (int i = 0; i < c.params().size(); i++) {
            Param p = c.params().get(i);
            P4Type t = resolveType(p.type(), global);
            if (t instanceof P4Type.ExternT e && e.decl().name().equals("packet_out")) {
                scope.declare(p.name(), new Sym.ExternInstance("packet_out", null, t));
                bound.add(new ControlBlock.BoundParam(p.direction(), t, -1));
                continue;
            }
            if (t.slots() == 0) {
                throw unsupported(p.pos(), "control parameter of type " + t);
            }
            int base = paramBases != null ? paramBases.get(i) : alloc(t.slots());
            scope.declare(p.name(), new Sym.Var(base, t, p.direction() != Direction.IN));
            bound.add(new ControlBlock.BoundParam(p.direction(), t, base));
        }
        if (ctorArgs.size() != c.ctorParams().size()) {
            throw error(c.pos(), c.name() + " takes " + c.ctorParams().size() + " constructor arguments, got "
                    + ctorArgs.size());
        }
        for (int i = 0; i < ctorArgs.size(); i++) {
            Param p = c.ctorParams().get(i);
            scope.declare(p.name(), new Sym.Const(resolveType(p.type(), global), ctorArgs.get(i)));
        }
        ControlBlock block = new ControlBlock(path, bound);
        List<Exec> inits = new ArrayList<>();
        for (LocalDecl l : c.locals()) {
            inits.add(gen.localDecl(l, scope));
        }
        Exec apply = gen.block(c.apply(), scope);
        Exec[] all = new Exec[inits.size() + 1];
        inits.toArray(all);
        all[inits.size()] = apply;
        block.body = CodeGen.sequence(all);
        return block;
    }

    ActionDef compileAction(ActionDecl a, Scope outer) {
        Scope scope = outer.child();
        List<ActionDef.Param> params = new ArrayList<>();
        int cpId = 1;
        for (Param p : a.params()) {
            P4Type t = resolveType(p.type(), outer);
            int base = alloc(Math.max(1, t.slots()));
            scope.declare(p.name(), new Sym.Var(base, t, p.direction() != Direction.IN));
            if (p.direction() == Direction.NONE) {
                if (!(t instanceof P4Type.Bits || t instanceof P4Type.Bool
                        || (t instanceof P4Type.EnumT e && e.underlying() != null))) {
                    throw error(p.pos(), "action parameter '" + p.name() + "' set by the control plane must be "
                            + "bit<W>, int<W>, bool or a serializable enum, not " + t);
                }
                params.add(new ActionDef.Param(p.name(), cpId++, P4Type.bitWidthOf(t), base));
            } else {
                params.add(new ActionDef.Param(p.name(), 0, t.isScalar() ? widthOrZero(t) : 0, base));
            }
        }
        ActionDef def = new ActionDef(qualifiedName(outer, a.name(), a.annotations()), params, a.annotations());
        def.index = actions.size();
        actions.add(def);
        def.body = gen.block(a.body(), scope);
        return def;
    }

    private static int widthOrZero(P4Type t) {
        try {
            return P4Type.bitWidthOf(t);
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    /** Control-plane parameters only (directionless), which is what tables and P4Runtime supply. */
    static List<ActionDef.Param> controlPlaneParams(ActionDef a) {
        return a.params.stream().filter(p -> p.id() > 0).toList();
    }

    // ------------------------------------------------------------------ instances

    /** Declares an extern or control instance; returns code to run at each apply (none for externs). */
    Exec declareInstance(Scope scope, Instantiation inst) {
        P4Type t = resolveType(inst.type(), scope);
        String name = qualifiedName(scope, inst.name(), inst.annotations());
        if (t instanceof P4Type.BlockT bt) {
            if (!(bt.decl() instanceof ControlDecl cd)) {
                throw unsupported(inst.pos(), "parser instances (sub-parsers)");
            }
            List<BigInteger> ctor = new ArrayList<>();
            for (Arg a : inst.args()) {
                ctor.add(gen.constValue(a.value(), scope));
            }
            ControlBlock cb = compileControl(cd, name, null, ctor);
            declareName(scope, inst.name(), inst.pos(), new Sym.ControlInstance(cb));
            return Exec.NOTHING;
        }
        if (!(t instanceof P4Type.ExternT ext)) {
            throw error(inst.pos(), "cannot instantiate " + t);
        }
        Object runtime = newExternInstance(ext, name, inst, scope);
        declareName(scope, inst.name(), inst.pos(), new Sym.ExternInstance(ext.decl().name(), runtime, t));
        return Exec.NOTHING;
    }

    Object newExternInstance(P4Type.ExternT ext, String name, Instantiation inst, Scope scope) {
        List<Arg> args = inst.args();
        Annotations annos = inst.annotations();
        Pos pos = inst.pos();
        switch (ext.decl().name()) {
            case "counter" -> {
                CounterDef c = new CounterDef(name, annos, intArg(args, 0, scope, pos), enumArg(args, 1, scope, pos));
                counters.add(c);
                return c;
            }
            case "direct_counter" -> {
                DirectCounterDef c = new DirectCounterDef(name, annos, enumArg(args, 0, scope, pos));
                directCounters.add(c);
                return c;
            }
            case "meter" -> {
                MeterDef m = new MeterDef(name, annos, intArg(args, 0, scope, pos), enumArg(args, 1, scope, pos));
                meters.add(m);
                return m;
            }
            case "direct_meter" -> {
                DirectMeterDef m = new DirectMeterDef(name, annos, enumArg(args, 0, scope, pos));
                directMeters.add(m);
                return m;
            }
            case "register" -> {
                if (ext.typeArgs().isEmpty() || !(ext.typeArgs().get(0) instanceof P4Type.Bits b)) {
                    throw error(pos, "register needs its element type, e.g. register<bit<32>>(1024) r;");
                }
                RegisterDef r = new RegisterDef(name, annos, intArg(args, 0, scope, pos), b.width());
                registers.add(r);
                return r;
            }
            case "action_profile" -> {
                ActionProfileDef p = new ActionProfileDef(name, annos, intArg(args, 0, scope, pos), false, null, 0,
                        maxGroupSize(annos));
                profiles.add(p);
                return p;
            }
            case "action_selector" -> {
                ActionProfileDef p = new ActionProfileDef(name, annos, intArg(args, 1, scope, pos), true,
                        enumArg(args, 0, scope, pos), intArg(args, 2, scope, pos), maxGroupSize(annos));
                profiles.add(p);
                return p;
            }
            case "Checksum16" -> {
                return "Checksum16";
            }
            // tna.p4 (Tofino)
            case "Counter" -> {
                CounterDef c = new CounterDef(name, annos, intArg(args, 0, scope, pos),
                        enumArg(args, 1, scope, pos).toLowerCase(java.util.Locale.ROOT));
                counters.add(c);
                return c;
            }
            case "DirectCounter" -> {
                DirectCounterDef c = new DirectCounterDef(name, annos,
                        enumArg(args, 0, scope, pos).toLowerCase(java.util.Locale.ROOT), true);
                directCounters.add(c);
                return c;
            }
            case "Meter" -> {
                if (args.size() > 2) {
                    throw unsupported(pos, "Meter with burst or rate arguments (the control plane sets rates)");
                }
                MeterDef m = new MeterDef(name, annos, intArg(args, 0, scope, pos),
                        enumArg(args, 1, scope, pos).toLowerCase(java.util.Locale.ROOT));
                meters.add(m);
                return m;
            }
            case "Hash" -> {
                if (ext.typeArgs().isEmpty() || !(ext.typeArgs().get(0) instanceof P4Type.Bits b)) {
                    throw error(pos, "Hash needs its result type, e.g. Hash<bit<16>>(HashAlgorithm_t.CRC16) h;");
                }
                String alg = enumArg(args, 0, scope, pos);
                if (!List.of("CRC16", "CRC32", "IDENTITY", "XOR16").contains(alg)) {
                    throw unsupported(pos, "HashAlgorithm_t." + alg + " (CRC16, CRC32, IDENTITY and XOR16 are)");
                }
                return new TnaExterns.HashUnit(b, alg.toLowerCase(java.util.Locale.ROOT));
            }
            case "Checksum" -> {
                if (!args.isEmpty()) {
                    throw unsupported(pos, "Checksum with an algorithm argument (the Internet checksum is TNA's)");
                }
                return new TnaExterns.ChecksumUnit(alloc(1));
            }
            case "Mirror" -> {
                return new TnaExterns.MirrorUnit();
            }
            default -> throw unsupported(pos, "extern " + ext.decl().name());
        }
    }

    private static int maxGroupSize(Annotations annos) {
        return annos.find("max_group_size").map(a -> Integer.decode(a.rawBody().trim())).orElse(0);
    }

    private int intArg(List<Arg> args, int i, Scope scope, Pos pos) {
        if (i >= args.size()) {
            throw error(pos, "missing constructor argument " + (i + 1));
        }
        return gen.constValue(args.get(i).value(), scope).intValueExact();
    }

    /** The member name of an enum-valued constructor argument, e.g. CounterType.packets → "packets". */
    private String enumArg(List<Arg> args, int i, Scope scope, Pos pos) {
        if (i >= args.size()) {
            throw error(pos, "missing constructor argument " + (i + 1));
        }
        Expr e = args.get(i).value();
        if (e instanceof Member m && m.base() instanceof NameRef) {
            CExpr c = gen.expr(e, scope);
            if (c.type() instanceof P4Type.EnumT) {
                return m.member();
            }
        }
        throw error(e.pos(), "expected an enum member such as CounterType.packets");
    }

    // ------------------------------------------------------------------ tables

    CompiledTable compileTable(TableDecl t, Scope scope) {
        String name = qualifiedName(scope, t.name(), t.annotations());
        List<TableDef.KeyField> keys = new ArrayList<>();
        List<CExpr> keyExprs = new ArrayList<>();
        List<CExpr> selectorExprs = new ArrayList<>();
        for (KeyElement k : t.keys()) {
            MatchKind kind = MatchKind.of(k.matchKind());
            if (kind == null) {
                throw error(k.pos(), "unknown match kind '" + k.matchKind()
                        + "'; use exact, lpm, ternary, range, optional or selector");
            }
            CExpr e = gen.expr(k.expr(), scope);
            if (e.code() == null || !(e.type() instanceof P4Type.Bits || e.type() instanceof P4Type.Bool
                    || e.type() instanceof P4Type.EnumT || e.type() instanceof P4Type.ErrorT)) {
                throw error(k.pos(), "table key must be a scalar (bit<W>, int<W>, bool, enum or error), not " + e.type());
            }
            if (kind == MatchKind.SELECTOR) {
                selectorExprs.add(e);
                continue;
            }
            String keyName = k.annotations().find("name").flatMap(Annotation::stringValue)
                    .orElse(CodeGen.sourceText(k.expr()));
            keys.add(new TableDef.KeyField(keyName, keys.size() + 1, kind, keyWidth(e.type())));
            keyExprs.add(e);
        }
        List<TableDef.ActionRef> refs = new ArrayList<>();
        for (Ast.ActionRef r : t.actions()) {
            ActionDef a = actionNamed(r.name(), r.pos(), scope);
            if (r.args() != null && !r.args().isEmpty()) {
                throw unsupported(r.pos(), "arguments bound in a table's actions list");
            }
            refs.add(new TableDef.ActionRef(a, r.annotations().has("tableonly"), r.annotations().has("defaultonly"),
                    r.annotations()));
        }
        int size = t.property("size").map(p -> gen.constValue(p.value(), scope).intValueExact())
                .orElse(DEFAULT_TABLE_SIZE);
        ActionCall defaultCall;
        boolean constDefault = false;
        var defaultProp = t.property("default_action");
        if (defaultProp.isPresent()) {
            defaultCall = actionCall(defaultProp.get().value(), refs, scope, name);
            constDefault = defaultProp.get().isConst();
        } else {
            ActionDef noAction = actionNamed("NoAction", t.pos(), scope);
            if (refs.stream().noneMatch(r -> r.action() == noAction)) {
                refs.add(new TableDef.ActionRef(noAction, false, true, Annotations.NONE));
            }
            defaultCall = new ActionCall(noAction, new long[0]);
        }
        TableDef def = new TableDef(name, t.annotations(), keys, refs, size);
        def.defaultAction = defaultCall;
        def.initialDefaultAction = defaultCall;
        def.constDefaultAction = constDefault;
        for (TableProperty p : t.properties()) {
            switch (p.name()) {
                case "size", "default_action" -> { }
                case "implementation" -> def.profile = profileFor(p, scope, def);
                case "counters" -> {
                    DirectCounterDef dc = instanceOf(p, scope, DirectCounterDef.class, "a direct_counter");
                    dc.table = def;
                    def.directCounter = dc;
                }
                case "meters" -> {
                    DirectMeterDef dm = instanceOf(p, scope, DirectMeterDef.class, "a direct_meter");
                    dm.table = def;
                    def.directMeter = dm;
                }
                case "support_timeout" -> {
                    if (gen.constValue(p.value(), scope).signum() != 0) {
                        throw unsupported(p.pos(), "support_timeout = true (idle timeout)");
                    }
                }
                default -> throw unsupported(p.pos(), "table property '" + p.name() + "'");
            }
        }
        if (!selectorExprs.isEmpty() && (def.profile == null || !def.profile.withSelector)) {
            throw error(t.pos(), "table " + t.name() + " has selector keys but no action_selector implementation");
        }
        if (t.entries() != null) {
            def.constEntries = t.entriesConst();
            def.hasEntries = !t.entries().isEmpty();
            for (TableEntry e : t.entries()) {
                def.insert(constEntry(e, def, scope));
            }
        }
        tables.add(def);
        return new CompiledTable(def, gen.tableApply(def, keyExprs, selectorExprs));
    }

    private static int keyWidth(P4Type t) {
        if (t instanceof P4Type.Bits b) {
            return b.width();
        } else if (t instanceof P4Type.EnumT e && e.underlying() != null) {
            return e.underlying().width();
        } else if (t instanceof P4Type.Bool) {
            return 1;
        }
        return 32; // plain enums and errors: P4Info has no width for them; p4c uses 32 for BMv2
    }

    private ActionProfileDef profileFor(TableProperty p, Scope scope, TableDef table) {
        ActionProfileDef prof;
        if (p.value() instanceof Call call && call.callee() instanceof NameRef n
                && scope.lookup(n.name()) instanceof Sym.TypeName tn && tn.type() instanceof P4Type.ExternT ext) {
            if (p.annotations().find("name").isEmpty()) { // as p4c: P4Runtime has no name for it
                throw error(p.pos(), "table " + table.name + ": its implementation " + n.name() + "(...) has no name, "
                        + "and P4Runtime needs one; declare an instance (" + n.name() + "(...) my_profile;) and write "
                        + "implementation = my_profile");
            }
            Instantiation anon = new Instantiation(p.pos(), p.annotations(), new NamedType(p.pos(), n.name(), List.of()),
                    call.args(), table.name.substring(table.name.lastIndexOf('.') + 1) + "_" + n.name());
            prof = (ActionProfileDef) newExternInstance(ext, qualifiedName(scope, n.name(), p.annotations()), anon, scope);
        } else {
            prof = instanceOf(p, scope, ActionProfileDef.class, "an action_profile or action_selector");
        }
        prof.tables.add(table);
        return prof;
    }

    private <T> T instanceOf(TableProperty p, Scope scope, Class<T> cls, String what) {
        if (p.value() instanceof NameRef n && scope.lookup(n.name()) instanceof Sym.ExternInstance ei
                && cls.isInstance(ei.runtime())) {
            return cls.cast(ei.runtime());
        }
        throw error(p.pos(), "table property '" + p.name() + "' must name " + what + " instance");
    }

    ActionDef actionNamed(String name, Pos pos, Scope scope) {
        Sym s = scope.lookup(name);
        if (s instanceof Sym.Action a) {
            if (a.def() == null) {
                throw error(pos, "action '" + name + "' is used before its declaration is complete");
            }
            return a.def();
        }
        throw error(pos, "'" + name + "' is not an action");
    }

    private ActionCall actionCall(Expr e, List<TableDef.ActionRef> refs, Scope scope, String table) {
        String name;
        List<Arg> args;
        if (e instanceof Call c && c.callee() instanceof NameRef n) {
            name = n.name();
            args = c.args();
        } else if (e instanceof NameRef n) {
            name = n.name();
            args = List.of();
        } else {
            throw error(e.pos(), "default_action must be an action call such as drop() or set_port(1)");
        }
        ActionDef a = actionNamed(name, e.pos(), scope);
        if (refs.stream().noneMatch(r -> r.action() == a)) {
            throw error(e.pos(), "default action '" + name + "' is not in the actions list of table " + table);
        }
        List<ActionDef.Param> cp = controlPlaneParams(a);
        if (args.size() != cp.size()) {
            throw error(e.pos(), "action '" + name + "' takes " + cp.size() + " arguments, got " + args.size());
        }
        long[] values = new long[args.size()];
        for (int i = 0; i < args.size(); i++) {
            values[i] = gen.constValue(args.get(i).value(), scope).longValue() & org.sfc.sw.exec.BitIo.mask(cp.get(i).width());
        }
        return new ActionCall(a, values);
    }

    private TableEntryRt constEntry(TableEntry e, TableDef def, Scope scope) {
        int n = def.keys.size();
        if (e.keysets().size() != n) {
            throw error(e.pos(), "entry has " + e.keysets().size() + " key values but table " + def.name + " has "
                    + n + " key fields");
        }
        long[] value = new long[n];
        long[] mask = new long[n];
        long[] high = new long[n];
        int prefix = 0;
        for (int i = 0; i < n; i++) {
            TableDef.KeyField k = def.keys.get(i);
            long full = org.sfc.sw.exec.BitIo.mask(k.width());
            Keyset ks = e.keysets().get(i);
            if (ks instanceof DefaultKeyset d) {
                value[i] = 0;
                mask[i] = 0;
                high[i] = full;
                if (k.kind() == MatchKind.EXACT) {
                    throw error(d.pos(), "exact key field " + k.name() + " cannot be a wildcard");
                }
            } else if (ks instanceof ValueKeyset v) {
                value[i] = gen.constValue(v.value(), scope).longValue() & full;
                mask[i] = full;
                high[i] = value[i];
                prefix += k.kind() == MatchKind.LPM ? k.width() : 0;
            } else if (ks instanceof MaskKeyset m) {
                mask[i] = gen.constValue(m.mask(), scope).longValue() & full;
                value[i] = gen.constValue(m.value(), scope).longValue() & mask[i];
                if (k.kind() == MatchKind.LPM) {
                    prefix += Long.bitCount(mask[i]);
                }
            } else if (ks instanceof RangeKeyset r) {
                value[i] = gen.constValue(r.low(), scope).longValue() & full;
                high[i] = gen.constValue(r.high(), scope).longValue() & full;
                mask[i] = full;
            }
            if (k.kind() == MatchKind.RANGE && !(ks instanceof RangeKeyset)) {
                if (ks instanceof ValueKeyset) {
                    high[i] = value[i];
                }
                if (ks instanceof DefaultKeyset) {
                    value[i] = 0;
                }
            }
            if (k.kind() != MatchKind.RANGE) {
                high[i] = 0;
            }
        }
        int priority;
        if (def.lpmPriority) {
            priority = prefix;
        } else if (def.allExact) {
            priority = 0;
        } else if (e.priority() != null) {
            priority = gen.constValue(e.priority(), scope).intValueExact();
        } else {
            // The spec: entries listed earlier have higher priority when no priority is given.
            priority = Integer.MAX_VALUE - 1 - def.entryCount();
        }
        TableEntryRt rt = new TableEntryRt(value, mask, high, priority, prefix);
        rt.action = actionCall(e.action().args() == null ? new NameRef(e.action().pos(), e.action().name())
                : new Call(e.action().pos(), new NameRef(e.action().pos(), e.action().name()), List.of(),
                e.action().args()), def.actions, scope, def.name);
        return rt;
    }
}
