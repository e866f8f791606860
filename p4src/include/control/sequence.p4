/*
 * Sequence: the packet sequencer. The step of a packet is 0 when it comes from the uplink (whatever DSCP
 * the client wrote: a client cannot skip a step), the DSCP tag when it comes back from a device that keeps
 * it, or STEP_FROM_PORT from a port-tagged device (PortRole works it out). The sequence table is keyed on service, direction,
 * step and slot (the device side a port stands for, see PortRole), so a packet only advances when it comes
 * back from the device that was expected;
 * anything else is dropped and counted.
 *
 * Steps are versioned. A tag a device kept carries the version the packet was sent with in its top bit (the
 * key's version is then 0); a packet with no tag (from the uplink, or from a port-tagged device) takes its
 * service's version now from Classify, in the key's version (its step is 0 or STEP_FROM_PORT). A cut-over
 * that changes a service's steps installs the new ones under the other version, flips the service's
 * classifier entries, and removes the old steps after a drain time: a packet held inside a tag-keeping
 * device across the change comes back to its old chain, a new one takes the new chain, none is handled by a
 * mix of the two. (A separate key field, not the step's top bit: on Tofino writing the bit would take a
 * stage between Classify and the sequence.)
 *
 * Actions choose the next hop and the DSCP the packet leaves with: the next step's tag toward a device
 * that keeps tags, the service's marking toward the uplink. Optionally they copy the packet as received to
 * a clone session (the packet distributor, e.g. to an IDS: the copy keeps the service address) and/or
 * translate the destination port toward a server (P1 -> TP1; the reply is translated back at Classify).
 * Written by: the table compiler, one entry per step of each service and direction.
 */
control Sequence(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x13000006) SFC_DIRECT_COUNTER(sequence_counter);

    @id(0x01000009)
    action to_next_hop(nh_id_t nh_id, step_t dscp) {
        SFC_DIRECT_COUNT(sequence_counter); // once: the other forwarding actions call this one
        meta.nh_id = nh_id;
        hdr.ipv4.dscp = dscp;
    }

    @id(0x0100000a)
    action to_next_hop_copy(nh_id_t nh_id, step_t dscp, session_t copy_session) {
        to_next_hop(nh_id, dscp);
        meta.copy_session = copy_session;
    }

    @id(0x0100000b)
    action to_next_hop_translate(nh_id_t nh_id, step_t dscp, bit<16> l4_dst_port) {
        to_next_hop(nh_id, dscp);
        meta.l4_dst_port = l4_dst_port; // into the TCP/UDP header after the table (see apply)
        meta.dport_translated = true;
        meta.l4_rewritten = true;
    }

    @id(0x0100000c)
    action to_next_hop_translate_copy(nh_id_t nh_id, step_t dscp, bit<16> l4_dst_port, session_t copy_session) {
        to_next_hop_translate(nh_id, dscp, l4_dst_port);
        meta.copy_session = copy_session;
    }

    @id(0x0100000d)
    action drop_step() {
        SFC_DIRECT_COUNT(sequence_counter);
        meta.drop = true;
        meta.drop_reason = DROP_BY_STEP;
    }

    @id(0x0100000e)
    action drop_no_step() {
        meta.drop = true;
        meta.drop_reason = DROP_NO_STEP;
    }

    @id(0x02000006)
    table sequence {
        key = {
            meta.service_id : exact @name("service_id");
            meta.direction  : exact @name("direction");
            meta.step       : exact @name("step");
            meta.slot       : exact @name("slot");
            meta.version    : exact @name("version");
        }
        actions = {
            to_next_hop;
            to_next_hop_copy;
            to_next_hop_translate;
            to_next_hop_translate_copy;
            drop_step;
            @defaultonly drop_no_step;
        }
        const default_action = drop_no_step();
        counters = sequence_counter;
        size = SEQUENCE_SIZE;
    }

    apply {
        sequence.apply();
        // An action cannot test a header's validity on Tofino: the port goes into the header here.
        if (meta.dport_translated) {
            if (hdr.tcp.isValid()) {
                hdr.tcp.dst_port = meta.l4_dst_port;
            }
            if (hdr.udp.isValid()) {
                hdr.udp.dst_port = meta.l4_dst_port;
            }
        }
    }
}
