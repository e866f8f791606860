package org.sfc.sw.runtime;

/** A direct counter: one counter per entry of its table (the state lives in each entry). */
public final class DirectCounterDef {
    public final String name;
    public final org.sfc.sw.ast.Ast.Annotations annotations;
    public final String unit;
    /**
     * TNA's DirectCounter counts where an action of the table calls count(); v1model's direct_counter counts
     * every packet the table matches (and the default action's), by itself.
     */
    public final boolean countedByAction;
    public int id;
    public TableDef table;

    public DirectCounterDef(String name, org.sfc.sw.ast.Ast.Annotations annotations, String unit) {
        this(name, annotations, unit, false);
    }

    public DirectCounterDef(String name, org.sfc.sw.ast.Ast.Annotations annotations, String unit,
                            boolean countedByAction) {
        this.name = name;
        this.annotations = annotations;
        this.unit = unit;
        this.countedByAction = countedByAction;
    }
}
