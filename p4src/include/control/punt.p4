/*
 * Punt: sends the controller's own probes back to it. Heartbeats injected through a device (and a
 * server's SYN-ACK to a handshake probe) come back on some port; the controller installs one entry per
 * probe stream (e.g. its probe source address) and receives the packet with its ingress port.
 * Nothing else goes to the CPU unless an entry here says so. The compiler writes one entry per port the
 * catalog names (a port with nothing of ours on it punts nothing), and each port has its own punt meter:
 * a flood to the probe address from one port (a client, a compromised device) is held to that port's rate,
 * so heartbeats coming back on the other ports still reach the controller. A punt is colored by its port's
 * meter (meta.punt_color) and its drop reason named in advance (DROP_PUNT_RATE); the ingress drops a red
 * punt at its end, so nothing else waits for the meter (on Tofino: no stage added to the chain). The meter
 * runs apart from the table: on Tofino the table's stats bus is its direct counter's.
 * Written by: the table compiler (entries and meter cells), for the controller's health monitor.
 */
control Punt(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x13000001) SFC_DIRECT_COUNTER(punt_counter);
    @id(0x14000002) SFC_METER(punt_meter, PUNT_PORTS);

    @id(0x01000001)
    action punt_to_cpu() {
        SFC_DIRECT_COUNT(punt_counter);
        meta.to_cpu = true;
        meta.drop_reason = DROP_PUNT_RATE; // read only if the punt meter says red
    }

    @id(0x02000001)
    table punt {
        key = {
            meta.ig_port             : ternary @name("ig_port");
            hdr.ethernet.ether_type  : ternary @name("eth_type");
            hdr.ipv4.src_addr        : ternary @name("ipv4_src");
            hdr.ipv4.dst_addr        : ternary @name("ipv4_dst");
            hdr.ipv4.protocol        : ternary @name("ip_proto");
            meta.l4_dst_port         : ternary @name("l4_dport");
        }
        actions = { punt_to_cpu; @defaultonly NoAction; }
        const default_action = NoAction();
        counters = punt_counter;
        size = PUNT_SIZE;
    }

    apply {
        if (punt.apply().hit) {
            SFC_EXECUTE_METER(punt_meter, meta.ig_port, meta.punt_color);
        }
    }
}
