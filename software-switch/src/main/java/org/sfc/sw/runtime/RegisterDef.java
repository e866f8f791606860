package org.sfc.sw.runtime;

/** A register array; values are stored masked to the element width. */
public final class RegisterDef {
    public final String name;
    public final org.sfc.sw.ast.Ast.Annotations annotations;
    public final int size;
    public final int width;
    public final long[] values;
    public int id;

    public RegisterDef(String name, org.sfc.sw.ast.Ast.Annotations annotations, int size, int width) {
        this.name = name;
        this.annotations = annotations;
        this.size = size;
        this.width = width;
        this.values = new long[size];
    }
}
