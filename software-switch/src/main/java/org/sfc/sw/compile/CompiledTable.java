package org.sfc.sw.compile;

import org.sfc.sw.exec.Exec;
import org.sfc.sw.runtime.TableDef;

/** A table and the compiled code that applies it (evaluates keys, looks up, runs the action). */
record CompiledTable(TableDef def, Exec apply) {}
