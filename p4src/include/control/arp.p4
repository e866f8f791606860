/*
 * Arp: the engine answers for its own addresses (seed ¶158), so routers on the uplinks need no static ARP:
 * an ARP request arriving on an uplink for an address the table holds (every service address, the engine's
 * own IP) is turned into its reply in place and sent back out of the port it came in on, with the MAC the
 * entry names (the switch's; a redundant pair's shared one). Any other ARP is dropped (reason 3: not ours),
 * as before. The parser marks a request for IPv4 over Ethernet (meta.arp_request); nothing else is answered.
 * Not counted: an answer is worth nothing to account for, and on Tofino a counter beside 64k entries costs
 * dozens of SRAMs.
 * Written by: the table compiler, from the catalog's service addresses and switch.ip.
 */
control Arp(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x0100001d)
    action arp_reply(bit<48> mac) {
        hdr.ethernet.dst_addr = hdr.ethernet.src_addr;
        hdr.ethernet.src_addr = mac;
        hdr.arp.oper = ARP_REPLY;
        hdr.arp.tha = hdr.arp.sha;
        hdr.arp.sha = mac;
        hdr.arp.tpa = hdr.arp.spa;
        hdr.arp.spa = meta.arp_target;
        meta.eg_port = meta.ig_port;
    }

    @id(0x0200000d)
    table arp {
        key = {
            meta.arp_target : exact @name("ipv4");
        }
        actions = { arp_reply; @defaultonly NoAction; }
        const default_action = NoAction();
        size = ARP_SIZE;
    }

    apply {
        if (meta.port_color == SFC_METER_RED) { // over its port's limit, as any packet (Acl, for IPv4)
            meta.drop = true;
            meta.drop_reason = DROP_PORT_RATE;
        } else if (meta.arp_request && meta.port_role == ROLE_UPLINK) {
            // (a table's miss alone in its condition: bf-p4c takes nothing else beside it)
            if (arp.apply().miss) {
                meta.drop = true;
                meta.drop_reason = DROP_NOT_A_SERVICE;
            }
        } else {
            meta.drop = true;
            meta.drop_reason = DROP_NOT_A_SERVICE;
        }
    }
}
