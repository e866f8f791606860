package org.sfc.sw.frontend;

import java.util.List;

/**
 * A P4 program the front end cannot accept. The message lists every problem found, one per line, each as
 * {@code file:line:col: message}.
 */
public class FrontendException extends RuntimeException {
    private final List<String> problems;

    public FrontendException(String problem) {
        this(List.of(problem));
    }

    public FrontendException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
