/*
 * sfc on v1model (BMv2 simple_switch_grpc, and the sfc software switch).
 *
 * This file is the architecture glue only: the parser, packet-in/out on the CPU port, turning the core's
 * verdict (meta.drop / meta.to_cpu / meta.eg_port / meta.copy_session) into v1model's drop, clone and
 * egress_spec, counting drops by reason, checksums and the deparser. The service chaining itself lives in
 * the shared controls under ../include/control/.
 *
 * Compile: p4c --target bmv2 --arch v1model --p4runtime-files sfc.p4info.txtpb sfc.p4   (-DCPU_PORT=N)
 */
#include "arch.p4"
#include "../include/define.p4"
#include "../include/size.p4"
#include "../include/header.p4"
#include "../include/control/punt.p4"
#include "../include/control/port_role.p4"
#include "../include/control/arp.p4"
#include "../include/control/classify.p4"
#include "../include/control/acl.p4"
#include "../include/control/handshake.p4"
#include "../include/control/sequence.p4"
#include "../include/control/next_hop.p4"
#include "../include/control/copy_target.p4"

#ifndef CPU_PORT
#define CPU_PORT 255
#endif

const bit<32> INSTANCE_TYPE_INGRESS_CLONE = 1;
const bit<8>  FIELD_LIST_COPY = 1;

error {
    Ipv4BadVersion,
    Ipv4BadIhl,
    Ipv4OptionsNotSupported
}

parser SfcParser(packet_in packet, out headers_t hdr, inout local_metadata_t meta,
                 inout standard_metadata_t standard_metadata) {
    state start {
        transition select(standard_metadata.ingress_port) {
            CPU_PORT: parse_packet_out;
            default: parse_ethernet;
        }
    }

    state parse_packet_out {
        packet.extract(hdr.packet_out);
        transition parse_ethernet;
    }

    state parse_ethernet {
        packet.extract(hdr.ethernet);
        transition select(hdr.ethernet.ether_type) {
            ETHERTYPE_VLAN: parse_vlan;
            ETHERTYPE_IPV4: parse_ipv4;
            ETHERTYPE_ARP: parse_arp;
            default: accept;
        }
    }

    state parse_vlan {
        packet.extract(hdr.vlan);
        transition select(hdr.vlan.ether_type) {
            ETHERTYPE_IPV4: parse_ipv4;
            default: accept;
        }
    }

    // Only a request for an IPv4 address over Ethernet is marked for Arp; any other ARP is dropped as not ours.
    state parse_arp {
        packet.extract(hdr.arp);
        meta.arp_target = hdr.arp.tpa;
        transition select(hdr.arp.htype, hdr.arp.ptype, hdr.arp.hlen, hdr.arp.plen, hdr.arp.oper) {
            (16w1, ETHERTYPE_IPV4, 8w6, 8w4, ARP_REQUEST): arp_request;
            default: accept;
        }
    }

    state arp_request {
        meta.arp_request = true;
        transition accept;
    }

    state parse_ipv4 {
        packet.extract(hdr.ipv4);
        verify(hdr.ipv4.version == 4, error.Ipv4BadVersion);
        verify(hdr.ipv4.ihl >= 5, error.Ipv4BadIhl);
        verify(hdr.ipv4.ihl == 5, error.Ipv4OptionsNotSupported);
        meta.l4_len = hdr.ipv4.total_len - 16w20;
        // Only a first fragment carries the L4 header.
        transition select(hdr.ipv4.frag_offset, hdr.ipv4.protocol) {
            (13w0, IP_PROTO_TCP): parse_tcp;
            (13w0, IP_PROTO_UDP): parse_udp;
            (13w0, IP_PROTO_ICMP): parse_icmp;
            default: accept;
        }
    }

    state parse_tcp {
        packet.extract(hdr.tcp);
        meta.l4_src_port = hdr.tcp.src_port;
        meta.l4_dst_port = hdr.tcp.dst_port;
        transition accept;
    }

    state parse_udp {
        packet.extract(hdr.udp);
        meta.l4_src_port = hdr.udp.src_port;
        meta.l4_dst_port = hdr.udp.dst_port;
        transition accept;
    }

    state parse_icmp {
        packet.extract(hdr.icmp);
        transition accept;
    }
}

control SfcVerifyChecksum(inout headers_t hdr, inout local_metadata_t meta) {
    apply {
        // Checksums are the devices' business: a bad one is forwarded as it is.
    }
}

control SfcIngress(inout headers_t hdr, inout local_metadata_t meta,
                   inout standard_metadata_t standard_metadata) {
    @id(0x12000010) counter<bit<32>>(DROP_REASONS, CounterType.packets) drop_reasons;

    Punt() punt_ctl;
    PortRole() port_role_ctl;
    Arp() arp_ctl;
    PortKey() port_key_ctl;
    Classify() classify_ctl;
    Acl() acl_ctl;
    Handshake() handshake_ctl;
    Sequence() sequence_ctl;
    NextHop() next_hop_ctl;

    apply {
        if (hdr.packet_out.isValid()) {
            // From the controller (heartbeats, probes): straight out of the port it names.
            standard_metadata.egress_spec = hdr.packet_out.egress_port;
            hdr.packet_out.setInvalid();
            exit;
        }
        meta.ig_port = standard_metadata.ingress_port;
        bit<32> l2_len = hdr.vlan.isValid() ? 32w18 : 32w14;
        if (standard_metadata.parser_error != error.NoError
                || (hdr.ipv4.isValid() && (hdr.ipv4.total_len < 16w20
                    || (bit<32>) hdr.ipv4.total_len + l2_len > standard_metadata.packet_length))) {
            // v1model does not drop on parser errors by itself. An IPv4 length the frame does not hold (or shorter
            // than the header) is malformed too: what follows it would be read as the packet's.
            meta.drop = true;
            meta.drop_reason = DROP_PARSER_ERROR;
        } else {
            if (hdr.ipv4.isValid()) {
                port_key_ctl.apply(hdr, meta);
            }
            punt_ctl.apply(hdr, meta);
            if (!meta.to_cpu) {
                port_role_ctl.apply(hdr, meta);
                if (hdr.arp.isValid()) {
                    if (!meta.drop) {
                        arp_ctl.apply(hdr, meta);
                    }
                } else {
                    if (!meta.drop) {
                        if (hdr.ipv4.isValid()) {
                            classify_ctl.apply(hdr, meta);
                        } else {
                            meta.drop = true;
                            meta.drop_reason = DROP_NOT_A_SERVICE;
                        }
                    }
                    if (!meta.drop) {
                        acl_ctl.apply(hdr, meta);
                    }
                    if (!meta.drop) {
                        handshake_ctl.apply(hdr, meta);
                        sequence_ctl.apply(hdr, meta);
                    }
                    if (!meta.drop) {
                        next_hop_ctl.apply(hdr, meta);
                    }
                }
            }
        }

        if (meta.to_cpu && meta.punt_color != SFC_METER_RED) {
            standard_metadata.egress_spec = CPU_PORT;
        } else if (meta.drop || meta.to_cpu) { // (a punt over its port's rate: Punt named the reason)
            mark_to_drop(standard_metadata);
            drop_reasons.count((bit<32>) meta.drop_reason);
        } else {
            standard_metadata.egress_spec = meta.eg_port;
            if (meta.copy_session != 0) {
                clone_preserving_field_list(CloneType.I2E, (bit<32>) meta.copy_session, FIELD_LIST_COPY);
            }
        }
    }
}

control SfcEgress(inout headers_t hdr, inout local_metadata_t meta,
                  inout standard_metadata_t standard_metadata) {
    CopyTarget() copy_target_ctl;

    apply {
        if (standard_metadata.egress_port == CPU_PORT) {
            hdr.packet_in.setValid();
            hdr.packet_in.ingress_port = standard_metadata.ingress_port;
            hdr.packet_in._pad = 0;
        } else if (standard_metadata.instance_type == INSTANCE_TYPE_INGRESS_CLONE) {
            meta.is_copy = true;
            meta.copy_rid = standard_metadata.egress_rid;
            copy_target_ctl.apply(hdr, meta);
        }
    }
}

control SfcComputeChecksum(inout headers_t hdr, inout local_metadata_t meta) {
    apply {
        // DSCP (the step tag) changes at nearly every hop: the IPv4 checksum is always recomputed.
        update_checksum(hdr.ipv4.isValid(),
            { hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.dscp, hdr.ipv4.ecn, hdr.ipv4.total_len,
              hdr.ipv4.identification, hdr.ipv4.flags, hdr.ipv4.frag_offset, hdr.ipv4.ttl,
              hdr.ipv4.protocol, hdr.ipv4.src_addr, hdr.ipv4.dst_addr },
            hdr.ipv4.hdr_checksum, HashAlgorithm.csum16);
        // TCP/UDP checksums cover the addresses and ports: recomputed only when NAT or a port translation
        // changed them (a UDP checksum of 0 means 'none' and stays 0).
        update_checksum_with_payload(hdr.tcp.isValid() && meta.l4_rewritten,
            { hdr.ipv4.src_addr, hdr.ipv4.dst_addr, 8w0, hdr.ipv4.protocol, meta.l4_len,
              hdr.tcp.src_port, hdr.tcp.dst_port, hdr.tcp.seq_no, hdr.tcp.ack_no, hdr.tcp.data_offset,
              hdr.tcp.res, hdr.tcp.flags, hdr.tcp.window, 16w0, hdr.tcp.urgent_ptr },
            hdr.tcp.checksum, HashAlgorithm.csum16);
        update_checksum_with_payload(hdr.udp.isValid() && meta.l4_rewritten && hdr.udp.checksum != 0,
            { hdr.ipv4.src_addr, hdr.ipv4.dst_addr, 8w0, hdr.ipv4.protocol, meta.l4_len,
              hdr.udp.src_port, hdr.udp.dst_port, hdr.udp.length, 16w0 },
            hdr.udp.checksum, HashAlgorithm.csum16);
    }
}

control SfcDeparser(packet_out packet, in headers_t hdr) {
    apply {
        packet.emit(hdr.packet_in);
        packet.emit(hdr.ethernet);
        packet.emit(hdr.vlan);
        packet.emit(hdr.arp);
        packet.emit(hdr.ipv4);
        packet.emit(hdr.tcp);
        packet.emit(hdr.udp);
        packet.emit(hdr.icmp);
    }
}

V1Switch(SfcParser(), SfcVerifyChecksum(), SfcIngress(), SfcEgress(), SfcComputeChecksum(), SfcDeparser()) main;
