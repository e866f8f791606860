// A small v1model router used by the software switch's own tests: LPM forwarding with TTL decrement and
// IPv4 checksum update, an ACL with ternary/range keys, direct and indexed counters, a meter, a register,
// a selector-based next hop, packet-in/out controller headers and clones.
#include <core.p4>
#include <v1model.p4>

#define CPU_PORT 255
const bit<16> TYPE_IPV4 = 0x0800;

@controller_header("packet_out")
header packet_out_t {
    bit<9> egress_port;
    bit<7> _pad;
}

@controller_header("packet_in")
header packet_in_t {
    bit<9> ingress_port;
    bit<7> _pad;
}

header ethernet_t {
    bit<48> dstAddr;
    bit<48> srcAddr;
    bit<16> etherType;
}

header ipv4_t {
    bit<4>  version;
    bit<4>  ihl;
    bit<6>  dscp;
    bit<2>  ecn;
    bit<16> totalLen;
    bit<16> identification;
    bit<3>  flags;
    bit<13> fragOffset;
    bit<8>  ttl;
    bit<8>  protocol;
    bit<16> hdrChecksum;
    bit<32> srcAddr;
    bit<32> dstAddr;
}

header tcp_t {
    bit<16> srcPort;
    bit<16> dstPort;
    bit<32> seqNo;
    bit<32> ackNo;
    bit<4>  dataOffset;
    bit<4>  res;
    bit<8>  flags;
    bit<16> window;
    bit<16> checksum;
    bit<16> urgentPtr;
}

header udp_t {
    bit<16> srcPort;
    bit<16> dstPort;
    bit<16> length;
    bit<16> checksum;
}

struct headers_t {
    packet_out_t packet_out;
    packet_in_t  packet_in;
    ethernet_t   ethernet;
    ipv4_t       ipv4;
    tcp_t        tcp;
    udp_t        udp;
}

struct metadata_t {
    @field_list(1)
    bit<16> l4_dport;
    bit<16> l4_sport;
    bit<2>  color;
    bit<32> reg_val;
}

parser MyParser(packet_in packet, out headers_t hdr, inout metadata_t meta,
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
        transition select(hdr.ethernet.etherType) {
            TYPE_IPV4: parse_ipv4;
            default: accept;
        }
    }
    state parse_ipv4 {
        packet.extract(hdr.ipv4);
        verify(hdr.ipv4.ihl >= 5, error.HeaderTooShort);
        transition select(hdr.ipv4.protocol) {
            6: parse_tcp;
            17: parse_udp;
            default: accept;
        }
    }
    state parse_tcp {
        packet.extract(hdr.tcp);
        meta.l4_dport = hdr.tcp.dstPort;
        meta.l4_sport = hdr.tcp.srcPort;
        transition accept;
    }
    state parse_udp {
        packet.extract(hdr.udp);
        meta.l4_dport = hdr.udp.dstPort;
        meta.l4_sport = hdr.udp.srcPort;
        transition accept;
    }
}

control MyVerifyChecksum(inout headers_t hdr, inout metadata_t meta) {
    apply {
        verify_checksum(hdr.ipv4.isValid(),
            { hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.dscp, hdr.ipv4.ecn, hdr.ipv4.totalLen,
              hdr.ipv4.identification, hdr.ipv4.flags, hdr.ipv4.fragOffset, hdr.ipv4.ttl,
              hdr.ipv4.protocol, hdr.ipv4.srcAddr, hdr.ipv4.dstAddr },
            hdr.ipv4.hdrChecksum, HashAlgorithm.csum16);
    }
}

// A nested control, applied with copy-in/copy-out of its parameters.
control Acl(inout headers_t hdr, inout metadata_t meta, inout standard_metadata_t sm) {
    @id(0x13000001) direct_counter(CounterType.packets_and_bytes) acl_counter;

    action deny() {
        mark_to_drop(sm);
    }
    action permit() {}

    @id(0x02000010)
    table acl {
        key = {
            hdr.ipv4.srcAddr : ternary;
            meta.l4_dport    : range @name("l4_dport");
        }
        actions = { permit; deny; }
        default_action = permit();
        counters = acl_counter;
        size = 256;
    }
    apply {
        if (hdr.ipv4.isValid()) {
            acl.apply();
        }
    }
}

control MyIngress(inout headers_t hdr, inout metadata_t meta, inout standard_metadata_t standard_metadata) {
    counter(64, CounterType.packets_and_bytes) port_counter;
    meter(16, MeterType.packets) port_meter;
    register<bit<32>>(16) last_len;
    action_selector(HashAlgorithm.crc16, 32w64, 32w16) nh_selector;
    Acl() acl_ctl;

    action drop() {
        mark_to_drop(standard_metadata);
    }
    action forward(bit<48> dstAddr, bit<9> port) {
        standard_metadata.egress_spec = port;
        hdr.ethernet.srcAddr = hdr.ethernet.dstAddr;
        hdr.ethernet.dstAddr = dstAddr;
        hdr.ipv4.ttl = hdr.ipv4.ttl - 1;
    }
    action set_port(bit<9> port) {
        standard_metadata.egress_spec = port;
    }
    action flood(bit<16> grp) {
        standard_metadata.mcast_grp = grp;
    }
    action to_cpu() {
        standard_metadata.egress_spec = CPU_PORT;
    }
    action mirror(bit<32> session) {
        clone_preserving_field_list(CloneType.I2E, session, 1);
    }

    @id(0x02000001)
    table ipv4_lpm {
        key = { hdr.ipv4.dstAddr : lpm; }
        actions = { forward; drop; to_cpu; NoAction; }
        size = 1024;
        default_action = drop();
    }

    table l2 {
        key = { hdr.ethernet.dstAddr : exact; }
        actions = { set_port; flood; drop; }
        default_action = drop();
    }

    table next_hop {
        key = {
            hdr.ipv4.dstAddr  : exact @name("nh_dst");
            hdr.ipv4.srcAddr  : selector;
            hdr.ipv4.dstAddr  : selector;
            meta.l4_sport     : selector;
            meta.l4_dport     : selector;
        }
        actions = { set_port; }
        implementation = nh_selector;
        size = 64;
    }

    table mirror_tbl {
        key = { standard_metadata.ingress_port : exact; }
        actions = { mirror; NoAction; }
        const default_action = NoAction();
    }

    table const_tbl {
        key = { hdr.ethernet.etherType : exact; }
        actions = { NoAction; drop; }
        const entries = {
            0x86dd : drop();
        }
    }

    apply {
        if (standard_metadata.parser_error != error.NoError) {
            drop();
            exit;
        }
        if (hdr.packet_out.isValid()) {
            standard_metadata.egress_spec = hdr.packet_out.egress_port;
            hdr.packet_out.setInvalid();
            exit;
        }
        port_counter.count((bit<32>) standard_metadata.ingress_port);
        port_meter.execute_meter((bit<32>) standard_metadata.ingress_port, meta.color);
        if (meta.color == V1MODEL_METER_COLOR_RED) {
            drop();
            exit;
        }
        last_len.write((bit<32>) standard_metadata.ingress_port, standard_metadata.packet_length);
        if (const_tbl.apply().hit) {
            exit;
        }
        mirror_tbl.apply();
        if (hdr.ipv4.isValid()) {
            if (!next_hop.apply().hit) {
                switch (ipv4_lpm.apply().action_run) {
                    forward: {
                        acl_ctl.apply(hdr, meta, standard_metadata);
                    }
                    default: {}
                }
            }
        } else {
            l2.apply();
        }
    }
}

control MyEgress(inout headers_t hdr, inout metadata_t meta, inout standard_metadata_t standard_metadata) {
    apply {
        if (standard_metadata.egress_port == CPU_PORT) {
            hdr.packet_in.setValid();
            hdr.packet_in.ingress_port = standard_metadata.ingress_port;
            hdr.packet_in._pad = 0;
        }
        if (standard_metadata.instance_type == 5) {
            // Multicast copies carry their replica's instance (egress_rid) in the Ethernet source address.
            hdr.ethernet.srcAddr = (bit<48>) standard_metadata.egress_rid;
        }
        if (standard_metadata.instance_type == 1) {
            // I2E copies are marked so tests can tell them apart: DSCP carries the preserved l4_dport's low bits.
            hdr.ipv4.dscp = meta.l4_dport[5:0];
        }
    }
}

control MyComputeChecksum(inout headers_t hdr, inout metadata_t meta) {
    apply {
        update_checksum(hdr.ipv4.isValid(),
            { hdr.ipv4.version, hdr.ipv4.ihl, hdr.ipv4.dscp, hdr.ipv4.ecn, hdr.ipv4.totalLen,
              hdr.ipv4.identification, hdr.ipv4.flags, hdr.ipv4.fragOffset, hdr.ipv4.ttl,
              hdr.ipv4.protocol, hdr.ipv4.srcAddr, hdr.ipv4.dstAddr },
            hdr.ipv4.hdrChecksum, HashAlgorithm.csum16);
    }
}

control MyDeparser(packet_out packet, in headers_t hdr) {
    apply {
        packet.emit(hdr.packet_in);
        packet.emit(hdr.ethernet);
        packet.emit(hdr.ipv4);
        packet.emit(hdr.tcp);
        packet.emit(hdr.udp);
    }
}

V1Switch(MyParser(), MyVerifyChecksum(), MyIngress(), MyEgress(), MyComputeChecksum(), MyDeparser()) main;
