/*
 * Punt: sends the controller's own probes back to it. Heartbeats injected through a device (and a
 * server's SYN-ACK to a handshake probe) come back on some port; the controller installs one entry per
 * probe stream (e.g. its probe source address) and receives the packet with its ingress port.
 * Nothing else goes to the CPU unless an entry here says so.
 * Written by: the controller's health monitor.
 */
control Punt(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x13000001) SFC_DIRECT_COUNTER(punt_counter);

    @id(0x01000001)
    action punt_to_cpu() {
        SFC_DIRECT_COUNT(punt_counter);
        meta.to_cpu = true;
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
        punt.apply();
    }
}
