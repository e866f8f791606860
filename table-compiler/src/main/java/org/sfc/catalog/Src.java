package org.sfc.catalog;

/**
 * Where a catalog value was written: {@code file:line:col}, for error messages. Where something was written
 * is not part of what it is: every two Srcs are equal, so catalog records compare by content (a service moved
 * down the file, or re-read from another file, is the same service).
 */
public record Src(String file, int line, int col) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Src;
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }
}
