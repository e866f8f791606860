package org.sfc.catalog;

import java.util.List;
import java.util.Map;

/**
 * A service catalog: the switch, the devices attached to it, and the services steered through them.
 * Immutable; every element remembers where it was written.
 */
public record Catalog(SwitchInfo switchInfo, Map<String, Device> devices, Map<String, Service> services) {

    /** The switch's own MAC (source of rewritten frames) and its uplinks toward clients and the network. */
    public record SwitchInfo(Mac mac, List<Uplink> uplinks, Src src) {}

    public record Uplink(String name, int port, Mac routerMac, Src src) {}

    public enum Mode { L2, NAT }

    public enum TagMode { DSCP, PORT }

    public enum FailurePolicy { SPARE, BYPASS, DROP }

    /** A device port: the switch port it is cabled to and the device's MAC on it. */
    public record Attachment(int port, Mac mac, Src src) {}

    /**
     * A device. A one-port device has {@code outside == inside}. A two-port transparent device (a firewall)
     * takes forward traffic on its outside and passes it out of its inside; replies the other way.
     */
    public record Device(String id, String function, String vendor, String model, Mode mode, TagMode tag, Ipv4 ip,
                         Attachment outside, Attachment inside, FailurePolicy failure, Src src) {
        public boolean twoPort() {
            return !outside.equals(inside);
        }
    }

    public enum Protocol {
        TCP(6), UDP(17);

        public final int number;

        Protocol(int number) {
            this.number = number;
        }
    }

    /** The service address: IP, protocol, service port, and optionally the dynamic port range it owns. */
    public record Address(Ipv4 ip, Protocol protocol, int port, PortRange dynamicPorts, Src src) {}

    public record PortRange(int low, int high, Src src) {
        public boolean overlaps(PortRange o) {
            return low <= o.high && o.low <= high;
        }

        public boolean contains(int port) {
            return low <= port && port <= high;
        }

        @Override
        public String toString() {
            return low + "-" + high;
        }
    }

    /** One step: a device, devices that get copies, and an optional port the device listens on instead. */
    public record Step(String device, List<String> copyTo, Integer translatePort, Src src) {}

    /**
     * A service: its address, where its clients are ({@code from}: null for the uplink, or a device such as
     * the VPN that decapsulates them), the DSCP it leaves with, its sequence and an optional rate limit.
     */
    public record Service(String name, String tenant, Address address, String from, int dscp, List<Step> sequence,
                          Rate rate, Src src) {}

    /** Packets per second and burst size (packets) for the service's meter. */
    public record Rate(long pps, long burst, Src src) {}
}
