/*
 * Classify: which service a packet belongs to, and in which direction.
 *
 * classify_src is tried first: replies come back from the service address (or, from a NAT-mode server,
 * from its own address, which is translated back to the service address here, so the rest of the pipeline
 * only ever sees service addresses), and source-keyed services (ISP mode, a proxy's outbound requests)
 * choose their chain by the sender. classify_dst then matches a service address: IP, protocol and a
 * destination port range (a fixed service port is a one-port range; a block of dynamically negotiated
 * ports is the range that service port owns, seed ¶127). Entries carry priorities; their direct counters
 * are the per-service-address accounting. A per-service meter drops floods (red).
 * Written by: the table compiler, from the catalog's services.
 */
control Classify(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x13000003) SFC_DIRECT_COUNTER(classify_src_counter);
    @id(0x13000004) SFC_DIRECT_COUNTER(classify_dst_counter);
    @id(0x14000001) SFC_METER(service_meter, MAX_SERVICES);

    @id(0x01000005)
    action set_service(service_id_t service_id, bit<1> direction) {
        meta.is_service = true;
        meta.service_id = service_id;
        meta.direction = direction;
    }

    // A reply from a NAT-mode server (source S1:TP1) becomes a reply from the service address (W1:P1).
    @id(0x01000006)
    action set_service_unnat(service_id_t service_id, bit<1> direction, bit<32> service_ip, bit<16> service_port) {
        meta.is_service = true;
        meta.service_id = service_id;
        meta.direction = direction;
        hdr.ipv4.src_addr = service_ip;
        if (hdr.tcp.isValid()) {
            hdr.tcp.src_port = service_port;
        }
        if (hdr.udp.isValid()) {
            hdr.udp.src_port = service_port;
        }
        meta.l4_src_port = service_port;
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
            meta.l4_src_port  : range @name("l4_sport");
        }
        actions = { set_service; set_service_unnat; @defaultonly NoAction; }
        const default_action = NoAction();
        counters = classify_src_counter;
        size = CLASSIFY_SIZE;
    }

    @id(0x02000004)
    table classify_dst {
        key = {
            hdr.ipv4.dst_addr : exact @name("ipv4_dst");
            hdr.ipv4.protocol : exact @name("ip_proto");
            meta.l4_dst_port  : range @name("l4_dport");
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
        if (meta.is_service) {
            SFC_EXECUTE_METER(service_meter, meta.service_id, meta.color);
            if (meta.color == SFC_METER_RED) {
                meta.drop = true;
                meta.drop_reason = DROP_METER;
            }
        } else {
            meta.drop = true;
            meta.drop_reason = DROP_NOT_A_SERVICE;
        }
    }
}
