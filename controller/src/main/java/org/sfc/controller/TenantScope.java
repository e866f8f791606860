package org.sfc.controller;

import java.util.Set;
import java.util.TreeSet;

import org.sfc.catalog.Catalog;
import org.sfc.catalog.CatalogException;
import org.sfc.catalog.CatalogLoader;
import org.sfc.catalog.TenantPolicy;
import org.sfc.catalog.TenantView;

/**
 * What a tenant's user sees and changes through the API: its services of a catalog version (a {@link TenantView}),
 * the versions and events its users wrote, and changes to its services merged into the switch's catalog and held
 * to its {@code may-change} ({@link TenantPolicy}).
 */
final class TenantScope {
    private final Store store;
    private final String switchName;
    private final Principal who;

    TenantScope(Store store, String switchName, Principal who) {
        if (who.role() != Principal.Role.TENANT) {
            throw new IllegalArgumentException(who.name() + " is no tenant's user");
        }
        this.store = store;
        this.switchName = switchName;
        this.who = who;
    }

    String tenant() {
        return who.tenant();
    }

    /** The tenant's view of version {@code number} (null: the one the switch has). */
    String view(Integer number) {
        Store.Version v = version(number);
        return TenantView.extract(v.file(), v.catalogText(), tenant());
    }

    /** The names of the tenant's services in the version the switch has (none if nothing was applied). */
    Set<String> services() {
        Store.Applied a = store.applied(switchName);
        Set<String> out = new TreeSet<>();
        if (a != null) {
            Store.Version v = store.version(a.version());
            if (!v.isAdopted()) {
                for (Catalog.Service s : CatalogLoader.loadText(v.file(), v.catalog()).services().values()) {
                    if (tenant().equals(s.tenant())) {
                        out.add(s.name());
                    }
                }
            }
        }
        return out;
    }

    /** The users of the tenant (whose versions and events it may read). */
    Set<String> users() {
        Set<String> out = new TreeSet<>();
        for (Principal p : store.principals()) {
            if (tenant().equals(p.tenant())) {
                out.add(p.name());
            }
        }
        return out;
    }

    /**
     * Merges the posted view into the catalog the switch has and applies it as a new version by this user; a
     * change the tenant may not make throws {@link TenantPolicy.Refused}, located in the view as the rest.
     */
    Provisioner.Report apply(Provisioner p, String viewFile, String view, String note) {
        Store.Version v = version(null);
        String base = v.catalogText();
        TenantView.Merged merged = TenantView.merge(v.file(), base, viewFile, view, tenant());
        try {
            TenantPolicy.check(CatalogLoader.loadText(v.file(), base), CatalogLoader.loadText(v.file(), merged.text()),
                    tenant());
            return p.apply(v.file(), merged.text(), who.name(), "tenant " + tenant() + (note == null ? "" : ": " + note));
        } catch (CatalogException e) {
            throw merged.relocate(e);
        }
    }

    private Store.Version version(Integer number) {
        Integer n = number;
        if (n == null) {
            Store.Applied a = store.applied(switchName);
            if (a == null) {
                throw new IllegalArgumentException("nothing has been applied to " + switchName + " yet: the operator applies "
                        + "the first catalog");
            }
            n = a.version();
        }
        Store.Version v = store.version(n);
        if (v == null) {
            throw new IllegalArgumentException("there is no version " + n);
        }
        return v;
    }
}
