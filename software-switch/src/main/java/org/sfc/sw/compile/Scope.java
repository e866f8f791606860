package org.sfc.sw.compile;

import java.util.HashMap;
import java.util.Map;

/** Nested name scopes: a lookup walks outwards to the global scope. */
final class Scope {
    final Scope parent;
    /** Name prefix of objects declared here, as P4Info names them (e.g. "MyIngress.acl"). */
    final String path;
    private final Map<String, Sym> names = new HashMap<>();

    Scope(Scope parent, String path) {
        this.parent = parent;
        this.path = path;
    }

    Sym lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Sym sym = s.names.get(name);
            if (sym != null) {
                return sym;
            }
        }
        return null;
    }

    boolean declaredHere(String name) {
        return names.containsKey(name);
    }

    void declare(String name, Sym sym) {
        names.put(name, sym);
    }

    Scope child() {
        return new Scope(this, path);
    }

    /** The qualified name of an object declared in this scope with local name {@code local}. */
    String qualify(String local) {
        if (local.startsWith(".")) {
            return local.substring(1);
        }
        return path == null || path.isEmpty() ? local : path + "." + local;
    }
}
