package org.sfc.sw.runtime;

/** A direct meter: one meter per entry of its table (the state lives in each entry). */
public final class DirectMeterDef {
    public final String name;
    public final org.sfc.sw.ast.Ast.Annotations annotations;
    public final String unit;
    public int id;
    public TableDef table;

    public DirectMeterDef(String name, org.sfc.sw.ast.Ast.Annotations annotations, String unit) {
        this.name = name;
        this.annotations = annotations;
        this.unit = unit;
    }
}
