package org.sfc.sw.exec;

/** A compiled statement. */
@FunctionalInterface
public interface Exec {
    Exec NOTHING = f -> { };

    void run(Frame f);
}
