package org.sfc.sw.frontend;

import java.util.ArrayList;
import java.util.List;

import org.sfc.sw.ast.Ast.Pos;

/** Maps a line of preprocessed text back to the file and line it was written in. */
public final class SourceMap {
    private final String[] files;
    private final int[] lines;

    private SourceMap(String[] files, int[] lines) {
        this.files = files;
        this.lines = lines;
    }

    /** Position of (1-based line, 0-based column) of the preprocessed text, in original terms. */
    public Pos position(int line, int column) {
        if (line < 1 || line > lines.length) {
            return new Pos("<input>", line, column + 1);
        }
        return new Pos(files[line - 1], lines[line - 1], column + 1);
    }

    /** A map for text that was not preprocessed: line N is line N of {@code file}. */
    public static SourceMap identity(String file, int lineCount) {
        Builder b = new Builder();
        for (int i = 1; i <= lineCount; i++) {
            b.add(file, i);
        }
        return b.build();
    }

    static final class Builder {
        private final List<String> files = new ArrayList<>();
        private final List<Integer> lines = new ArrayList<>();

        void add(String file, int line) {
            files.add(file);
            lines.add(line);
        }

        SourceMap build() {
            return new SourceMap(files.toArray(String[]::new), lines.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
