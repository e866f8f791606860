/*
 * Classify: which service a packet belongs to, and in which direction.
 *
 * classify_src is tried first: replies come back from the service address (or, from a NAT-mode server,
 * from its own address, which is translated back to the service address here, so the rest of the pipeline
 * only ever sees service addresses), and source-keyed services (ISP mode, a proxy's outbound requests)
 * choose their chain by the sender. classify_dst then matches a service address. Both are exact on IP,
 * protocol and port key (PortKey, below): the classifiers, the big tables, are exact (SRAM on Tofino, not
 * TCAM) and only the few ranges take a range match. Their direct counters are the per-service-address
 * accounting. A per-service meter colors the packet (Acl drops what is red). Every action also gives the
 * service's tag version now: what a packet entering the chain here starts with (see Sequence); flipping it is
 * how a cut-over moves a service to its new steps.
 * Written by: the table compiler, from the catalog's services.
 */
control Classify(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x13000003) SFC_DIRECT_COUNTER(classify_src_counter);
    @id(0x13000004) SFC_DIRECT_COUNTER(classify_dst_counter);
    @id(0x14000001) SFC_METER(service_meter, MAX_SERVICES);
    SFC_FLOW_HASHER(flow_hasher)

    // What both tables' actions do; each table has actions of its own, because an action counts into the
    // direct counter of the table it is in (TNA: every hit action of a counted table calls count()).
    @id(0x01000018) // never in the P4Info (no table runs it), but every action has its id
    action mark_service(service_id_t service_id, bit<1> direction, bit<1> version) {
        meta.is_service = true;
        meta.service_id = service_id;
        meta.direction = direction;
        meta.version = version & meta.version_mask; // a packet with a tag has its version in the tag
    }

    @id(0x01000005)
    action set_service(service_id_t service_id, bit<1> direction, bit<1> version) {
        SFC_DIRECT_COUNT(classify_dst_counter);
        mark_service(service_id, direction, version);
    }

    // A reply, or a request of a source-keyed service.
    @id(0x01000017)
    action set_service_by_src(service_id_t service_id, bit<1> direction, bit<1> version) {
        SFC_DIRECT_COUNT(classify_src_counter);
        mark_service(service_id, direction, version);
    }

    // A reply from a NAT-mode server (source S1:TP1) becomes a reply from the service address (W1:P1).
    @id(0x01000006)
    action set_service_unnat(service_id_t service_id, bit<1> direction, bit<32> service_ip, bit<16> service_port,
                             bit<1> version) {
        SFC_DIRECT_COUNT(classify_src_counter);
        mark_service(service_id, direction, version);
        hdr.ipv4.src_addr = service_ip;
        meta.l4_src_port = service_port; // into the TCP/UDP header after the table (see apply)
        meta.l4_rewritten = true;
        meta.unnat = true;
        meta.unnat_ip = service_ip;
        meta.unnat_port = service_port;
    }

    @id(0x02000003)
    table classify_src {
        key = {
            hdr.ipv4.src_addr : exact @name("ipv4_src");
            hdr.ipv4.protocol : exact @name("ip_proto");
            meta.sport_key    : exact @name("l4_sport");
        }
        actions = { set_service_by_src; set_service_unnat; @defaultonly NoAction; }
        const default_action = NoAction();
        counters = classify_src_counter;
        size = CLASSIFY_SIZE;
    }

    @id(0x02000004)
    table classify_dst {
        key = {
            hdr.ipv4.dst_addr : exact @name("ipv4_dst");
            hdr.ipv4.protocol : exact @name("ip_proto");
            meta.dport_key    : exact @name("l4_dport");
        }
        actions = { set_service; @defaultonly NoAction; }
        const default_action = NoAction();
        counters = classify_dst_counter;
        size = CLASSIFY_SIZE;
    }

    apply {
        if (!classify_src.apply().hit) {
            classify_dst.apply();
        }
        // An action cannot test a header's validity on Tofino: the port goes into the header here.
        if (meta.unnat) {
            if (hdr.tcp.isValid()) {
                hdr.tcp.src_port = meta.l4_src_port;
            }
            if (hdr.udp.isValid()) {
                hdr.udp.src_port = meta.l4_src_port;
            }
        }
        // The flow's hash, taken once a reply is un-NATed, before a step translates the port, for NextHop's
        // groups. XOR is symmetric (a ^ b == b ^ a): both directions of a flow give the same hash inputs, so no
        // sorting. The CRC-16 over them is computed apart (after the meter): on Tofino an action cannot use a
        // value it computes.
        meta.flow_ip_x = hdr.ipv4.src_addr ^ hdr.ipv4.dst_addr;
        meta.flow_port_x = meta.l4_src_port ^ meta.l4_dst_port;
        if (meta.is_service) {
            // The color only: Acl drops a red packet before its rules (so on Tofino the ACL need not wait a
            // stage for a drop flag the color sets).
            SFC_EXECUTE_METER(service_meter, meta.service_id, meta.color);
        } else {
            meta.drop = true;
            meta.drop_reason = DROP_NOT_A_SERVICE;
        }
        SFC_FLOW_HASH(flow_hasher, meta.flow_hash, meta.flow_ip_x, hdr.ipv4.protocol, meta.flow_port_x);
    }
}

/*
 * PortKey: the port key Classify matches, the port itself or, where src_port_range / dst_port_range match a
 * range of ports (a service over several ports; a block of dynamically negotiated ports, the range that
 * service port owns, seed ¶127; every port of a source-keyed service), the key that range stands for.
 * Separate from Classify so a shell can look the keys up first, for every IPv4 packet: they count nothing
 * and decide nothing, and on Tofino they then take no stage after the port's role is known.
 * Written by: the table compiler, from the catalog's services.
 */
control PortKey(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x01000019)
    action set_src_port_key(bit<16> port_key) {
        meta.sport_key = port_key;
    }

    @id(0x0100001a)
    action set_dst_port_key(bit<16> port_key) {
        meta.dport_key = port_key;
    }

    // No range: the port is its own key (a default action, not a write before the table: on Tofino the table
    // then needs no stage of its own after that write).
    @id(0x0100001b)
    action src_port_is_key() {
        meta.sport_key = meta.l4_src_port;
    }

    @id(0x0100001c)
    action dst_port_is_key() {
        meta.dport_key = meta.l4_dst_port;
    }

    // The source port ranges of replies and of source-keyed services: the port key classify_src matches.
    @id(0x0200000b)
    table src_port_range {
        key = {
            hdr.ipv4.src_addr : exact @name("ipv4_src");
            hdr.ipv4.protocol : exact @name("ip_proto");
            meta.l4_src_port  : range @name("l4_sport");
        }
        actions = { set_src_port_key; @defaultonly src_port_is_key; }
        const default_action = src_port_is_key();
        size = PORT_RANGE_SIZE;
    }

    // The destination port ranges of service addresses: the port key classify_dst matches.
    @id(0x0200000c)
    table dst_port_range {
        key = {
            hdr.ipv4.dst_addr : exact @name("ipv4_dst");
            hdr.ipv4.protocol : exact @name("ip_proto");
            meta.l4_dst_port  : range @name("l4_dport");
        }
        actions = { set_dst_port_key; @defaultonly dst_port_is_key; }
        const default_action = dst_port_is_key();
        size = PORT_RANGE_SIZE;
    }

    apply {
        src_port_range.apply();
        dst_port_range.apply();
    }
}
