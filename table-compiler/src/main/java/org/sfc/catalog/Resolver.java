package org.sfc.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.sfc.catalog.Catalog.*;

/**
 * Turns what services are made from into what they are: a service built from a package gets the sequence its
 * choices make (vendor per function, or none: skipped, order kept), and a service addressed from a
 * service-IP pool gets its IP. The rest of the compiler only ever sees concrete services.
 */
public final class Resolver {
    /** Hands out pool addresses; the compiler's keeps each service's address from one version to the next. */
    public interface IpAllocator {
        /** Marks an offset of a pool as used by a service with an explicit address. */
        void reserve(String pool, long offset);

        /** The offset (0..size-1) of the address {@code service} gets from {@code pool}. */
        long allocate(String pool, String service, long size);

        /** Hands out the lowest free offsets, in the order asked. */
        static IpAllocator inOrder() {
            Map<String, java.util.Set<Long>> used = new java.util.HashMap<>();
            return new IpAllocator() {
                @Override
                public void reserve(String pool, long offset) {
                    used.computeIfAbsent(pool, k -> new java.util.HashSet<>()).add(offset);
                }

                @Override
                public long allocate(String pool, String service, long size) {
                    var u = used.computeIfAbsent(pool, k -> new java.util.HashSet<>());
                    for (long i = 0; i < size; i++) {
                        if (u.add(i)) {
                            return i;
                        }
                    }
                    throw new IllegalStateException("pool " + pool + " is exhausted");
                }
            };
        }
    }

    private final Catalog c;
    private final List<String> problems;

    private Resolver(Catalog c, List<String> problems) {
        this.c = c;
        this.problems = problems;
    }

    /** The concrete catalog; problems are added to {@code problems} (services with problems are left out). */
    static Catalog resolve(Catalog c, IpAllocator ips, List<String> problems) {
        return new Resolver(c, problems).run(ips);
    }

    private void problem(Src src, String message) {
        problems.add(src + ": " + message);
    }

    private Catalog run(IpAllocator ips) {
        // Explicit addresses inside a pool are taken before any service is given one.
        for (Service s : c.services().values()) {
            if (s.address() != null && s.address().ip() != null) {
                for (IpPool p : c.ipPools().values()) {
                    long v = s.address().ip().value();
                    if (v >= p.first().value() && v <= p.last().value()) {
                        ips.reserve(p.name(), v - p.first().value());
                    }
                }
            }
        }
        // Most catalogs spell their services out: those are kept as they are, and so is the catalog.
        if (c.services().values().stream().allMatch(s -> s.pkg() == null && (s.address() == null || s.address().ip() != null))) {
            return c;
        }
        Map<String, Service> resolved = new java.util.HashMap<>();
        for (Service s : new java.util.TreeMap<>(c.services()).values()) { // pool addresses in name order
            Address address = s.address();
            if (address != null && address.ip() == null) {
                address = fromPool(s, ips);
            }
            List<Step> sequence = s.pkg() == null ? s.sequence() : fromPackage(s);
            if ((s.address() != null && address == null) || sequence == null) {
                continue;
            }
            resolved.put(s.name(), address == s.address() && sequence == s.sequence() ? s : s.with(address, sequence));
        }
        Map<String, Service> inOrder = new LinkedHashMap<>();
        c.services().keySet().stream().filter(resolved::containsKey).forEach(n -> inOrder.put(n, resolved.get(n)));
        return c.withServices(inOrder);
    }

    private Address fromPool(Service s, IpAllocator ips) {
        IpPool pool = c.ipPools().get(s.address().ipPool());
        if (pool == null) {
            problem(s.address().src(), "service " + s.name() + ": unknown service-ip pool '" + s.address().ipPool()
                    + "'; the catalog's pools are " + new TreeSet<>(c.ipPools().keySet()));
            return null;
        }
        try {
            long offset = ips.allocate(pool.name(), s.name(), pool.size());
            return s.address().withIp(new Ipv4(pool.first().value() + offset));
        } catch (IllegalStateException e) {
            problem(s.address().src(), "service " + s.name() + ": service-ip pool " + pool.name() + " ("
                    + pool.first() + ".." + pool.last() + ") has no free address left; widen it or add a pool");
            return null;
        }
    }

    private List<Step> fromPackage(Service s) {
        PackageUse use = s.pkg();
        ServicePackage pkg = c.packages().get(use.name());
        String what = "service " + s.name();
        if (pkg == null) {
            problem(use.src(), what + ": unknown package '" + use.name() + "'; the catalog's packages are "
                    + new TreeSet<>(c.packages().keySet()));
            return null;
        }
        int before = problems.size();
        List<String> order = use.order().isEmpty() ? pkg.functions() : use.order();
        if (!new TreeSet<>(order).equals(new TreeSet<>(pkg.functions())) || order.size() != pkg.functions().size()) {
            problem(use.src(), what + ": 'order' must list package " + pkg.name() + "'s functions " + pkg.functions()
                    + " once each, in the order wanted; it lists " + order);
        }
        for (String f : use.choose().keySet()) {
            if (!pkg.functions().contains(f)) {
                problem(use.src(), what + ": package " + pkg.name() + " has no function '" + f + "'; its functions are "
                        + pkg.functions());
            }
        }
        List<Step> steps = new ArrayList<>();
        for (String f : order) {
            String choice = use.choose().get(f);
            if (choice == null) {
                problem(use.src(), what + ": package " + pkg.name() + " needs a choice for " + f + " under 'choose': a "
                        + "vendor, a device, pool or group, or none");
                continue;
            }
            if (choice.equals("none")) {
                continue;
            }
            String target = target(f, choice, use.src(), what);
            if (target != null) {
                steps.add(new Step(target, List.of(), null, use.src()));
            }
        }
        if (problems.size() > before) {
            return null;
        }
        if (steps.isEmpty()) {
            problem(use.src(), what + ": every function of package " + pkg.name() + " is 'none'; choose at least one");
            return null;
        }
        return List.copyOf(steps);
    }

    /** A choice for a function: a device, pool or group by name, or a vendor with one pool or device of f. */
    private String target(String function, String choice, Src src, String what) {
        if (c.devices().containsKey(choice) || c.pools().containsKey(choice) || c.groups().containsKey(choice)) {
            return choice;
        }
        List<String> pools = c.pools().values().stream()
                .filter(p -> p.function().equals(function) && choice.equals(p.vendor())).map(Pool::name).toList();
        if (pools.size() == 1) {
            return pools.get(0);
        }
        List<String> devices = c.devices().values().stream()
                .filter(d -> d.function().equals(function) && choice.equals(d.vendor())).map(Device::id).sorted().toList();
        if (pools.isEmpty() && devices.size() == 1) {
            return devices.get(0);
        }
        if (pools.isEmpty() && devices.isEmpty()) {
            TreeSet<String> vendors = new TreeSet<>();
            c.devices().values().stream().filter(d -> d.function().equals(function) && d.vendor() != null)
                    .forEach(d -> vendors.add(d.vendor()));
            problem(src, what + ": no " + function + " from vendor '" + choice + "' and no device, pool or group of "
                    + "that name; the catalog's " + function + " vendors are " + vendors);
        } else {
            List<String> all = new ArrayList<>(pools);
            all.addAll(devices);
            problem(src, what + ": vendor '" + choice + "' has several " + function + "s " + all
                    + "; choose one of them by name, or put them in a pool");
        }
        return null;
    }
}
