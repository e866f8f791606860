/*
 * Acl: the per-service virtual firewall. Rules are keyed by service and ingress slot plus the usual
 * 5-tuple (ternary addresses and protocol, port ranges); the highest priority wins. A service's default
 * verdict is its lowest-priority rule matching everything of that service. Packets no rule matches pass.
 * Each rule counts its packets.
 * Written by: the table compiler, from each service's ACL (a tenant may change only its own services).
 */
control Acl(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x13000005) SFC_DIRECT_COUNTER(acl_counter);

    @id(0x01000007)
    action permit() {
        SFC_DIRECT_COUNT(acl_counter);
    }

    @id(0x01000008)
    action deny() {
        SFC_DIRECT_COUNT(acl_counter);
        meta.drop = true;
        meta.drop_reason = DROP_ACL;
    }

    @id(0x02000005)
    table acl {
        key = {
            meta.service_id   : exact   @name("service_id");
            meta.slot         : ternary @name("slot");
            hdr.ipv4.src_addr : ternary @name("ipv4_src");
            hdr.ipv4.dst_addr : ternary @name("ipv4_dst");
            hdr.ipv4.protocol : ternary @name("ip_proto");
            meta.l4_src_port  : range   @name("l4_sport");
            meta.l4_dst_port  : range   @name("l4_dport");
        }
        actions = { permit; deny; @defaultonly NoAction; }
        const default_action = NoAction();
        counters = acl_counter;
        size = ACL_SIZE;
    }

    apply {
        // Over its ingress port's limit (PortRole's meter) or its service's rate (Classify's): dropped before
        // the rules.
        if (meta.port_color == SFC_METER_RED) {
            meta.drop = true;
            meta.drop_reason = DROP_PORT_RATE;
        } else if (meta.color == SFC_METER_RED) {
            meta.drop = true;
            meta.drop_reason = DROP_METER;
        } else {
            acl.apply();
        }
    }
}
