package org.sfc.catalog;

import java.util.List;

/** A catalog that cannot be used: every problem, one per line, as {@code file:line:col: message}. */
public class CatalogException extends RuntimeException {
    private final List<String> problems;

    public CatalogException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
