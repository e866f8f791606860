package org.sfc.sw.exec;

/** A compiled expression producing a scalar (bits, bool as 0/1, enum, error code). */
@FunctionalInterface
public interface LongExpr {
    long eval(Frame f);
}
