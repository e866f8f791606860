package org.sfc.sw.runtime;

/** An indexed meter array ({@code meter} extern). */
public final class MeterDef {
    public final String name;
    public final org.sfc.sw.ast.Ast.Annotations annotations;
    public final int size;
    public final String unit;
    public final MeterState[] cells;
    public int id;

    public MeterDef(String name, org.sfc.sw.ast.Ast.Annotations annotations, int size, String unit) {
        this.name = name;
        this.annotations = annotations;
        this.size = size;
        this.unit = unit;
        this.cells = new MeterState[size];
        for (int i = 0; i < size; i++) {
            cells[i] = new MeterState();
        }
    }

    /** Meters a packet of {@code packetBytes} at {@code index}: its color; green outside the array. */
    public int execute(long index, int packetBytes) {
        if (index < 0 || index >= size) {
            return MeterState.GREEN;
        }
        return cells[(int) index].execute(unit.equals("bytes") ? packetBytes : 1, packetBytes, System.nanoTime());
    }
}
