package org.sfc.sw.runtime;

/** An indexed counter array ({@code counter} extern). */
public final class CounterDef {
    public final String name;
    public final org.sfc.sw.ast.Ast.Annotations annotations;
    public final int size;
    public final String unit;
    public final long[] packets;
    public final long[] bytes;
    public int id;

    public CounterDef(String name, org.sfc.sw.ast.Ast.Annotations annotations, int size, String unit) {
        this.name = name;
        this.annotations = annotations;
        this.size = size;
        this.unit = unit;
        this.packets = new long[size];
        this.bytes = new long[size];
    }

    public void count(long index, int packetBytes) {
        if (index >= 0 && index < size) {
            packets[(int) index]++;
            bytes[(int) index] += packetBytes;
        }
    }
}
