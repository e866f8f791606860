package org.sfc.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.sfc.catalog.Catalog.*;

/**
 * What a tenant may change: only its own services, and in them only what its {@code may-change} lists
 * (acl, rate, dscp, sequence; services = add, remove, re-address). The switch, devices, pools, groups,
 * packages, address pools and tenants belong to the operator. Positions and formatting do not count as
 * changes.
 */
public final class TenantPolicy {
    private TenantPolicy() {}

    /** A change the catalog would accept but the tenant may not make (an API answers it 403, not 422). */
    public static final class Refused extends CatalogException {
        public Refused(List<String> problems) {
            super(problems);
        }
    }

    /** Throws {@link Refused} listing everything {@code tenant} changed but may not. */
    public static void check(Catalog before, Catalog after, String tenant) {
        List<String> problems = new ArrayList<>();
        Tenant t = after.tenants().get(tenant);
        String file = after.switchInfo().src().file() + ": ";
        if (t == null || !same(before.tenants().get(tenant), t)) {
            throw new Refused(List.of(file + "unknown tenant '" + tenant + "'; the catalog's tenants are "
                    + new TreeSet<>(before.tenants().keySet())));
        }
        if (!same(before.switchInfo(), after.switchInfo()) || !same(before.devices(), after.devices())
                || !same(before.pools(), after.pools()) || !same(before.groups(), after.groups())
                || !same(before.packages(), after.packages()) || !same(before.ipPools(), after.ipPools())
                || !same(before.tenants(), after.tenants())) {
            problems.add(file + "tenant " + tenant + " may not change the switch, devices, pools, groups, packages, "
                    + "service-ip pools or tenants; they belong to the operator");
        }
        Set<String> names = new LinkedHashSet<>(before.services().keySet());
        names.addAll(after.services().keySet());
        for (String name : names) {
            Service was = before.services().get(name);
            Service now = after.services().get(name);
            if (same(was, now)) {
                continue;
            }
            Src where = now != null ? now.src() : was.src();
            String owner = owner(was, now, tenant);
            if (was == null && now.tenant() == null) {
                problems.add(where + ": new service " + name + " has no 'tenant: " + tenant + "'; a tenant's services say "
                        + "whose they are");
            } else if (owner != null) {
                problems.add(where + ": tenant " + tenant + " may not change service " + name + ", which belongs to "
                        + owner);
            } else if (was == null || now == null) {
                if (!t.mayChange().contains(Permission.SERVICES)) {
                    problems.add(where + ": tenant " + tenant + " may not " + (was == null ? "add" : "remove")
                            + " services (may-change: " + names(t) + ")");
                }
            } else {
                for (String aspect : changed(was, now)) {
                    if (!allowed(t, aspect)) {
                        problems.add(where + ": tenant " + tenant + " may change only " + names(t) + " of its "
                                + "services; the " + aspect + " of service " + name + " changed");
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new Refused(problems);
        }
    }

    /** Who else owns the service in either version (null: the tenant itself owns it in both). */
    private static String owner(Service was, Service now, String tenant) {
        for (Service s : new Service[] {was, now}) {
            if (s != null && !tenant.equals(s.tenant())) {
                return s.tenant() == null ? "the operator" : "tenant " + s.tenant();
            }
        }
        return null;
    }

    private static List<String> changed(Service was, Service now) {
        List<String> out = new ArrayList<>();
        if (!same(was.acl(), now.acl())) {
            out.add("acl");
        }
        if (!same(was.rate(), now.rate())) {
            out.add("rate");
        }
        if (was.dscp() != now.dscp()) {
            out.add("dscp");
        }
        if (!same(was.sequence(), now.sequence()) || !same(was.pkg(), now.pkg()) || !Objects.equals(was.from(), now.from())
                || !Objects.equals(was.exit(), now.exit())) {
            out.add("sequence");
        }
        if (!same(was.address(), now.address()) || !same(was.clients(), now.clients())) {
            out.add("address");
        }
        return out;
    }

    private static boolean allowed(Tenant t, String aspect) {
        return aspect.equals("address") ? t.mayChange().contains(Permission.SERVICES)
                : t.mayChange().contains(Permission.valueOf(aspect.toUpperCase()));
    }

    private static List<String> names(Tenant t) {
        return t.mayChange().stream().map(p -> p.name().toLowerCase()).sorted().toList();
    }

    /** Equal as catalog content (records compare by content: their Srcs are always equal). */
    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
