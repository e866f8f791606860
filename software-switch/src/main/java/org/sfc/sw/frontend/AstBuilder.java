package org.sfc.sw.frontend;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.sfc.sw.ast.Ast;
import org.sfc.sw.ast.Ast.*;
import org.sfc.sw.frontend.P4Parser.*;

/** Parses preprocessed P4 text into an {@link Ast.Program}, reporting syntax errors with original positions. */
public final class AstBuilder {
    private static final Pattern SIZED_INT = Pattern.compile("(\\d+)([ws])(.+)");

    private final SourceMap sourceMap;

    private AstBuilder(SourceMap sourceMap) {
        this.sourceMap = sourceMap;
    }

    public static Program parse(Preprocessor.Result pre) {
        return new AstBuilder(pre.sourceMap()).parse(pre.text());
    }

    private Program parse(String text) {
        List<String> errors = new ArrayList<>();
        P4Lexer lexer = new P4Lexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        P4Parser parser = new P4Parser(tokens);
        parser.removeErrorListeners();
        // Two-stage parsing: the fast SLL mode first, full LL only if SLL reports a syntax error.
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new org.antlr.v4.runtime.BailErrorStrategy());
        ProgramContext tree;
        try {
            tree = parser.program();
        } catch (ParseCancellationException e) {
            tokens.seek(0);
            parser.reset();
            parser.setErrorHandler(new org.antlr.v4.runtime.DefaultErrorStrategy());
            parser.addErrorListener(new BaseErrorListener() {
                @Override
                public void syntaxError(Recognizer<?, ?> r, Object offending, int line, int col, String msg,
                                        RecognitionException ex) {
                    errors.add(sourceMap.position(line, col) + ": syntax error: " + msg);
                }
            });
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            tree = parser.program();
        }
        if (!errors.isEmpty()) {
            throw new FrontendException(errors);
        }
        List<Decl> decls = new ArrayList<>();
        for (DeclarationContext d : tree.declaration()) {
            Decl decl = declaration(d);
            if (decl != null) {
                decls.add(decl);
            }
        }
        return new Program(decls);
    }

    private Pos pos(ParserRuleContext ctx) {
        return pos(ctx.getStart());
    }

    private Pos pos(Token t) {
        return sourceMap.position(t.getLine(), t.getCharPositionInLine());
    }

    private FrontendException error(ParserRuleContext ctx, String message) {
        return new FrontendException(pos(ctx) + ": " + message);
    }

    // ------------------------------------------------------------------ declarations

    private Decl declaration(DeclarationContext d) {
        if (d.constantDeclaration() != null) {
            return constant(d.constantDeclaration());
        } else if (d.externDeclaration() != null) {
            return extern(d.externDeclaration());
        } else if (d.actionDeclaration() != null) {
            return action(d.actionDeclaration());
        } else if (d.parserDeclaration() != null) {
            return parser(d.parserDeclaration());
        } else if (d.parserTypeDeclaration() != null) {
            ParserTypeDeclarationContext c = d.parserTypeDeclaration();
            return new BlockTypeDecl(pos(c), annotations(c.annotations()), BlockKind.PARSER, c.name().getText(),
                    typeParams(c.typeParameters()), params(c.parameterList()));
        } else if (d.controlDeclaration() != null) {
            return control(d.controlDeclaration());
        } else if (d.controlTypeDeclaration() != null) {
            ControlTypeDeclarationContext c = d.controlTypeDeclaration();
            return new BlockTypeDecl(pos(c), annotations(c.annotations()), BlockKind.CONTROL, c.name().getText(),
                    typeParams(c.typeParameters()), params(c.parameterList()));
        } else if (d.packageTypeDeclaration() != null) {
            PackageTypeDeclarationContext c = d.packageTypeDeclaration();
            return new BlockTypeDecl(pos(c), annotations(c.annotations()), BlockKind.PACKAGE, c.name().getText(),
                    typeParams(c.typeParameters()), params(c.parameterList()));
        } else if (d.instantiation() != null) {
            return instantiation(d.instantiation());
        } else if (d.headerTypeDeclaration() != null) {
            HeaderTypeDeclarationContext c = d.headerTypeDeclaration();
            return new StructLike(pos(c), annotations(c.annotations()), StructKind.HEADER, c.name().getText(),
                    fields(c.structField()));
        } else if (d.headerUnionDeclaration() != null) {
            HeaderUnionDeclarationContext c = d.headerUnionDeclaration();
            return new StructLike(pos(c), annotations(c.annotations()), StructKind.HEADER_UNION,
                    c.name().getText(), fields(c.structField()));
        } else if (d.structTypeDeclaration() != null) {
            StructTypeDeclarationContext c = d.structTypeDeclaration();
            return new StructLike(pos(c), annotations(c.annotations()), StructKind.STRUCT, c.name().getText(),
                    fields(c.structField()));
        } else if (d.enumDeclaration() != null) {
            return enumDecl(d.enumDeclaration());
        } else if (d.typedefDeclaration() != null) {
            TypedefDeclarationContext c = d.typedefDeclaration();
            return new Typedef(pos(c), annotations(c.annotations()), type(c.typeRef()), c.name().getText(),
                    c.getChild(c.annotations() == null ? 0 : 1).getText().equals("type"));
        } else if (d.errorDeclaration() != null) {
            return new ErrorDecl(pos(d), names(d.errorDeclaration().name()));
        } else if (d.matchKindDeclaration() != null) {
            return new MatchKindDecl(pos(d), names(d.matchKindDeclaration().name()));
        } else if (d.functionDeclaration() != null) {
            FunctionDeclarationContext c = d.functionDeclaration();
            return new FunctionDecl(pos(c), annotations(c.annotations()), c.functionPrototype().name().getText());
        }
        return null; // a lone ';'
    }

    private static List<String> names(List<NameContext> names) {
        return names.stream().map(NameContext::getText).toList();
    }

    private List<String> typeParams(TypeParametersContext c) {
        return c == null ? List.of() : names(c.name());
    }

    private List<Field> fields(List<StructFieldContext> cs) {
        List<Field> out = new ArrayList<>();
        for (StructFieldContext f : cs) {
            out.add(new Field(pos(f), annotations(f.annotations()), type(f.typeRef()), f.name().getText()));
        }
        return out;
    }

    private Decl enumDecl(EnumDeclarationContext c) {
        if (c instanceof PlainEnumContext p) {
            List<String> members = names(p.name().subList(1, p.name().size()));
            return new EnumDecl(pos(p), annotations(p.annotations()), p.name(0).getText(), null, members, List.of());
        }
        SerializableEnumContext s = (SerializableEnumContext) c;
        List<String> members = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        for (SpecifiedNameContext n : s.specifiedName()) {
            members.add(n.name().getText());
            values.add(expr(n.expression()));
        }
        return new EnumDecl(pos(s), annotations(s.annotations()), s.name().getText(), type(s.typeRef()), members,
                values);
    }

    private ConstDecl constant(ConstantDeclarationContext c) {
        return new ConstDecl(pos(c), annotations(c.annotations()), type(c.typeRef()), c.name().getText(),
                expr(c.expression()));
    }

    private Decl extern(ExternDeclarationContext c) {
        if (c instanceof ExternFunctionContext f) {
            MethodProto proto = prototype(f.functionPrototype(), annotations(f.annotations()));
            return new ExternDecl(pos(f), annotations(f.annotations()), proto.name(), List.of(), List.of(), proto);
        }
        ExternObjectContext o = (ExternObjectContext) c;
        List<MethodProto> methods = new ArrayList<>();
        for (MethodPrototypeContext m : o.methodPrototype()) {
            if (m instanceof ConstructorPrototypeContext ctor) {
                methods.add(new MethodProto(pos(ctor), annotations(ctor.annotations()), null, ctor.name().getText(),
                        List.of(), params(ctor.parameterList())));
            } else {
                PlainMethodPrototypeContext pm = (PlainMethodPrototypeContext) m;
                methods.add(prototype(pm.functionPrototype(), annotations(pm.annotations())));
            }
        }
        return new ExternDecl(pos(o), annotations(o.annotations()), o.name().getText(), typeParams(o.typeParameters()),
                methods, null);
    }

    private MethodProto prototype(FunctionPrototypeContext f, Annotations annos) {
        TypeOrVoidContext t = f.typeOrVoid();
        TypeRef ret = t.typeRef() != null ? type(t.typeRef()) : new VoidType(pos(t));
        return new MethodProto(pos(f), annos, ret, f.name().getText(), typeParams(f.typeParameters()),
                params(f.parameterList()));
    }

    private List<Param> params(ParameterListContext c) {
        List<Param> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        for (ParameterContext p : c.parameter()) {
            Direction dir = Direction.NONE;
            if (p.direction() != null) {
                dir = switch (p.direction().getText()) {
                    case "in" -> Direction.IN;
                    case "out" -> Direction.OUT;
                    default -> Direction.INOUT;
                };
            }
            out.add(new Param(pos(p), annotations(p.annotations()), dir, type(p.typeRef()), p.name().getText(),
                    p.expression() == null ? null : expr(p.expression())));
        }
        return out;
    }

    private ActionDecl action(ActionDeclarationContext c) {
        return new ActionDecl(pos(c), annotations(c.annotations()), c.name().getText(), params(c.parameterList()),
                block(c.blockStatement()));
    }

    private Instantiation instantiation(InstantiationContext c) {
        return new Instantiation(pos(c), annotations(c.annotations()), type(c.typeRef()), args(c.argumentList()),
                c.name().getText());
    }

    private ParserDecl parser(ParserDeclarationContext c) {
        List<Param> ctor = c.parameterList().size() > 1 ? params(c.parameterList(1)) : List.of();
        List<LocalDecl> locals = new ArrayList<>();
        for (ParserLocalElementContext l : c.parserLocalElement()) {
            if (l.constantDeclaration() != null) {
                locals.add(constant(l.constantDeclaration()));
            } else if (l.variableDeclaration() != null) {
                locals.add(varDecl(l.variableDeclaration()));
            } else {
                locals.add(instantiation(l.instantiation()));
            }
        }
        List<ParserState> states = new ArrayList<>();
        for (ParserStateContext s : c.parserState()) {
            List<Stmt> stmts = new ArrayList<>();
            for (ParserStatementContext ps : s.parserStatement()) {
                stmts.add(parserStatement(ps));
            }
            states.add(new ParserState(pos(s), annotations(s.annotations()), s.name().getText(), stmts,
                    transition(s.transitionStatement(), s)));
        }
        return new ParserDecl(pos(c), annotations(c.annotations()), c.name().getText(), params(c.parameterList(0)),
                ctor, locals, states);
    }

    private Stmt parserStatement(ParserStatementContext ps) {
        if (ps.assignmentOrCall() != null) {
            return assignmentOrCall(ps.assignmentOrCall());
        } else if (ps.variableDeclaration() != null) {
            return varDecl(ps.variableDeclaration());
        } else if (ps.constantDeclaration() != null) {
            return constant(ps.constantDeclaration());
        } else if (ps.conditionalStatement() != null) {
            return conditional(ps.conditionalStatement());
        } else if (ps.getChild(0).getText().equals("{")) {
            List<Stmt> inner = new ArrayList<>();
            for (ParserStatementContext x : ps.parserStatement()) {
                inner.add(parserStatement(x));
            }
            return new Block(pos(ps), inner);
        }
        return new Empty(pos(ps));
    }

    private Transition transition(TransitionStatementContext t, ParserStateContext state) {
        if (t == null) {
            // The spec: a state without a transition statement transitions to reject.
            return new Transition(pos(state), "reject", null, null);
        }
        if (t instanceof DirectTransitionContext d) {
            return new Transition(pos(d), d.name().getText(), null, null);
        }
        SelectTransitionContext s = (SelectTransitionContext) t;
        List<Expr> exprs = s.expressionList().expression().stream().map(this::expr).toList();
        List<SelectCase> cases = new ArrayList<>();
        for (SelectCaseContext sc : s.selectCase()) {
            cases.add(new SelectCase(pos(sc), keysets(sc.keysetExpression()), sc.name().getText()));
        }
        return new Transition(pos(s), null, exprs, cases);
    }

    private List<Keyset> keysets(KeysetExpressionContext k) {
        if (k instanceof TupleKeysetContext t) {
            return t.simpleKeyset().stream().map(this::keyset).toList();
        }
        return List.of(keyset(((SingleKeysetContext) k).simpleKeyset()));
    }

    private Keyset keyset(SimpleKeysetContext k) {
        if (k instanceof DefaultKeysetContext || k instanceof DontCareKeysetContext) {
            return new DefaultKeyset(pos(k));
        } else if (k instanceof MaskKeysetContext m) {
            return new MaskKeyset(pos(m), expr(m.expression(0)), expr(m.expression(1)));
        } else if (k instanceof RangeKeysetContext r) {
            return new RangeKeyset(pos(r), expr(r.expression(0)), expr(r.expression(1)));
        }
        return new ValueKeyset(pos(k), expr(((ValueKeysetContext) k).expression()));
    }

    private ControlDecl control(ControlDeclarationContext c) {
        List<Param> ctor = c.parameterList().size() > 1 ? params(c.parameterList(1)) : List.of();
        List<LocalDecl> locals = new ArrayList<>();
        for (ControlLocalDeclarationContext l : c.controlLocalDeclaration()) {
            if (l.constantDeclaration() != null) {
                locals.add(constant(l.constantDeclaration()));
            } else if (l.actionDeclaration() != null) {
                locals.add(action(l.actionDeclaration()));
            } else if (l.tableDeclaration() != null) {
                locals.add(table(l.tableDeclaration()));
            } else if (l.instantiation() != null) {
                locals.add(instantiation(l.instantiation()));
            } else {
                locals.add(varDecl(l.variableDeclaration()));
            }
        }
        return new ControlDecl(pos(c), annotations(c.annotations()), c.name().getText(), params(c.parameterList(0)),
                ctor, locals, block(c.blockStatement()));
    }

    private TableDecl table(TableDeclarationContext c) {
        List<KeyElement> keys = new ArrayList<>();
        List<ActionRef> actions = new ArrayList<>();
        List<TableEntry> entries = null;
        boolean entriesConst = false;
        List<TableProperty> props = new ArrayList<>();
        for (TablePropertyContext p : c.tableProperty()) {
            if (p instanceof KeyPropertyContext k) {
                for (KeyElementContext e : k.keyElement()) {
                    keys.add(new KeyElement(pos(e), expr(e.expression()), e.name().getText(),
                            annotations(e.annotations())));
                }
            } else if (p instanceof ActionsPropertyContext a) {
                for (ActionRefContext r : a.actionRef()) {
                    actions.add(actionRef(r));
                }
            } else if (p instanceof EntriesPropertyContext e) {
                entries = new ArrayList<>();
                entriesConst = e.isConst != null;
                for (EntryContext en : e.entry()) {
                    entries.add(new TableEntry(pos(en), en.expression() == null ? null : expr(en.expression()),
                            keysets(en.keysetExpression()), actionRef(en.actionRef())));
                }
            } else {
                SimplePropertyContext s = (SimplePropertyContext) p;
                props.add(new TableProperty(pos(s), annotations(s.annotations()), s.isConst != null,
                        s.name().getText(), expr(s.expression())));
            }
        }
        return new TableDecl(pos(c), annotations(c.annotations()), c.name().getText(), keys, actions, entries,
                entriesConst, props);
    }

    private ActionRef actionRef(ActionRefContext r) {
        return new ActionRef(pos(r), annotations(r.annotations()), r.name().getText(),
                r.argumentList() == null ? null : args(r.argumentList()));
    }

    // ------------------------------------------------------------------ annotations and types

    private Annotations annotations(AnnotationsContext c) {
        if (c == null) {
            return Annotations.NONE;
        }
        List<Annotation> list = new ArrayList<>();
        for (AnnotationContext a : c.annotation()) {
            List<String> toks = new ArrayList<>();
            if (a.annotationBody() != null) {
                collectTokens(a.annotationBody(), toks);
            }
            list.add(new Annotation(pos(a), a.name().getText(), toks));
        }
        return new Annotations(list);
    }

    private static void collectTokens(ParserRuleContext ctx, List<String> out) {
        for (int i = 0; i < ctx.getChildCount(); i++) {
            var child = ctx.getChild(i);
            if (child instanceof ParserRuleContext r) {
                collectTokens(r, out);
            } else {
                out.add(child.getText());
            }
        }
    }

    private TypeRef type(TypeRefContext c) {
        if (c instanceof BaseTypeRefContext b) {
            BaseTypeContext bt = b.baseType();
            String first = bt.getChild(0).getText();
            boolean sized = bt.widthExpr() != null;
            return switch (first) {
                case "bool" -> new BoolType(pos(bt));
                case "error" -> new ErrorType(pos(bt));
                case "string" -> new StringType(pos(bt));
                case "bit" -> sized ? new BitsType(pos(bt), width(bt.widthExpr()), false)
                        : new BitsType(pos(bt), new IntLit(pos(bt), BigInteger.ONE, Optional.empty(), false), false);
                case "int" -> sized ? new BitsType(pos(bt), width(bt.widthExpr()), true) : new InfIntType(pos(bt));
                default -> new VarbitType(pos(bt), width(bt.widthExpr()));
            };
        } else if (c instanceof SpecializedTypeRefContext s) {
            return new NamedType(pos(s), s.name().getText(), typeArgs(s.typeArgs()));
        } else if (c instanceof NamedTypeRefContext n) {
            return new NamedType(pos(n), n.name().getText(), List.of());
        } else if (c instanceof HeaderStackTypeRefContext h) {
            return new StackType(pos(h), type(h.typeRef()), expr(h.expression()));
        }
        TupleTypeRefContext t = (TupleTypeRefContext) c;
        return new TupleType(pos(t), typeArgs(t.typeArgs()));
    }

    private Expr width(WidthExprContext w) {
        return w.INTEGER() != null ? intLiteral(w.INTEGER().getSymbol()) : expr(w.expression());
    }

    private List<TypeRef> typeArgs(TypeArgsContext c) {
        if (c == null) {
            return List.of();
        }
        List<TypeRef> out = new ArrayList<>();
        for (TypeArgContext a : c.typeArg()) {
            if (a.typeRef() != null) {
                out.add(type(a.typeRef()));
            } else if (a.getText().equals("void")) {
                out.add(new VoidType(pos(a)));
            } else {
                out.add(new DontCareType(pos(a)));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ statements

    private Block block(BlockStatementContext c) {
        List<Stmt> stmts = new ArrayList<>();
        for (StatementContext s : c.statement()) {
            stmts.add(statement(s));
        }
        return new Block(pos(c), stmts);
    }

    private Stmt statement(StatementContext s) {
        if (s.assignmentOrCall() != null) {
            return assignmentOrCall(s.assignmentOrCall());
        } else if (s.conditionalStatement() != null) {
            return conditional(s.conditionalStatement());
        } else if (s.blockStatement() != null) {
            return block(s.blockStatement());
        } else if (s.switchStatement() != null) {
            return switchStmt(s.switchStatement());
        } else if (s.variableDeclaration() != null) {
            return varDecl(s.variableDeclaration());
        } else if (s.constantDeclaration() != null) {
            return constant(s.constantDeclaration());
        }
        String first = s.getChild(0).getText();
        return switch (first) {
            case "exit" -> new Exit(pos(s));
            case "return" -> new Return(pos(s), s.expression() == null ? null : expr(s.expression()));
            default -> new Empty(pos(s));
        };
    }

    private Stmt assignmentOrCall(AssignmentOrCallContext c) {
        if (c instanceof AssignmentContext a) {
            return new Assign(pos(a), expr(a.expression(0)), expr(a.expression(1)));
        }
        Expr e = expr(((CallStatementContext) c).expression());
        if (!(e instanceof Call call)) {
            throw error(c, "an expression statement must be a method or function call");
        }
        return new CallStmt(pos(c), call);
    }

    private Stmt conditional(ConditionalStatementContext c) {
        return new If(pos(c), expr(c.expression()), statement(c.statement(0)),
                c.statement().size() > 1 ? statement(c.statement(1)) : null);
    }

    private Stmt switchStmt(SwitchStatementContext c) {
        List<SwitchCase> cases = new ArrayList<>();
        for (SwitchCaseContext sc : c.switchCase()) {
            SwitchLabelContext l = sc.switchLabel();
            Expr label = l.expression() == null ? null : expr(l.expression());
            cases.add(new SwitchCase(pos(sc), label, sc.blockStatement() == null ? null : block(sc.blockStatement())));
        }
        return new Switch(pos(c), expr(c.expression()), cases);
    }

    private VarDecl varDecl(VariableDeclarationContext c) {
        return new VarDecl(pos(c), annotations(c.annotations()), type(c.typeRef()), c.name().getText(),
                c.expression() == null ? null : expr(c.expression()));
    }

    // ------------------------------------------------------------------ expressions

    private List<Arg> args(ArgumentListContext c) {
        List<Arg> out = new ArrayList<>();
        if (c == null) {
            return out;
        }
        for (ArgumentContext a : c.argument()) {
            if (a instanceof NamedArgumentContext n) {
                out.add(new Arg(pos(n), n.name().getText(), expr(n.expression())));
            } else if (a instanceof DontCareArgumentContext d) {
                out.add(new Arg(pos(d), null, null));
            } else {
                out.add(new Arg(pos(a), null, expr(((PositionalArgumentContext) a).expression())));
            }
        }
        return out;
    }

    private Expr expr(ExpressionContext c) {
        if (c instanceof IntLiteralContext i) {
            return intLiteral(i.INTEGER().getSymbol());
        } else if (c instanceof StringLiteralContext s) {
            String t = s.getText();
            return new StringLit(pos(s), t.substring(1, t.length() - 1));
        } else if (c instanceof BoolLiteralContext b) {
            return new BoolLit(pos(b), b.getText().equals("true"));
        } else if (c instanceof NameExprContext n) {
            return new NameRef(pos(n), n.getText());
        } else if (c instanceof ErrorMemberContext e) {
            return new ErrorMember(pos(e), e.name().getText());
        } else if (c instanceof MemberExprContext m) {
            return new Member(pos(m), expr(m.expression()), m.name().getText());
        } else if (c instanceof SliceExprContext s) {
            return new Slice(pos(s), expr(s.expression(0)), expr(s.expression(1)), expr(s.expression(2)));
        } else if (c instanceof IndexExprContext x) {
            return new Index(pos(x), expr(x.expression(0)), expr(x.expression(1)));
        } else if (c instanceof CallExprContext call) {
            return new Call(pos(call), expr(call.expression()), typeArgs(call.typeArgs()), args(call.argumentList()));
        } else if (c instanceof StructExprContext se) {
            return new StructExpr(pos(se), se.namedExpression().stream().map(n -> n.name().getText()).toList(),
                    se.namedExpression().stream().map(n -> expr(n.expression())).toList());
        } else if (c instanceof ListExprContext l) {
            List<Expr> elems = l.expressionList() == null ? List.of()
                    : l.expressionList().expression().stream().map(this::expr).toList();
            return new ListExpr(pos(l), elems);
        } else if (c instanceof ParenExprContext p) {
            return expr(p.expression());
        } else if (c instanceof CastExprContext cast) {
            return new Cast(pos(cast), type(cast.typeRef()), expr(cast.expression()));
        } else if (c instanceof UnaryExprContext u) {
            return new Unary(pos(u), u.op.getText(), expr(u.expression()));
        } else if (c instanceof BinaryExprContext b) {
            return new Binary(pos(b.op), b.op.getText(), expr(b.expression(0)), expr(b.expression(1)));
        } else if (c instanceof ShiftExprContext s) {
            if (s.op == null) {
                if (s.gt2.getStartIndex() != s.gt1.getStopIndex() + 1) {
                    throw new FrontendException(pos(s.gt1) + ": syntax error: '> >' is not a shift; write '>>'");
                }
                return new Binary(pos(s.gt1), ">>", expr(s.expression(0)), expr(s.expression(1)));
            }
            return new Binary(pos(s.op), "<<", expr(s.expression(0)), expr(s.expression(1)));
        } else if (c instanceof TernaryExprContext t) {
            return new Ternary(pos(t), expr(t.expression(0)), expr(t.expression(1)), expr(t.expression(2)));
        }
        throw error(c, "unsupported expression: " + c.getText());
    }

    /** Parses {@code 42}, {@code 0x2A}, {@code 0b101}, {@code 0o52}, {@code 8w42}, {@code 8s-..}, with '_' separators. */
    private IntLit intLiteral(Token t) {
        String text = t.getText().replace("_", "");
        Pos p = pos(t);
        Optional<Integer> width = Optional.empty();
        boolean signed = false;
        Matcher m = SIZED_INT.matcher(text);
        if (m.matches()) {
            width = Optional.of(Integer.parseInt(m.group(1)));
            signed = m.group(2).equals("s");
            text = m.group(3);
        }
        BigInteger value;
        try {
            String lower = text.toLowerCase();
            if (lower.startsWith("0x")) {
                value = new BigInteger(lower.substring(2), 16);
            } else if (lower.startsWith("0b")) {
                value = new BigInteger(lower.substring(2), 2);
            } else if (lower.startsWith("0o")) {
                value = new BigInteger(lower.substring(2), 8);
            } else if (lower.startsWith("0d")) {
                value = new BigInteger(lower.substring(2), 10);
            } else {
                value = new BigInteger(lower, 10);
            }
        } catch (NumberFormatException e) {
            throw new FrontendException(p + ": malformed integer literal '" + t.getText() + "'");
        }
        if (width.isPresent() && width.get() == 0) {
            throw new FrontendException(p + ": integer literal '" + t.getText() + "' has width 0");
        }
        return new IntLit(p, value, width, signed);
    }
}
