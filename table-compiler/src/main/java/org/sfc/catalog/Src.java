package org.sfc.catalog;

/** Where a catalog value was written: {@code file:line:col}, for error messages. */
public record Src(String file, int line, int col) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }
}
