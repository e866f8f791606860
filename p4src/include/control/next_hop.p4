/*
 * NextHop: where a next hop id leads. An entry sends to one device or the uplink router, or names a group of
 * identical devices; a group's entries in next_hop_bucket say which member each bucket of a flow-symmetric
 * hash goes to (the hash is of the smaller and the larger of the two addresses and of the two ports), so both
 * directions of a flow reach the same instance of a stateful device. The controller gives each member an
 * even share of a group's buckets and, when one fails, hands only that member's buckets to the others: the
 * flows on healthy members stay where they are. Member actions set the egress port and MACs and, for a
 * NAT-mode server, the destination address.
 *
 * Why buckets and not an action selector: p4c's BMv2 back end cannot give a table with an action profile a
 * default action, and warns for every such table; a plain exact table has the default action we need (drop,
 * counted) and is the same on every target.
 * Written by: the table compiler; the health monitor on failover (the entries of the device that failed).
 */
control NextHop(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x12000002) SFC_COUNTER(device_tx, MAX_DEVICES);

    @id(0x0100000f)
    action set_next_hop(port_t port, bit<48> dmac, bit<48> smac, device_id_t device_id) {
        meta.eg_port = port;
        hdr.ethernet.dst_addr = dmac;
        hdr.ethernet.src_addr = smac;
        SFC_COUNT(device_tx, device_id);
    }

    @id(0x01000012)
    action set_next_hop_pooled(device_id_t device_id, bit<1> side, bit<48> smac) {
        meta.nh_pooled = true;
        meta.nh_device = device_id;
        meta.nh_side = side;
        hdr.ethernet.src_addr = smac;
    }

    @id(0x01000010)
    action set_next_hop_nat(port_t port, bit<48> dmac, bit<48> smac, device_id_t device_id, bit<32> device_ip) {
        set_next_hop(port, dmac, smac, device_id);
        hdr.ipv4.dst_addr = device_ip;
        meta.l4_rewritten = true;
    }

    // The group's bucket count minus one (a power of two minus one): which of the hash's buckets this flow is in.
    @id(0x01000015)
    action set_next_hop_group(nh_bucket_t bucket_mask) {
        meta.nh_grouped = true;
        meta.nh_bucket = (nh_bucket_t) meta.flow_hash & bucket_mask;
    }

    @id(0x01000016)
    action no_next_hop() {
        meta.drop = true;
        meta.drop_reason = DROP_NO_NEXT_HOP;
    }

    @id(0x02000007)
    table next_hop {
        key = {
            meta.nh_id : exact @name("nh_id");
        }
        actions = { set_next_hop; set_next_hop_nat; set_next_hop_pooled; set_next_hop_group; @defaultonly no_next_hop; }
        const default_action = no_next_hop();
        size = NEXT_HOP_SIZE;
    }

    /*
     * A group's members: one entry per bucket (a group of k members has the smallest power of two of buckets
     * that shares them evenly enough, see the table compiler). A bucket without an entry drops.
     */
    @id(0x0200000a)
    table next_hop_bucket {
        key = {
            meta.nh_id     : exact @name("nh_id");
            meta.nh_bucket : exact @name("bucket");
        }
        actions = { set_next_hop; set_next_hop_nat; set_next_hop_pooled; @defaultonly no_next_hop; }
        const default_action = no_next_hop();
        size = NEXT_HOP_BUCKETS;
    }

    @id(0x13000008) SFC_DIRECT_COUNTER(device_attach_counter);

    @id(0x01000013)
    action attach(port_t outside_port, bit<48> outside_mac, port_t inside_port, bit<48> inside_mac,
                  device_id_t device_id) {
        meta.att_outside_port = outside_port;
        meta.att_outside_mac = outside_mac;
        meta.att_inside_port = inside_port;
        meta.att_inside_mac = inside_mac;
        meta.att_device = device_id;
    }

    @id(0x01000014)
    action no_attachment() {
        meta.drop = true;
        meta.drop_reason = DROP_NO_NEXT_HOP;
    }

    /*
     * Where a pooled device is attached: its own ports, or those of the spare standing in for it (one entry per
     * pooled device; a one-port device gives the same port for both sides).
     * Written by: the table compiler; the health monitor on failover (one MODIFY).
     */
    @id(0x02000009)
    table device_attach {
        key = {
            meta.nh_device : exact @name("device");
        }
        actions = { attach; @defaultonly no_attachment; }
        const default_action = no_attachment();
        counters = device_attach_counter;
        size = MAX_DEVICES;
    }

    apply {
        if (hdr.ipv4.src_addr < hdr.ipv4.dst_addr) {
            meta.flow_ip_lo = hdr.ipv4.src_addr;
            meta.flow_ip_hi = hdr.ipv4.dst_addr;
        } else {
            meta.flow_ip_lo = hdr.ipv4.dst_addr;
            meta.flow_ip_hi = hdr.ipv4.src_addr;
        }
        if (meta.l4_src_port < meta.l4_dst_port) {
            meta.flow_port_lo = meta.l4_src_port;
            meta.flow_port_hi = meta.l4_dst_port;
        } else {
            meta.flow_port_lo = meta.l4_dst_port;
            meta.flow_port_hi = meta.l4_src_port;
        }
        SFC_FLOW_HASH(meta.flow_hash, meta.flow_ip_lo, meta.flow_ip_hi, hdr.ipv4.protocol, meta.flow_port_lo, meta.flow_port_hi);
        next_hop.apply();
        if (meta.nh_grouped) {
            next_hop_bucket.apply();
        }
        if (meta.nh_pooled) {
            if (device_attach.apply().hit) {
                if (meta.nh_side == 0) {
                    meta.eg_port = meta.att_outside_port;
                    hdr.ethernet.dst_addr = meta.att_outside_mac;
                } else {
                    meta.eg_port = meta.att_inside_port;
                    hdr.ethernet.dst_addr = meta.att_inside_mac;
                }
                SFC_COUNT(device_tx, meta.att_device);
            }
        }
    }
}
