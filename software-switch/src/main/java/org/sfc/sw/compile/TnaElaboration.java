package org.sfc.sw.compile;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.sfc.sw.ast.Ast.*;
import org.sfc.sw.exec.Exec;
import org.sfc.sw.types.P4Type;

/**
 * Elaborates a TNA program: {@code Switch(pipe) main} over {@code Pipeline(ingress parser, ingress, ingress
 * deparser, egress parser, egress, egress deparser) pipe}, as tna.p4 (Tofino 1) declares them. Ingress and egress
 * get storage of their own for their headers and metadata (they are separate pipelines on Tofino: what egress
 * knows of ingress comes in the packet); each intrinsic struct gets one storage place, and a block parameter binds
 * to the storage of its type, so the optional parameters TNA allows may be left out in any combination.
 */
final class TnaElaboration {
    private static final String[] BLOCK_ROLES = {"ingress parser", "ingress", "ingress deparser", "egress parser",
            "egress", "egress deparser"};
    private static final List<String> INGRESS_INTRINSICS = List.of("ingress_intrinsic_metadata_t",
            "ingress_intrinsic_metadata_from_parser_t", "ingress_intrinsic_metadata_for_deparser_t",
            "ingress_intrinsic_metadata_for_tm_t");
    private static final List<String> EGRESS_INTRINSICS = List.of("egress_intrinsic_metadata_t",
            "egress_intrinsic_metadata_from_parser_t", "egress_intrinsic_metadata_for_deparser_t",
            "egress_intrinsic_metadata_for_output_port_t");

    private final Compiler c;

    TnaElaboration(Compiler c) {
        this.c = c;
    }

    CompiledProgram elaborate(Instantiation main) {
        if (main.args().size() != 1) {
            throw Compiler.unsupported(main.pos(), "Switch with " + main.args().size()
                    + " pipelines (the software switch runs one pipeline with every port on it)");
        }
        List<Arg> blocks = pipelineArgs(main.args().get(0));
        if (blocks.size() != 6) {
            throw Compiler.unsupported(main.pos(), "Pipeline with " + blocks.size() + " blocks (the six of ingress "
                    + "and egress: parser, control, deparser each; no ghost thread)");
        }
        Decl[] decls = new Decl[6];
        for (int i = 0; i < 6; i++) {
            Arg a = blocks.get(i);
            if (!(a.value() instanceof Call call) || !(call.callee() instanceof NameRef ref)
                    || !(c.global.lookup(ref.name()) instanceof Sym.BlockDecl bd)) {
                throw Compiler.error(a.pos(), "the " + BLOCK_ROLES[i] + " must instantiate a parser or control, "
                        + "e.g. SwitchIngress()");
            }
            boolean parser = i == 0 || i == 3;
            if (parser != bd.decl() instanceof ParserDecl) {
                throw Compiler.error(a.pos(), "the " + BLOCK_ROLES[i] + " must be a " + (parser ? "parser" : "control"));
            }
            decls[i] = bd.decl();
        }
        ParserDecl ip = (ParserDecl) decls[0];
        ParserDecl ep = (ParserDecl) decls[3];
        Map<P4Type, Integer> ingress = half(ip, INGRESS_INTRINSICS);
        Map<P4Type, Integer> egress = half(ep, EGRESS_INTRINSICS);
        int scratch = c.alloc(1);
        c.gen.parserErrorSlot = scratch;
        c.gen.checksumErrorSlot = scratch;
        Exec ingressParser = c.compileParser(ip, bind(ip.params(), ingress, "ingress parser"));
        Exec ingressControl = control((ControlDecl) decls[1], ingress, "ingress");
        Exec ingressDeparser = control((ControlDecl) decls[2], ingress, "ingress deparser");
        Exec egressParser = c.compileParser(ep, bind(ep.params(), egress, "egress parser"));
        Exec egressControl = control((ControlDecl) decls[4], egress, "egress");
        Exec egressDeparser = control((ControlDecl) decls[5], egress, "egress deparser");

        P4Type.HeaderT igIntr = header(INGRESS_INTRINSICS.get(0));
        P4Type.HeaderT egIntr = header(EGRESS_INTRINSICS.get(0));
        String igParser = INGRESS_INTRINSICS.get(1);
        String igDeparser = INGRESS_INTRINSICS.get(2);
        String igTm = INGRESS_INTRINSICS.get(3);
        String egParser = EGRESS_INTRINSICS.get(1);
        String egDeparser = EGRESS_INTRINSICS.get(2);
        TnaBlocks.Intrinsics slots = new TnaBlocks.Intrinsics(
                field(ingress, igParser, "parser_err"), field(ingress, igParser, "global_tstamp"),
                field(ingress, igDeparser, "drop_ctl"), field(ingress, igDeparser, "mirror_type"),
                field(ingress, igTm, "ucast_egress_port"), field(ingress, igTm, "mcast_grp_a"),
                field(ingress, igTm, "bypass_egress"),
                field(egress, egParser, "parser_err"), field(egress, egParser, "global_tstamp"),
                field(egress, egDeparser, "drop_ctl"));
        TnaBlocks tna = new TnaBlocks(pipeName(main.args().get(0)), ingressParser, ingressControl, ingressDeparser,
                egressParser, egressControl, egressDeparser, igIntr, egIntr, portMetadataBits(), scratch, slots);
        P4Type.StructT h = (P4Type.StructT) c.resolveType(ip.params().get(1).type(), c.global);
        P4Type.StructT m = (P4Type.StructT) c.resolveType(ip.params().get(2).type(), c.global);
        return c.program(new Exec[6], null, ingress.get(h), h, ingress.get(m), m, Map.of(), tna);
    }

    /** The Pipeline instance's name; an unnamed one (Switch(Pipeline(...)) main) is Switch's parameter, pipe0. */
    private static String pipeName(Arg pipe) {
        return pipe.value() instanceof NameRef ref ? ref.name() : "pipe0";
    }

    /** The blocks of Switch's one Pipeline: given by name (Pipeline(...) pipe; Switch(pipe) main;) or inline. */
    private List<Arg> pipelineArgs(Arg pipe) {
        Expr e = pipe.value();
        if (e instanceof NameRef ref && c.packages.containsKey(ref.name())) {
            Instantiation p = c.packages.get(ref.name());
            requirePipeline(p.type(), p.pos());
            return p.args();
        }
        if (e instanceof Call call && call.callee() instanceof NameRef ref) {
            requirePipeline(new NamedType(ref.pos(), ref.name(), List.of()), call.pos());
            return call.args();
        }
        throw Compiler.error(pipe.pos(), "Switch takes a Pipeline, e.g. Pipeline(IngressParser(), Ingress(), "
                + "IngressDeparser(), EgressParser(), Egress(), EgressDeparser()) pipe; Switch(pipe) main;");
    }

    private static void requirePipeline(TypeRef t, Pos pos) {
        if (!(t instanceof NamedType nt) || !nt.name().equals("Pipeline")) {
            throw Compiler.unsupported(pos, "package " + t + " in Switch (tna.p4's Pipeline only)");
        }
    }

    /**
     * Storage of one half (ingress or egress): its headers and metadata, the types of its parser's second and
     * third parameters, and its four intrinsic structs.
     */
    private Map<P4Type, Integer> half(ParserDecl parser, List<String> intrinsics) {
        if (parser.params().size() < 3) {
            throw Compiler.error(parser.pos(), "a TNA parser takes (packet_in, out headers, out metadata, ...)");
        }
        Map<P4Type, Integer> bases = new HashMap<>();
        for (int i = 1; i <= 2; i++) {
            P4Type t = c.resolveType(parser.params().get(i).type(), c.global);
            if (!(t instanceof P4Type.StructT)) {
                throw Compiler.error(parser.params().get(i).pos(), "the headers and metadata of a TNA parser must be "
                        + "structs, not " + t);
            }
            bases.putIfAbsent(t, c.alloc(t.slots()));
        }
        for (String name : intrinsics) {
            if (!(c.global.lookup(name) instanceof Sym.TypeName tn)) {
                throw Compiler.error(parser.pos(), "tna.p4 declares no " + name + "; include <tna.p4>");
            }
            bases.put(tn.type(), c.alloc(tn.type().slots()));
        }
        return bases;
    }

    private List<Integer> bind(List<Param> params, Map<P4Type, Integer> bases, String role) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            P4Type t = c.resolveType(p.type(), c.global);
            if (t instanceof P4Type.ExternT e && (e.decl().name().equals("packet_in") || e.decl().name().equals("packet_out"))) {
                out.add(-1);
                continue;
            }
            Integer base = bases.get(t);
            if (base == null) {
                throw Compiler.error(p.pos(), "parameter '" + p.name() + "' of the " + role + " has type " + t
                        + "; TNA passes the headers and metadata of its parser and the intrinsic metadata of tna.p4");
            }
            out.add(base);
        }
        return out;
    }

    private Exec control(ControlDecl cd, Map<P4Type, Integer> bases, String role) {
        String path = cd.annotations().find("name").flatMap(Annotation::stringValue).orElse(cd.name());
        List<BigInteger> noCtorArgs = List.of();
        return c.compileControl(cd, path, bind(cd.params(), bases, role), noCtorArgs).body;
    }

    private P4Type.HeaderT header(String name) {
        P4Type t = ((Sym.TypeName) c.global.lookup(name)).type();
        if (!(t instanceof P4Type.HeaderT h)) {
            throw Compiler.error(Pos.BUILTIN, name + " must be a header (as tna.p4 declares it)");
        }
        return h;
    }

    private int field(Map<P4Type, Integer> bases, String struct, String field) {
        P4Type t = ((Sym.TypeName) c.global.lookup(struct)).type();
        int off = ((P4Type.Composite) t).offsetOf(field);
        return off < 0 ? -1 : bases.get(t) + off;
    }

    /** tna.p4's PORT_METADATA_SIZE: the bits of port metadata in front of the packet after the intrinsic header. */
    private int portMetadataBits() {
        if (c.global.lookup("PORT_METADATA_SIZE") instanceof Sym.Const k) {
            return k.value().intValueExact();
        }
        return 64;
    }
}
