package org.sfc.sw.frontend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the C preprocessor that P4 programs use: {@code #include "file"} (relative to the including
 * file, then the include path), {@code #include <file>} (p4c's own p4include directory where p4c is installed,
 * so a program is checked against the same {@code core.p4}/{@code v1model.p4}/{@code tna.p4} as the real compiler;
 * else the switch's built-in ones; {@code SFC_P4INCLUDE} names another directory, or
 * {@code builtin}), object-like and function-like {@code #define}/{@code #undef}, and
 * {@code #ifdef/#ifndef/#if/#elif/#else/#endif} where {@code #if} takes C's integer expressions.
 *
 * <p>The output is one text plus a {@link SourceMap} from output lines back to original files, so every
 * later error can name the file and line the user wrote. Function-like macros are rejected with a clear
 * message rather than expanded wrongly.
 */
public final class Preprocessor {
    /** Output text and where each of its lines came from. */
    public record Result(String text, SourceMap sourceMap) {}

    private static final Pattern DIRECTIVE = Pattern.compile("^\\s*#\\s*(\\w+)\\s*(.*)$");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> BUILTIN_INCLUDES = Set.of("core.p4", "v1model.p4", "tna.p4");
    private static final int MAX_INCLUDE_DEPTH = 64;

    private static volatile Optional<Path> p4cIncludes;

    private final List<Path> includePath;
    private final Optional<Path> systemIncludes;
    private final Map<String, String> macros = new HashMap<>();
    /** Parameter names of function-like macros (absent for object-like ones). */
    private final Map<String, List<String>> macroParams = new HashMap<>();
    private String where = "";
    private final StringBuilder out = new StringBuilder();
    private final SourceMap.Builder map = new SourceMap.Builder();
    private final Set<String> includedOnce = new HashSet<>();

    public Preprocessor(List<Path> includePath, Map<String, String> predefined) {
        this(includePath, predefined, p4cIncludeDir());
    }

    private Preprocessor(List<Path> includePath, Map<String, String> predefined, Optional<Path> systemIncludes) {
        this.includePath = List.copyOf(includePath);
        this.macros.putAll(predefined);
        this.systemIncludes = systemIncludes;
    }

    /** As {@link #run(Path, List)}, with the switch's built-in {@code <...>} includes even where p4c's exist. */
    public static Result runWithBuiltinIncludes(Path file, List<Path> includePath) throws IOException {
        return new Preprocessor(includePath, Map.of(), Optional.empty()).runFile(file);
    }

    private Result runFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FrontendException(file + ": no such file");
        }
        process(file.toString(), Files.readString(file, StandardCharsets.UTF_8), file.toAbsolutePath().getParent(), 0);
        return result();
    }

    /** Preprocesses a file on disk. */
    public static Result run(Path file, List<Path> includePath) throws IOException {
        return run(file, includePath, Map.of());
    }

    /** As {@link #run(Path, List)}, with macros defined up front (like {@code -DNAME=VALUE}). */
    public static Result run(Path file, List<Path> includePath, Map<String, String> defines) throws IOException {
        return new Preprocessor(includePath, defines).runFile(file);
    }

    /** Preprocesses program text that has no file of its own (e.g. a pipeline pushed over P4Runtime). */
    public static Result runText(String name, String text) {
        Preprocessor p = new Preprocessor(List.of(), Map.of());
        p.process(name, text, null, 0);
        return p.result();
    }

    public Result result() {
        return new Result(out.toString(), map.build());
    }

    /**
     * Where {@code <file>} includes come from before the built-in ones: {@code SFC_P4INCLUDE} (a directory, or
     * {@code builtin} for none), else p4c's {@code share/p4c/p4include} beside the {@code p4c} on PATH.
     */
    public static Optional<Path> p4cIncludeDir() {
        Optional<Path> dir = p4cIncludes;
        if (dir == null) {
            dir = findP4cIncludeDir();
            p4cIncludes = dir;
        }
        return dir;
    }

    private static Optional<Path> findP4cIncludeDir() {
        String forced = System.getenv("SFC_P4INCLUDE");
        if (forced != null && !forced.isBlank()) {
            return forced.equals("builtin") ? Optional.empty() : Optional.of(Path.of(forced));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p4c = dir.isEmpty() ? null : Path.of(dir, "p4c");
            if (p4c == null || !Files.isExecutable(p4c)) {
                continue;
            }
            try {
                Path share = p4c.toRealPath().getParent().getParent().resolve("share/p4c/p4include");
                if (Files.isRegularFile(share.resolve("core.p4"))) {
                    return Optional.of(share);
                }
            } catch (IOException | NullPointerException unresolvable) {
                // a p4c we cannot follow: use the built-in includes
            }
        }
        return Optional.empty();
    }

    /** Reads a built-in include (core.p4, v1model.p4, tna.p4) shipped with the switch. */
    public static String builtinInclude(String name) {
        try (InputStream in = Preprocessor.class.getResourceAsStream("/org/sfc/sw/p4include/" + name)) {
            if (in == null) {
                throw new IllegalStateException("built-in include missing from the jar: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in include " + name, e);
        }
    }

    private record Cond(boolean parentActive, boolean taken, boolean active) {}

    private void process(String fileName, String text, Path dir, int depth) {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new FrontendException(fileName + ":1:1: #include nested more than " + MAX_INCLUDE_DEPTH
                    + " deep; is there an include cycle without an include guard?");
        }
        String[] lines = text.split("\r?\n", -1);
        Deque<Cond> conds = new ArrayDeque<>();
        boolean inBlockComment = false;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            // Join backslash-continued lines; the output keeps the first line's number.
            while (line.endsWith("\\") && i + 1 < lines.length) {
                line = line.substring(0, line.length() - 1) + " " + lines[++i];
                emitBlank(fileName, lineNo);
                lineNo = i + 1;
            }
            boolean active = conds.isEmpty() || conds.peek().active();
            Matcher d = inBlockComment ? null : DIRECTIVE.matcher(line);
            if (d != null && d.matches()) {
                String what = d.group(1);
                String rest = stripComment(d.group(2)).trim();
                String where = fileName + ":" + lineNo + ":1";
                switch (what) {
                    case "ifdef", "ifndef" -> {
                        boolean defined = macros.containsKey(firstWord(rest, where, what));
                        boolean cond = what.equals("ifdef") == defined;
                        conds.push(new Cond(active, cond, active && cond));
                    }
                    case "if" -> {
                        boolean cond = active && evalCondition(rest, where) != 0;
                        conds.push(new Cond(active, cond, active && cond));
                    }
                    case "elif" -> {
                        Cond c = popFor(conds, where, what);
                        boolean cond = !c.taken() && c.parentActive() && evalCondition(rest, where) != 0;
                        conds.push(new Cond(c.parentActive(), c.taken() || cond, c.parentActive() && cond));
                    }
                    case "else" -> {
                        Cond c = popFor(conds, where, what);
                        conds.push(new Cond(c.parentActive(), true, c.parentActive() && !c.taken()));
                    }
                    case "endif" -> popFor(conds, where, what);
                    case "define" -> {
                        if (active) {
                            define(rest, where);
                        }
                    }
                    case "undef" -> {
                        if (active) {
                            macros.remove(firstWord(rest, where, what));
                        }
                    }
                    case "include" -> {
                        if (active) {
                            include(rest, where, dir, depth);
                        }
                    }
                    case "pragma" -> {
                        if (active && rest.equals("once")) {
                            includedOnce.add(fileName);
                        }
                    }
                    case "error" -> {
                        if (active) {
                            throw new FrontendException(where + ": #error " + rest);
                        }
                    }
                    case "warning", "line" -> { /* nothing to do */ }
                    default -> throw new FrontendException(where + ": unknown preprocessor directive #" + what);
                }
                emitBlank(fileName, lineNo);
                continue;
            }
            if (active) {
                this.where = fileName + ":" + lineNo + ":1";
                emit(fileName, lineNo, expand(line, new HashSet<>()));
            } else {
                emitBlank(fileName, lineNo);
            }
            inBlockComment = endsInsideBlockComment(line, inBlockComment);
        }
        if (!conds.isEmpty()) {
            throw new FrontendException(fileName + ":" + lines.length + ":1: missing #endif at end of file");
        }
    }

    private static Cond popFor(Deque<Cond> conds, String where, String what) {
        if (conds.isEmpty()) {
            throw new FrontendException(where + ": #" + what + " without a matching #if/#ifdef/#ifndef");
        }
        return conds.pop();
    }

    private static String firstWord(String rest, String where, String what) {
        Matcher m = IDENT.matcher(rest);
        if (!m.lookingAt()) {
            throw new FrontendException(where + ": #" + what + " needs a macro name");
        }
        return m.group();
    }

    /** The name a variadic macro's {@code ...} is used by in its body. */
    private static final String VARIADIC = "__VA_ARGS__";

    private void define(String rest, String where) {
        Matcher m = IDENT.matcher(rest);
        if (!m.lookingAt()) {
            throw new FrontendException(where + ": #define needs a macro name");
        }
        String name = m.group();
        String body = rest.substring(m.end());
        macroParams.remove(name);
        if (body.startsWith("(")) {
            int close = body.indexOf(')');
            if (close < 0) {
                throw new FrontendException(where + ": #define " + name + "( is missing ')'");
            }
            List<String> params = new ArrayList<>();
            String[] declared = body.substring(1, close).split(",");
            for (int k = 0; k < declared.length; k++) {
                String p = declared[k];
                if (p.trim().equals("...") && k == declared.length - 1) {
                    params.add(VARIADIC); // cpp: the remaining arguments, commas and all
                } else if (!p.isBlank()) {
                    if (!p.trim().matches("[A-Za-z_]\\w*")) {
                        throw new FrontendException(where + ": unsupported macro parameter '" + p.trim() + "' in " + name);
                    }
                    params.add(p.trim());
                }
            }
            body = body.substring(close + 1);
            if (body.contains("#")) {
                throw new FrontendException(where + ": unsupported: # and ## in macro " + name);
            }
            macroParams.put(name, params);
        }
        macros.put(name, body.trim());
    }

    private void include(String rest, String where, Path dir, int depth) {
        String target;
        boolean system;
        if (rest.startsWith("\"") && rest.indexOf('"', 1) > 0) {
            target = rest.substring(1, rest.indexOf('"', 1));
            system = false;
        } else if (rest.startsWith("<") && rest.indexOf('>') > 0) {
            target = rest.substring(1, rest.indexOf('>'));
            system = true;
        } else {
            throw new FrontendException(where + ": #include needs \"file\" or <file>");
        }
        if (system && target.equals("tna.p4")) {
            // bf-p4c defines the target (1 for --target tofino) and tna.p4 refuses to be read without it: the
            // software switch models Tofino 1.
            macros.putIfAbsent("__TARGET_TOFINO__", "1");
        }
        Path fromP4c = system ? systemIncludes.map(d -> d.resolve(target)).filter(Files::isRegularFile).orElse(null) : null;
        if (fromP4c == null && BUILTIN_INCLUDES.contains(target) && (system || findFile(target, dir) == null)) {
            String key = "<" + target + ">";
            if (includedOnce.add(key)) {
                process(key, builtinInclude(target), null, depth + 1);
            }
            return;
        }
        Path found = fromP4c != null ? fromP4c : findFile(target, system ? null : dir);
        if (found == null) {
            throw new FrontendException(where + ": cannot find include file " + (system ? "<" + target + ">"
                    : "\"" + target + "\"") + (system ? "; built-in includes are " + BUILTIN_INCLUDES
                    : "; looked in " + (dir == null ? "" : dir + " and ") + "the include path " + includePath));
        }
        String name = found.toString();
        if (includedOnce.contains(name)) {
            return;
        }
        try {
            process(name, Files.readString(found, StandardCharsets.UTF_8), found.toAbsolutePath().getParent(),
                    depth + 1);
        } catch (IOException e) {
            throw new FrontendException(where + ": cannot read " + found + ": " + e.getMessage());
        }
    }

    private Path findFile(String target, Path dir) {
        if (dir != null && Files.isRegularFile(dir.resolve(target))) {
            return dir.resolve(target).normalize();
        }
        for (Path p : includePath) {
            if (Files.isRegularFile(p.resolve(target))) {
                return p.resolve(target).normalize();
            }
        }
        return null;
    }

    private void emit(String file, int line, String text) {
        out.append(text).append('\n');
        map.add(file, line);
    }

    private void emitBlank(String file, int line) {
        emit(file, line, "");
    }

    /** Replaces defined macro names outside string literals, rescanning replacements like cpp. */
    private String expand(String line, Set<String> expanding) {
        if (macros.isEmpty()) {
            return line;
        }
        StringBuilder sb = new StringBuilder(line.length());
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') {
                int end = i + 1;
                while (end < line.length() && line.charAt(end) != '"') {
                    end += line.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, line.length());
                sb.append(line, i, end);
                i = end;
            } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                sb.append(line, i, line.length());
                break;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
                    end++;
                }
                String word = line.substring(i, end);
                boolean numberSuffix = i > 0 && Character.isDigit(line.charAt(i - 1));
                if (!numberSuffix && macros.containsKey(word) && !expanding.contains(word)) {
                    List<String> params = macroParams.get(word);
                    if (params == null) {
                        expanding.add(word);
                        sb.append(expand(macros.get(word), expanding));
                        expanding.remove(word);
                        i = end;
                        continue;
                    }
                    int open = end;
                    while (open < line.length() && Character.isWhitespace(line.charAt(open))) {
                        open++;
                    }
                    if (open >= line.length() || line.charAt(open) != '(') {
                        sb.append(word); // a function-like macro name without arguments is not expanded
                        i = end;
                        continue;
                    }
                    List<String> args = new ArrayList<>();
                    int close = splitArgs(line, open, args);
                    if (close < 0) {
                        throw new FrontendException(where + ": unsupported: the arguments of macro " + word
                                + " must close on the same line");
                    }
                    if (args.size() == 1 && args.get(0).isBlank() && params.isEmpty()) {
                        args.clear();
                    }
                    boolean variadic = !params.isEmpty() && params.get(params.size() - 1).equals(VARIADIC);
                    if (variadic && args.size() >= params.size()) {
                        List<String> rest = args.subList(params.size() - 1, args.size());
                        String joined = String.join(",", rest);
                        rest.clear();
                        args.add(joined);
                    }
                    if (variadic ? args.size() < params.size() - 1 : args.size() != params.size()) {
                        throw new FrontendException(where + ": macro " + word + " takes "
                                + (variadic ? "at least " + (params.size() - 1) : params.size())
                                + " arguments, got " + args.size());
                    }
                    Map<String, String> bind = new HashMap<>();
                    for (int k = 0; k < params.size(); k++) {
                        bind.put(params.get(k), k < args.size() ? expand(args.get(k).trim(), expanding) : "");
                    }
                    expanding.add(word);
                    sb.append(expand(substitute(macros.get(word), bind), expanding));
                    expanding.remove(word);
                    i = close + 1;
                } else {
                    sb.append(word);
                    i = end;
                }
            } else if (Character.isDigit(c)) {
                int end = i + 1;
                while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
                    end++;
                }
                sb.append(line, i, end);
                i = end;
            } else {
                sb.append(c);
                i++;
            }
        }
        return sb.toString();
    }

    /** Splits the arguments of a macro call starting at '(' (index {@code open}); returns the index of ')'. */
    private static int splitArgs(String line, int open, List<String> args) {
        int depth = 0;
        StringBuilder cur = new StringBuilder();
        boolean inString = false;
        for (int i = open; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                cur.append(c);
                if (c == '"' && line.charAt(i - 1) != '\\') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
                cur.append(c);
            } else if (c == '(') {
                if (depth++ > 0) {
                    cur.append(c);
                }
            } else if (c == ')') {
                if (--depth == 0) {
                    args.add(cur.toString());
                    return i;
                }
                cur.append(c);
            } else if (c == ',' && depth == 1) {
                args.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        return -1;
    }

    /** Replaces parameter names (whole identifiers) in a macro body by their arguments. */
    private static String substitute(String body, Map<String, String> bind) {
        Matcher m = IDENT.matcher(body);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            String rep = bind.get(m.group());
            if (rep != null && (m.start() == 0 || !Character.isDigit(body.charAt(m.start() - 1)))) {
                sb.append(body, last, m.start()).append(rep);
                last = m.end();
            }
        }
        return sb.append(body.substring(last)).toString();
    }

    private static String stripComment(String s) {
        int k = s.indexOf("//");
        if (k >= 0) {
            s = s.substring(0, k);
        }
        return s.replaceAll("/\\*.*?\\*/", " ");
    }

    private static boolean endsInsideBlockComment(String line, boolean inside) {
        int i = 0;
        boolean inString = false;
        while (i < line.length()) {
            if (inside) {
                int end = line.indexOf("*/", i);
                if (end < 0) {
                    return true;
                }
                inside = false;
                i = end + 2;
            } else {
                char c = line.charAt(i);
                if (c == '"') {
                    inString = !inString;
                } else if (!inString && line.startsWith("//", i)) {
                    return false;
                } else if (!inString && line.startsWith("/*", i)) {
                    inside = true;
                    i += 2;
                    continue;
                }
                i++;
            }
        }
        return inside;
    }

    // ---- #if expression: defined(X) / defined X, integers (decimal, hex), macros (undefined ones are 0),
    // unary ! ~ - +, and C's binary operators with C's precedence (p4c's own v1model.p4 tests
    // V1MODEL_VERSION >= 20200408).

    private long evalCondition(String expr, String where) {
        return new CondParser(expr, where).parse();
    }

    private final class CondParser {
        /** Binary operators by precedence, loosest first. */
        private static final List<List<String>> LEVELS = List.of(List.of("||"), List.of("&&"), List.of("|"),
                List.of("^"), List.of("&"), List.of("==", "!="), List.of("<", "<=", ">", ">="), List.of("<<", ">>"),
                List.of("+", "-"), List.of("*", "/", "%"));
        private static final Pattern TOKEN = Pattern.compile("\\s*(defined|[A-Za-z_]\\w*|0[xX][0-9a-fA-F]+[uUlL]*"
                + "|\\d+[uUlL]*|&&|\\|\\||==|!=|<=|>=|<<|>>|[!~()<>+\\-*/%&|^])");
        private final List<String> toks = new ArrayList<>();
        private final String where;
        private int p;

        CondParser(String expr, String where) {
            this.where = where;
            Matcher m = TOKEN.matcher(expr);
            int pos = 0;
            while (pos < expr.length()) {
                if (!m.find(pos) || m.start() != pos) {
                    if (expr.substring(pos).isBlank()) {
                        break;
                    }
                    throw new FrontendException(where + ": unsupported #if expression: " + expr);
                }
                toks.add(m.group(1));
                pos = m.end();
            }
        }

        long parse() {
            long v = binary(0);
            if (p != toks.size()) {
                throw new FrontendException(where + ": cannot parse #if expression near '" + toks.get(p) + "'");
            }
            return v;
        }

        private long binary(int level) {
            if (level == LEVELS.size()) {
                return unary();
            }
            long v = binary(level + 1);
            while (p < toks.size() && LEVELS.get(level).contains(toks.get(p))) {
                String op = toks.get(p++);
                long r = binary(level + 1);
                v = apply(op, v, r);
            }
            return v;
        }

        private long apply(String op, long a, long b) {
            return switch (op) {
                case "||" -> a != 0 || b != 0 ? 1 : 0;
                case "&&" -> a != 0 && b != 0 ? 1 : 0;
                case "|" -> a | b;
                case "^" -> a ^ b;
                case "&" -> a & b;
                case "==" -> a == b ? 1 : 0;
                case "!=" -> a != b ? 1 : 0;
                case "<" -> a < b ? 1 : 0;
                case "<=" -> a <= b ? 1 : 0;
                case ">" -> a > b ? 1 : 0;
                case ">=" -> a >= b ? 1 : 0;
                case "<<" -> a << b;
                case ">>" -> a >> b;
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                default -> {
                    if (b == 0) {
                        throw new FrontendException(where + ": division by zero in #if expression");
                    }
                    yield op.equals("/") ? a / b : a % b;
                }
            };
        }

        private long unary() {
            if (p >= toks.size()) {
                throw new FrontendException(where + ": #if expression ends too early");
            }
            String t = toks.get(p++);
            switch (t) {
                case "!":
                    return unary() == 0 ? 1 : 0;
                case "~":
                    return ~unary();
                case "-":
                    return -unary();
                case "+":
                    return unary();
                case "(": {
                    long v = binary(0);
                    expect(")");
                    return v;
                }
                case "defined": {
                    boolean paren = p < toks.size() && toks.get(p).equals("(");
                    if (paren) {
                        p++;
                    }
                    String name = toks.get(p++);
                    if (paren) {
                        expect(")");
                    }
                    return macros.containsKey(name) ? 1 : 0;
                }
                default:
                    if (Character.isDigit(t.charAt(0))) {
                        String digits = t.replaceAll("[uUlL]+$", "");
                        return digits.matches("0[xX].*") ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
                    }
                    String body = macros.get(t);
                    if (body == null || body.isBlank()) {
                        return 0; // cpp: an undefined identifier is 0
                    }
                    return new CondParser(body, where).parse();
            }
        }

        private void expect(String t) {
            if (p >= toks.size() || !toks.get(p).equals(t)) {
                throw new FrontendException(where + ": expected '" + t + "' in #if expression");
            }
            p++;
        }
    }
}
