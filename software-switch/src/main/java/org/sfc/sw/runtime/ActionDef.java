package org.sfc.sw.runtime;

import java.util.List;

import org.sfc.sw.exec.Exec;
import org.sfc.sw.exec.Frame;

/** A compiled action: its P4Info identity, parameters (each bound to a storage slot) and body. */
public final class ActionDef {
    /** One action parameter; {@code id} is its P4Info id (1-based position). */
    public record Param(String name, int id, int width, int slot) {}

    public final String name;
    public final List<Param> params;
    public final org.sfc.sw.ast.Ast.Annotations annotations;
    public int id;
    public Exec body = Exec.NOTHING;
    /** Index among the program's actions; what switch(t.apply().action_run) compares. */
    public int index;

    public ActionDef(String name, List<Param> params, org.sfc.sw.ast.Ast.Annotations annotations) {
        this.name = name;
        this.params = List.copyOf(params);
        this.annotations = annotations;
    }

    /** Runs the action with control-plane supplied arguments. */
    public void invoke(Frame f, long[] args) {
        for (int i = 0; i < args.length; i++) {
            f.s[params.get(i).slot()] = args[i];
        }
        body.run(f);
        if (f.flow == Frame.RETURN) {
            f.flow = Frame.NORMAL;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
