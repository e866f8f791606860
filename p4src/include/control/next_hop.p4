/*
 * NextHop: where a next hop id leads. An entry sends to one device or the uplink router, or names a group of
 * identical devices; a group's entries in next_hop_bucket say which member each bucket of a flow-symmetric
 * hash goes to (a CRC-16 of addresses, ports and protocol, made symmetric, see Classify), so both
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
        meta.tx_device = device_id;
        meta.count_tx = true;
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

    // Where a pooled device's side is: the port and MAC of the device there (itself, or a spare standing in).
    @id(0x01000013)
    action attach(port_t port, bit<48> mac, device_id_t device_id) {
        SFC_DIRECT_COUNT(device_attach_counter);
        meta.eg_port = port;
        hdr.ethernet.dst_addr = mac;
        meta.tx_device = device_id;
        meta.count_tx = true;
    }

    @id(0x01000014)
    action no_attachment() {
        meta.drop = true;
        meta.drop_reason = DROP_NO_NEXT_HOP;
    }

    /*
     * Where a pooled device is attached: its own ports, or those of the spare standing in for it (an entry per
     * pooled device and side; a one-port device gives the same port for both sides). Keyed by the side, so
     * the action leaves nothing to choose after the table (on Tofino, a stage saved).
     * Written by: the table compiler; the health monitor on failover (a MODIFY per side).
     */
    @id(0x02000009)
    table device_attach {
        key = {
            meta.nh_device : exact @name("device");
            meta.nh_side   : exact @name("side");
        }
        actions = { attach; @defaultonly no_attachment; }
        const default_action = no_attachment();
        counters = device_attach_counter;
        size = DEVICE_ATTACH_SIZE;
    }

    apply {
        next_hop.apply();
        if (meta.nh_grouped) {
            next_hop_bucket.apply();
        }
        if (meta.nh_pooled) {
            device_attach.apply();
        }
        // Counted here, not in the actions: on Tofino every action of a table must address an indexed counter
        // alike, and a group or a pooled device has no device id in its next_hop entry.
        if (meta.count_tx) {
            SFC_COUNT(device_tx, meta.tx_device);
        }
    }
}
