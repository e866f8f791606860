package org.sfc.sw.ast;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The typed syntax tree of a P4-16 program, as written: names are not resolved yet and types are
 * syntactic. Every node carries the source position it came from so later phases can report
 * {@code file:line:col: message}.
 */
public final class Ast {
    private Ast() {}

    /** A source position in the original (pre-preprocessing) file. */
    public record Pos(String file, int line, int col) {
        public static final Pos BUILTIN = new Pos("<builtin>", 0, 0);

        @Override
        public String toString() {
            return file + ":" + line + ":" + col;
        }
    }

    /** {@code @name(body)}; the body is kept as raw text plus its tokens' texts. */
    public record Annotation(Pos pos, String name, List<String> tokens) {
        public String rawBody() {
            return String.join(" ", tokens);
        }

        /** The body as a single string literal, unquoted, if it is one. */
        public Optional<String> stringValue() {
            if (tokens.size() == 1 && tokens.get(0).startsWith("\"")) {
                String t = tokens.get(0);
                return Optional.of(t.substring(1, t.length() - 1));
            }
            return Optional.empty();
        }
    }

    public record Annotations(List<Annotation> list) {
        public static final Annotations NONE = new Annotations(List.of());

        public Optional<Annotation> find(String name) {
            return list.stream().filter(a -> a.name().equals(name)).findFirst();
        }

        public boolean has(String name) {
            return find(name).isPresent();
        }
    }

    // ------------------------------------------------------------------ types

    public sealed interface TypeRef permits BitsType, BoolType, ErrorType, StringType, InfIntType, VarbitType,
            NamedType, StackType, TupleType, VoidType, DontCareType {
        Pos pos();
    }

    /** {@code bit<W>} or {@code int<W>}; width is an expression that must be a compile-time constant. */
    public record BitsType(Pos pos, Expr width, boolean signed) implements TypeRef {}
    public record BoolType(Pos pos) implements TypeRef {}
    public record ErrorType(Pos pos) implements TypeRef {}
    public record StringType(Pos pos) implements TypeRef {}
    /** The arbitrary-precision {@code int} of literals and constants. */
    public record InfIntType(Pos pos) implements TypeRef {}
    public record VarbitType(Pos pos, Expr width) implements TypeRef {}
    public record NamedType(Pos pos, String name, List<TypeRef> typeArgs) implements TypeRef {}
    public record StackType(Pos pos, TypeRef element, Expr size) implements TypeRef {}
    public record TupleType(Pos pos, List<TypeRef> elements) implements TypeRef {}
    public record VoidType(Pos pos) implements TypeRef {}
    public record DontCareType(Pos pos) implements TypeRef {}

    // ------------------------------------------------------------------ expressions

    public sealed interface Expr permits IntLit, BoolLit, StringLit, NameRef, ErrorMember, Member, Slice, Index,
            Call, ListExpr, StructExpr, Cast, Unary, Binary, Ternary {
        Pos pos();
    }

    /** An integer literal; {@code width} is empty for an arbitrary-precision literal. */
    public record IntLit(Pos pos, BigInteger value, Optional<Integer> width, boolean signed) implements Expr {}
    public record BoolLit(Pos pos, boolean value) implements Expr {}
    public record StringLit(Pos pos, String value) implements Expr {}
    public record NameRef(Pos pos, String name) implements Expr {}
    public record ErrorMember(Pos pos, String name) implements Expr {}
    public record Member(Pos pos, Expr base, String member) implements Expr {}
    public record Slice(Pos pos, Expr base, Expr hi, Expr lo) implements Expr {}
    public record Index(Pos pos, Expr base, Expr index) implements Expr {}
    public record Call(Pos pos, Expr callee, List<TypeRef> typeArgs, List<Arg> args) implements Expr {}
    public record ListExpr(Pos pos, List<Expr> elements) implements Expr {}

    /** {@code { f = v, ... }}: a struct or header value given field by field (P4-16 struct-valued expression). */
    public record StructExpr(Pos pos, List<String> names, List<Expr> values) implements Expr {}
    public record Cast(Pos pos, TypeRef type, Expr expr) implements Expr {}
    public record Unary(Pos pos, String op, Expr expr) implements Expr {}
    public record Binary(Pos pos, String op, Expr left, Expr right) implements Expr {}
    public record Ternary(Pos pos, Expr cond, Expr then, Expr otherwise) implements Expr {}

    /** A call argument: positional ({@code name} null), named, or don't-care ({@code value} null). */
    public record Arg(Pos pos, String name, Expr value) {}

    // ------------------------------------------------------------------ statements

    public sealed interface Stmt permits Assign, CallStmt, If, Block, Exit, Return, Switch, VarDecl, ConstDecl,
            Empty {
        Pos pos();
    }

    public record Assign(Pos pos, Expr target, Expr value) implements Stmt {}
    public record CallStmt(Pos pos, Call call) implements Stmt {}
    public record If(Pos pos, Expr cond, Stmt then, Stmt otherwise) implements Stmt {}
    public record Block(Pos pos, List<Stmt> stmts) implements Stmt {}
    public record Exit(Pos pos) implements Stmt {}
    public record Return(Pos pos, Expr value) implements Stmt {}
    /** A switch case with a null label is {@code default}; a null body falls through to the next case. */
    public record SwitchCase(Pos pos, Expr label, Block body) {}
    public record Switch(Pos pos, Expr subject, List<SwitchCase> cases) implements Stmt {}
    public record VarDecl(Pos pos, Annotations annotations, TypeRef type, String name, Expr init)
            implements Stmt, LocalDecl {}
    public record Empty(Pos pos) implements Stmt {}

    // ------------------------------------------------------------------ declarations

    public sealed interface Decl permits ConstDecl, TypeDecl, ExternDecl, ActionDecl, ParserDecl, ControlDecl,
            BlockTypeDecl, Instantiation, FunctionDecl {
        Pos pos();

        String name();
    }

    /** Declarations allowed inside parsers and controls. */
    public sealed interface LocalDecl permits ConstDecl, VarDecl, Instantiation, ActionDecl, TableDecl {
        Pos pos();

        String name();
    }

    public record ConstDecl(Pos pos, Annotations annotations, TypeRef type, String name, Expr value)
            implements Decl, Stmt, LocalDecl {}

    public enum Direction { NONE, IN, OUT, INOUT }

    public record Param(Pos pos, Annotations annotations, Direction direction, TypeRef type, String name,
                        Expr defaultValue) {}

    /** Type declarations: header, header_union, struct, enum, typedef/type, error, match_kind. */
    public sealed interface TypeDecl extends Decl permits StructLike, EnumDecl, Typedef, ErrorDecl, MatchKindDecl {}

    public enum StructKind { HEADER, HEADER_UNION, STRUCT }

    public record Field(Pos pos, Annotations annotations, TypeRef type, String name) {}

    public record StructLike(Pos pos, Annotations annotations, StructKind kind, String name, List<Field> fields)
            implements TypeDecl {}

    /** A plain enum ({@code underlying} null) or a serializable enum with member values. */
    public record EnumDecl(Pos pos, Annotations annotations, String name, TypeRef underlying, List<String> members,
                           List<Expr> values) implements TypeDecl {}

    public record Typedef(Pos pos, Annotations annotations, TypeRef type, String name, boolean newType)
            implements TypeDecl {}

    public record ErrorDecl(Pos pos, List<String> members) implements TypeDecl {
        public String name() {
            return "error";
        }
    }

    public record MatchKindDecl(Pos pos, List<String> members) implements TypeDecl {
        public String name() {
            return "match_kind";
        }
    }

    /** A method of an extern; {@code returnType} is null for a constructor. */
    public record MethodProto(Pos pos, Annotations annotations, TypeRef returnType, String name,
                              List<String> typeParams, List<Param> params) {}

    /** An extern object type (methods) or an extern function ({@code function} set). */
    public record ExternDecl(Pos pos, Annotations annotations, String name, List<String> typeParams,
                             List<MethodProto> methods, MethodProto function) implements Decl {}

    public record ActionDecl(Pos pos, Annotations annotations, String name, List<Param> params, Block body)
            implements Decl, LocalDecl {}

    public enum BlockKind { PARSER, CONTROL, PACKAGE }

    /** A parser, control or package type declaration (no body). */
    public record BlockTypeDecl(Pos pos, Annotations annotations, BlockKind kind, String name,
                                List<String> typeParams, List<Param> params) implements Decl {}

    public record Instantiation(Pos pos, Annotations annotations, TypeRef type, List<Arg> args, String name)
            implements Decl, LocalDecl {}

    public record FunctionDecl(Pos pos, Annotations annotations, String name) implements Decl {}

    // parsers

    public sealed interface Keyset permits DefaultKeyset, MaskKeyset, RangeKeyset, ValueKeyset {
        Pos pos();
    }

    /** {@code default} or {@code _}. */
    public record DefaultKeyset(Pos pos) implements Keyset {}
    public record MaskKeyset(Pos pos, Expr value, Expr mask) implements Keyset {}
    public record RangeKeyset(Pos pos, Expr low, Expr high) implements Keyset {}
    public record ValueKeyset(Pos pos, Expr value) implements Keyset {}

    public record SelectCase(Pos pos, List<Keyset> keysets, String next) {}

    /** A transition: direct ({@code select} null, {@code next} set) or a select. */
    public record Transition(Pos pos, String next, List<Expr> select, List<SelectCase> cases) {}

    public record ParserState(Pos pos, Annotations annotations, String name, List<Stmt> stmts,
                              Transition transition) {}

    public record ParserDecl(Pos pos, Annotations annotations, String name, List<Param> params,
                             List<Param> ctorParams, List<LocalDecl> locals, List<ParserState> states)
            implements Decl {}

    // controls

    public record KeyElement(Pos pos, Expr expr, String matchKind, Annotations annotations) {}

    public record ActionRef(Pos pos, Annotations annotations, String name, List<Arg> args) {}

    public record TableEntry(Pos pos, Expr priority, List<Keyset> keysets, ActionRef action) {}

    public record TableProperty(Pos pos, Annotations annotations, boolean isConst, String name, Expr value) {}

    public record TableDecl(Pos pos, Annotations annotations, String name, List<KeyElement> keys,
                            List<ActionRef> actions, List<TableEntry> entries, boolean entriesConst,
                            List<TableProperty> properties) implements LocalDecl {
        public Optional<TableProperty> property(String propertyName) {
            return properties.stream().filter(p -> p.name().equals(propertyName)).findFirst();
        }
    }

    public record ControlDecl(Pos pos, Annotations annotations, String name, List<Param> params,
                              List<Param> ctorParams, List<LocalDecl> locals, Block apply) implements Decl {}

    public record Program(List<Decl> decls) {}
}
