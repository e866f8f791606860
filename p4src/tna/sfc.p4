/*
 * sfc on TNA (Tofino 1: bf-p4c --target tofino --arch tna; and the sfc software switch's tna model).
 *
 * Architecture glue only, over the same shared controls as the v1model shell (../include/control/): the
 * parsers, packet-in/out on the CPU port, the core's verdict (meta.drop / meta.to_cpu / meta.eg_port /
 * meta.copy_session) turned into TNA's drop_ctl, ucast_egress_port and ingress mirroring, drop reasons,
 * checksums and the deparsers. What TNA needs that v1model does not:
 *   - ingress and egress are separate pipelines: what egress needs of ingress travels in a bridge header
 *     (the original packet) or a mirror header (a distributor copy), told apart by their first byte;
 *   - an ingress mirror copy is the packet as the ingress deparser wrote it, while v1model's I2E clone is
 *     the packet as it arrived; the mirror header carries the fields ingress may have changed, and egress
 *     puts them back, so a copy leaves the same on both architectures;
 *   - TCP/UDP checksums cannot be summed over the payload: the ingress parser deposits the sum of what does
 *     not change (the residual) and the egress deparser adds the changed fields back (RFC 1624).
 *
 * Compile: p4c --target tofino --arch tna --p4runtime-files sfc.p4info.bin sfc.p4 (-DCPU_PORT=N; any size below
 * with -DNAME=N). sfc converts the counters and meters of bf-p4c's P4Info to P4Runtime's standard ones itself.
 */
#include "arch.p4"
#include "../include/define.p4"

// Tofino 1 in 12 stages (bf-p4c 9.13.4), measured: what differs from size.p4 is the most that fits with the
// rest there (ACL 2,048 takes a 13th stage; the meters of one array must fit one stage: 65,536 do not).
#ifndef SEQUENCE_SIZE
#define SEQUENCE_SIZE      49152
#endif
#ifndef ACL_SIZE
#define ACL_SIZE           1024
#endif
#ifndef PORT_RANGE_SIZE
#define PORT_RANGE_SIZE    1024
#endif
#ifndef MAX_SERVICES
#define MAX_SERVICES       16384   // service meters: a rate-limited service's id must be below this
#endif
#ifndef ARP_SIZE
#define ARP_SIZE           16384   // distinct service addresses (and the engine's own) answered in ARP
#endif
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
#define CPU_PORT 192 // Tofino 1's PCIe CPU port on pipe 1 (64 on a 2-pipe part: give -DCPU_PORT=64)
#endif

// The first byte of what ingress hands to egress.
const bit<8> BRIDGE_ORIGINAL = 1; // the packet itself: bridge_h follows
const bit<8> BRIDGE_COPY     = 2; // an ingress mirror copy: copy_h follows
const MirrorType_t MIRROR_COPY = 1;

// What the original packet brings from ingress to egress.
header bridge_h {
    bit<8>  kind;            // BRIDGE_ORIGINAL
    @padding bit<7> _pad0;
    port_t  ig_port;         // for packet-in (where ingress_intrinsic_metadata_t has it: copied as it is)
    bit<16> l4_residual;     // the L4 checksum without the addresses and ports (ingress parser)
    @padding bit<7> _pad1;
    bool    l4_rewritten;
}

/*
 * A distributor copy, in front of the packet as the ingress deparser wrote it (bridge header included): what
 * ingress changed after classification (next hop MACs, NAT address, translated port, step tag), as it was, so
 * egress can put it back. What classification changed (a reply un-NATed) stays, as on v1model. bf-p4c takes at
 * most 32 bytes of mirror header: this is 23.
 */
header copy_h {
    bit<8>  kind;            // BRIDGE_COPY
    bit<16> l4_residual;
    bit<48> eth_dst;
    bit<48> eth_src;
    bit<32> ipv4_dst;
    bit<16> l4_dport;
    @padding bit<2> _pad0;
    bit<6>  dscp;
    @padding bit<7> _pad1;
    bool    unnat;           // classification rewrote the source: the copy's L4 checksum is recomputed
}

// Tofino 1's egress parser must read at least 65 bytes (bf-p4c pads shorter paths itself, with a warning): a
// frame that is not IPv4 has its first 18 bytes of payload read here, and written back as they were. Any
// Ethernet frame has them (60 bytes at least).
header egress_pad_h {
    bit<64> bytes0_7;    // in fields of at most 64 bits: what the software switch executes
    bit<64> bytes8_15;
    bit<16> bytes16_17;
}

struct tna_headers_t {
    bridge_h     bridge;
    copy_h       copy;
    headers_t    sfc;
    egress_pad_h egress_pad;
}

// The fields ingress may change after classification, as they arrived: a copy leaves with them (v1model's I2E
// clone is the packet as it arrived, and a reply un-NATed by classification reaches copies un-NATed).
struct arrived_t {
    bit<48> eth_dst;
    bit<48> eth_src;
    bit<32> ipv4_dst;
    bit<16> l4_dport;
    bit<6>  dscp;
}

struct tna_metadata_t {
    local_metadata_t sfc;
    arrived_t        arrived;
    MirrorId_t       mirror_session;
    bit<8>           copy_kind;      // BRIDGE_COPY: a mirror field list takes no constant but 0 (bf-p4c)
    bit<16>          l4_residual;
    bool             bad_ipv4;       // version not 4, or options: what v1model's verify() rejects
    bool             tcp_checksum;   // egress deparser: recompute the TCP checksum
    bool             udp_checksum;
    bit<16>          frame_len;      // egress: the frame's length, the end of its IPv4 packet, the room between
    bit<16>          ip_end;
    bit<16>          room;
    bool             short_frame;
}

// Tofino does not zero metadata: every parser starts from this.
#define SFC_TNA_METADATA_INIT { sfc = SFC_LOCAL_METADATA_INIT, \
    arrived = { eth_dst = 0, eth_src = 0, ipv4_dst = 0, l4_dport = 0, dscp = 0 }, \
    mirror_session = 0, copy_kind = 0, l4_residual = 0, bad_ipv4 = false, tcp_checksum = false, udp_checksum = false, \
    frame_len = 0, ip_end = 0, room = 0, short_frame = false }

parser SfcIngressParser(packet_in packet, out tna_headers_t hdr, out tna_metadata_t meta,
                        out ingress_intrinsic_metadata_t ig_intr_md) {
    Checksum() l4_checksum;

    state start {
        packet.extract(ig_intr_md);
        packet.advance(PORT_METADATA_SIZE);
        meta = SFC_TNA_METADATA_INIT;
        transition select(ig_intr_md.ingress_port) {
            CPU_PORT: parse_packet_out;
            default: parse_ethernet;
        }
    }

    state parse_packet_out {
        packet.extract(hdr.sfc.packet_out);
        transition parse_ethernet;
    }

    state parse_ethernet {
        packet.extract(hdr.sfc.ethernet);
        transition select(hdr.sfc.ethernet.ether_type) {
            ETHERTYPE_VLAN: parse_vlan;
            ETHERTYPE_IPV4: parse_ipv4;
            ETHERTYPE_ARP: parse_arp;
            default: accept;
        }
    }

    state parse_vlan {
        packet.extract(hdr.sfc.vlan);
        transition select(hdr.sfc.vlan.ether_type) {
            ETHERTYPE_IPV4: parse_ipv4;
            default: accept;
        }
    }

    // Only a request for an IPv4 address over Ethernet is marked for Arp; any other ARP is dropped as not ours.
    // (Three states: Tofino 1's parser matches on at most 1 x 16 + 2 x 8 bits at a time.)
    state parse_arp {
        packet.extract(hdr.sfc.arp);
        meta.sfc.arp_target = hdr.sfc.arp.tpa;
        transition select(hdr.sfc.arp.ptype, hdr.sfc.arp.hlen, hdr.sfc.arp.plen) {
            (ETHERTYPE_IPV4, 8w6, 8w4): parse_arp_htype;
            default: accept;
        }
    }

    state parse_arp_htype {
        transition select(hdr.sfc.arp.htype) {
            16w1: parse_arp_oper;
            default: accept;
        }
    }

    state parse_arp_oper {
        transition select(hdr.sfc.arp.oper) {
            ARP_REQUEST: arp_request;
            default: accept;
        }
    }

    state arp_request {
        meta.sfc.arp_request = true;
        transition accept;
    }

    state parse_ipv4 {
        packet.extract(hdr.sfc.ipv4);
        // What NAT may change, out of the L4 checksum (the rest, the residual, is deposited with the L4 header).
        l4_checksum.subtract({ hdr.sfc.ipv4.src_addr, hdr.sfc.ipv4.dst_addr });
        // Only a first fragment carries the L4 header; TNA has no verify(): a bad header is marked here, and so
        // is a total length shorter than the header (0..15, 16..19). One longer than the frame is found in egress,
        // which knows the packet's length (Tofino's ingress does not).
        // (Two states: Tofino 1's parser matches on at most 1 x 16 + 2 x 8 bits at a time.)
        transition select(hdr.sfc.ipv4.version, hdr.sfc.ipv4.ihl, hdr.sfc.ipv4.total_len) {
            (4w4, 4w5, 16w0 &&& 16w0xfff0): bad_ipv4;
            (4w4, 4w5, 16w16 &&& 16w0xfffc): bad_ipv4;
            (4w4, 4w5, _): parse_ipv4_payload;
            default: bad_ipv4;
        }
    }

    state parse_ipv4_payload {
        transition select(hdr.sfc.ipv4.frag_offset, hdr.sfc.ipv4.protocol) {
            (13w0, IP_PROTO_TCP): parse_tcp;
            (13w0, IP_PROTO_UDP): parse_udp;
            (13w0, IP_PROTO_ICMP): parse_icmp;
            default: accept;
        }
    }

    state bad_ipv4 {
        meta.bad_ipv4 = true;
        transition accept;
    }

    state parse_tcp {
        packet.extract(hdr.sfc.tcp);
        meta.sfc.l4_src_port = hdr.sfc.tcp.src_port;
        meta.sfc.l4_dst_port = hdr.sfc.tcp.dst_port;
        // ... and what port translation may change.
        l4_checksum.subtract({ hdr.sfc.tcp.src_port, hdr.sfc.tcp.dst_port, hdr.sfc.tcp.checksum });
        l4_checksum.subtract_all_and_deposit(meta.l4_residual);
        transition accept;
    }

    state parse_udp {
        packet.extract(hdr.sfc.udp);
        meta.sfc.l4_src_port = hdr.sfc.udp.src_port;
        meta.sfc.l4_dst_port = hdr.sfc.udp.dst_port;
        l4_checksum.subtract({ hdr.sfc.udp.src_port, hdr.sfc.udp.dst_port, hdr.sfc.udp.checksum });
        l4_checksum.subtract_all_and_deposit(meta.l4_residual);
        transition accept;
    }

    state parse_icmp {
        packet.extract(hdr.sfc.icmp);
        transition accept;
    }
}

control SfcIngress(inout tna_headers_t hdr, inout tna_metadata_t meta,
                   in ingress_intrinsic_metadata_t ig_intr_md,
                   in ingress_intrinsic_metadata_from_parser_t ig_prsr_md,
                   inout ingress_intrinsic_metadata_for_deparser_t ig_dprsr_md,
                   inout ingress_intrinsic_metadata_for_tm_t ig_tm_md) {
    @id(0x12000010) Counter<bit<32>, bit<8>>(DROP_REASONS, CounterType_t.PACKETS) drop_reasons;

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
        hdr.bridge.setValid();
        hdr.bridge.kind = BRIDGE_ORIGINAL;
        hdr.bridge.ig_port = ig_intr_md.ingress_port;
        if (hdr.sfc.packet_out.isValid()) {
            // From the controller (heartbeats, probes): straight out of the port it names.
            ig_tm_md.ucast_egress_port = hdr.sfc.packet_out.egress_port;
            hdr.sfc.packet_out.setInvalid();
            exit;
        }
        meta.sfc.ig_port = ig_intr_md.ingress_port;
        meta.sfc.l4_len = hdr.sfc.ipv4.total_len - 16w20; // a parser cannot subtract on Tofino
        meta.arrived = { hdr.sfc.ethernet.dst_addr, hdr.sfc.ethernet.src_addr, hdr.sfc.ipv4.dst_addr,
                         meta.sfc.l4_dst_port, hdr.sfc.ipv4.dscp };
        if (ig_prsr_md.parser_err != 0 || meta.bad_ipv4) {
            meta.sfc.drop = true;
            meta.sfc.drop_reason = DROP_PARSER_ERROR;
        } else {
            if (hdr.sfc.ipv4.isValid()) {
                port_key_ctl.apply(hdr.sfc, meta.sfc);
            }
            punt_ctl.apply(hdr.sfc, meta.sfc);
            if (!meta.sfc.to_cpu) {
                port_role_ctl.apply(hdr.sfc, meta.sfc);
                if (hdr.sfc.arp.isValid()) {
                    if (!meta.sfc.drop) {
                        arp_ctl.apply(hdr.sfc, meta.sfc);
                    }
                } else {
                    if (!meta.sfc.drop) {
                        if (hdr.sfc.ipv4.isValid()) {
                            classify_ctl.apply(hdr.sfc, meta.sfc);
                        } else {
                            meta.sfc.drop = true;
                            meta.sfc.drop_reason = DROP_NOT_A_SERVICE;
                        }
                    }
                    if (!meta.sfc.drop) {
                        acl_ctl.apply(hdr.sfc, meta.sfc);
                    }
                    if (!meta.sfc.drop) {
                        handshake_ctl.apply(hdr.sfc, meta.sfc);
                        sequence_ctl.apply(hdr.sfc, meta.sfc);
                    }
                    if (!meta.sfc.drop) {
                        next_hop_ctl.apply(hdr.sfc, meta.sfc);
                    }
                }
            }
        }

        hdr.bridge.l4_residual = meta.l4_residual;
        hdr.bridge.l4_rewritten = meta.sfc.l4_rewritten;
        if (meta.sfc.to_cpu && meta.sfc.punt_color != SFC_METER_RED) {
            ig_tm_md.ucast_egress_port = CPU_PORT;
        } else if (meta.sfc.drop || meta.sfc.to_cpu) { // (a punt over its port's rate: Punt named the reason)
            ig_dprsr_md.drop_ctl = 1;
            drop_reasons.count(meta.sfc.drop_reason);
        } else {
            ig_tm_md.ucast_egress_port = meta.sfc.eg_port;
            if (meta.sfc.copy_session != 0) {
                ig_dprsr_md.mirror_type = MIRROR_COPY;
                meta.mirror_session = (MirrorId_t) meta.sfc.copy_session;
                meta.copy_kind = BRIDGE_COPY;
            }
        }
    }
}

control SfcIngressDeparser(packet_out packet, inout tna_headers_t hdr, in tna_metadata_t meta,
                           in ingress_intrinsic_metadata_for_deparser_t ig_dprsr_md) {
    // Mirror(MIRROR_COPY), the typed constructor, fails in bf-p4c on Tofino 1 ("Inconsistent mirror selectors").
    Mirror() mirror;

    apply {
        if (ig_dprsr_md.mirror_type == MIRROR_COPY) {
            mirror.emit<copy_h>(meta.mirror_session, {
                meta.copy_kind, meta.l4_residual, meta.arrived.eth_dst, meta.arrived.eth_src, meta.arrived.ipv4_dst,
                meta.arrived.l4_dport, 0, meta.arrived.dscp, 0, meta.sfc.unnat });
        }
        packet.emit(hdr);
    }
}

parser SfcEgressParser(packet_in packet, out tna_headers_t hdr, out tna_metadata_t meta,
                       out egress_intrinsic_metadata_t eg_intr_md) {
    state start {
        packet.extract(eg_intr_md);
        meta = SFC_TNA_METADATA_INIT;
        transition select(packet.lookahead<bit<8>>()) {
            BRIDGE_COPY: parse_copy;
            default: parse_bridge;
        }
    }

    state parse_copy {
        packet.extract(hdr.copy);
        transition parse_bridge;
    }

    state parse_bridge {
        packet.extract(hdr.bridge);
        transition select(eg_intr_md.egress_port) {
            CPU_PORT: parse_to_cpu;
            default: parse_ethernet;
        }
    }

    // Made valid here, the port filled in by egress: an action of Tofino cannot write a constant (the padding)
    // next to a shifted copy (the port) in one container.
    state parse_to_cpu {
        hdr.sfc.packet_in.setValid();
        hdr.sfc.packet_in._pad = 0;
        transition parse_ethernet;
    }

    state parse_ethernet {
        packet.extract(hdr.sfc.ethernet);
        transition select(hdr.sfc.ethernet.ether_type) {
            ETHERTYPE_VLAN: parse_vlan;
            ETHERTYPE_IPV4: parse_ipv4;
            default: parse_pad;
        }
    }

    state parse_vlan {
        packet.extract(hdr.sfc.vlan);
        transition select(hdr.sfc.vlan.ether_type) {
            ETHERTYPE_IPV4: parse_ipv4;
            default: parse_pad;
        }
    }

    // Ingress dropped what it could not parse: only the L4 header's place is asked again.
    state parse_ipv4 {
        packet.extract(hdr.sfc.ipv4);
        transition select(hdr.sfc.ipv4.frag_offset, hdr.sfc.ipv4.protocol) {
            (13w0, IP_PROTO_TCP): parse_tcp;
            (13w0, IP_PROTO_UDP): parse_udp;
            (13w0, IP_PROTO_ICMP): parse_icmp;
            default: accept;
        }
    }

    state parse_tcp {
        packet.extract(hdr.sfc.tcp);
        transition accept;
    }

    state parse_udp {
        packet.extract(hdr.sfc.udp);
        transition accept;
    }

    state parse_pad {
        packet.extract(hdr.egress_pad);
        transition accept;
    }

    state parse_icmp {
        packet.extract(hdr.sfc.icmp);
        transition accept;
    }
}

// Bytes in front of the frame in egress: what pkt_length counts besides it.
const bit<16> BRIDGE_BYTES = 6;
const bit<16> COPY_BYTES = 23;

control SfcEgress(inout tna_headers_t hdr, inout tna_metadata_t meta,
                  in egress_intrinsic_metadata_t eg_intr_md,
                  in egress_intrinsic_metadata_from_parser_t eg_prsr_md,
                  inout egress_intrinsic_metadata_for_deparser_t eg_dprsr_md,
                  inout egress_intrinsic_metadata_for_output_port_t eg_oport_md) {
    // Drops egress makes (v1model makes them in ingress, into drop_reasons): the controller adds the two up.
    @id(0x12000011) Counter<bit<32>, bit<8>>(DROP_REASONS, CounterType_t.PACKETS) egress_drop_reasons;
    CopyTarget() copy_target_ctl;

    // The sign of the room as a match, not a condition: a Tofino gateway cannot take the subtractions that make
    // it (bf-p4c folds them into the condition: "condition expression too complex").
    action frame_is_short() {
        meta.short_frame = true;
    }

    table frame_check {
        key = { meta.room : ternary @name("room"); }
        actions = { frame_is_short; @defaultonly NoAction; }
        const default_action = NoAction();
        const entries = { 16w0x8000 &&& 16w0x8000 : frame_is_short(); }
        size = 1;
    }

    apply {
        // An IPv4 length the frame does not hold: malformed (v1model's ingress drops it, reason 1). Counted once,
        // for the original: its distributor copies are dropped with it. In steps a Tofino gateway can take: the
        // frame's length, where the IPv4 packet says it ends, and the sign of the room left.
        meta.frame_len = eg_intr_md.pkt_length - BRIDGE_BYTES;
        if (hdr.copy.isValid()) {
            meta.frame_len = eg_intr_md.pkt_length - (BRIDGE_BYTES + COPY_BYTES);
        }
        meta.ip_end = hdr.sfc.ipv4.total_len + 16w14;
        if (hdr.sfc.vlan.isValid()) {
            meta.ip_end = hdr.sfc.ipv4.total_len + 16w18;
        }
        meta.room = meta.frame_len - meta.ip_end; // below 0 (bit 15 set) when the frame is short: frames are < 32 KB
        frame_check.apply();
        if (hdr.sfc.ipv4.isValid() && meta.short_frame) {
            eg_dprsr_md.drop_ctl = 1;
            if (!hdr.copy.isValid()) {
                egress_drop_reasons.count(DROP_PARSER_ERROR);
            }
            exit;
        }
        meta.sfc.l4_len = hdr.sfc.ipv4.total_len - 16w20;
        meta.l4_residual = hdr.bridge.l4_residual;
        meta.sfc.l4_rewritten = hdr.bridge.l4_rewritten;
        if (hdr.sfc.packet_in.isValid()) { // to the CPU port (the egress parser said)
            hdr.sfc.packet_in.ingress_port = hdr.bridge.ig_port;
        } else if (hdr.copy.isValid()) {
            // Back to the packet as it arrived (but for what classification changed), as v1model's I2E clone.
            hdr.sfc.ethernet.dst_addr = hdr.copy.eth_dst;
            hdr.sfc.ethernet.src_addr = hdr.copy.eth_src;
            hdr.sfc.ipv4.dst_addr = hdr.copy.ipv4_dst;
            hdr.sfc.ipv4.dscp = hdr.copy.dscp;
            if (hdr.sfc.tcp.isValid()) {
                hdr.sfc.tcp.dst_port = hdr.copy.l4_dport;
            }
            if (hdr.sfc.udp.isValid()) {
                hdr.sfc.udp.dst_port = hdr.copy.l4_dport;
            }
            meta.l4_residual = hdr.copy.l4_residual;
            meta.sfc.l4_rewritten = hdr.copy.unnat;
            meta.sfc.is_copy = true;
            meta.sfc.copy_rid = eg_intr_md.egress_rid;
            copy_target_ctl.apply(hdr.sfc, meta.sfc);
        }
        hdr.bridge.setInvalid();
        hdr.copy.setInvalid();
        if (meta.sfc.l4_rewritten) {
            if (hdr.sfc.tcp.isValid()) {
                meta.tcp_checksum = true;
            }
            if (hdr.sfc.udp.isValid() && hdr.sfc.udp.checksum != 0) { // 0: the sender sent none
                meta.udp_checksum = true;
            }
        }
    }
}

control SfcEgressDeparser(packet_out packet, inout tna_headers_t hdr, in tna_metadata_t meta,
                          in egress_intrinsic_metadata_for_deparser_t eg_dprsr_md) {
    Checksum() ipv4_checksum;
    Checksum() tcp_checksum;
    Checksum() udp_checksum;

    apply {
        // DSCP (the step tag) changes at nearly every hop: the IPv4 checksum is always recomputed.
        hdr.sfc.ipv4.hdr_checksum = ipv4_checksum.update({
            hdr.sfc.ipv4.version, hdr.sfc.ipv4.ihl, hdr.sfc.ipv4.dscp, hdr.sfc.ipv4.ecn, hdr.sfc.ipv4.total_len,
            hdr.sfc.ipv4.identification, hdr.sfc.ipv4.flags, hdr.sfc.ipv4.frag_offset, hdr.sfc.ipv4.ttl,
            hdr.sfc.ipv4.protocol, hdr.sfc.ipv4.src_addr, hdr.sfc.ipv4.dst_addr });
        // The residual holds the rest of the L4 checksum (length, payload, ...): add the fields that changed.
        if (meta.tcp_checksum) {
            hdr.sfc.tcp.checksum = tcp_checksum.update({
                hdr.sfc.ipv4.src_addr, hdr.sfc.ipv4.dst_addr, hdr.sfc.tcp.src_port, hdr.sfc.tcp.dst_port,
                meta.l4_residual });
        }
        if (meta.udp_checksum) {
            hdr.sfc.udp.checksum = udp_checksum.update({
                hdr.sfc.ipv4.src_addr, hdr.sfc.ipv4.dst_addr, hdr.sfc.udp.src_port, hdr.sfc.udp.dst_port,
                meta.l4_residual }, true);
        }
        packet.emit(hdr.sfc);
        packet.emit(hdr.egress_pad);
    }
}

Pipeline(SfcIngressParser(), SfcIngress(), SfcIngressDeparser(),
         SfcEgressParser(), SfcEgress(), SfcEgressDeparser()) pipe;

Switch(pipe) main;
