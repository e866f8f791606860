package org.sfc.sw.compile;

import java.util.List;

import org.sfc.sw.ast.Ast;
import org.sfc.sw.exec.Exec;
import org.sfc.sw.types.P4Type;

/**
 * One instance of a control: its parameters live at fixed slots; {@code body} runs the control-local
 * initialisations and the apply block. A nested instance is applied by copying arguments in and out.
 */
final class ControlBlock {
    record BoundParam(Ast.Direction direction, P4Type type, int base) {}

    final String path;
    final List<BoundParam> params;
    Exec body = Exec.NOTHING;

    ControlBlock(String path, List<BoundParam> params) {
        this.path = path;
        this.params = params;
    }
}
