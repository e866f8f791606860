/*
 * CopyTarget (egress): a distributor copy (an ingress-to-egress clone) is the packet as it was received,
 * so it keeps the service address; here it gets the copy target's MAC. A copy of a reply that was un-NATed
 * at Classify is un-NATed the same way (the values travel in field list 1). A copy starts with all other
 * metadata zero (even what the parser derived), so the L4 length its new checksum covers is derived again
 * here. Copies are counted per target.
 * Written by: the table compiler, one entry per copy target (the clone session replica's instance is the
 * target's device id).
 */
control CopyTarget(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x13000007) SFC_DIRECT_COUNTER(copy_target_counter);

    @id(0x01000011)
    action set_copy_target(bit<48> dmac, bit<48> smac) {
        SFC_DIRECT_COUNT(copy_target_counter);
        hdr.ethernet.dst_addr = dmac;
        hdr.ethernet.src_addr = smac;
    }

    @id(0x02000008)
    table copy_target {
        key = {
            meta.copy_rid : exact @name("copy_rid");
        }
        actions = { set_copy_target; @defaultonly NoAction; }
        const default_action = NoAction();
        counters = copy_target_counter;
        size = COPY_TARGET_SIZE;
    }

    apply {
        if (meta.unnat) {
            hdr.ipv4.src_addr = meta.unnat_ip;
            if (hdr.tcp.isValid()) {
                hdr.tcp.src_port = meta.unnat_port;
            }
            if (hdr.udp.isValid()) {
                hdr.udp.src_port = meta.unnat_port;
            }
            meta.l4_rewritten = true;
            meta.l4_len = hdr.ipv4.total_len - 16w20;
        }
        copy_target.apply();
    }
}
