/*
 * The program P4RuntimeConformanceTest drives the P4Runtime server with: a selector with a max_group_size
 * (group rules, one-shot programming), a table with a direct counter and a direct meter, indexed counters and
 * meters, a const table, and a packet_out header with padding.
 */
#define V1MODEL_VERSION 20200408
#include <core.p4>
#include <v1model.p4>

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

header eth_t {
    bit<48> dst;
    bit<48> src;
    bit<16> type;
}

struct headers_t {
    packet_out_t packet_out;
    packet_in_t packet_in;
    eth_t eth;
}

struct meta_t {
    bit<2> color;
}

parser P(packet_in pkt, out headers_t h, inout meta_t m, inout standard_metadata_t s) {
    state start {
        transition select(s.ingress_port) {
            255: parse_packet_out;
            default: parse_eth;
        }
    }
    state parse_packet_out {
        pkt.extract(h.packet_out);
        transition parse_eth;
    }
    state parse_eth {
        pkt.extract(h.eth);
        transition accept;
    }
}

control VC(inout headers_t h, inout meta_t m) {
    apply { }
}

control Ig(inout headers_t h, inout meta_t m, inout standard_metadata_t s) {
    counter<bit<8>>(16, CounterType.packets_and_bytes) port_counter;
    meter<bit<8>>(16, MeterType.packets) port_meter;
    direct_counter(CounterType.packets_and_bytes) l2_counter;
    direct_meter<bit<2>>(MeterType.packets) l2_meter;
    @max_group_size(4) action_selector(HashAlgorithm.crc16, 32w64, 32w16) ecmp_selector;

    action to_port(bit<9> port) {
        s.egress_spec = port;
    }

    action metered_to_port(bit<9> port) {
        s.egress_spec = port;
        l2_meter.read(m.color);
    }

    action drop() {
        mark_to_drop(s);
    }

    table l2 {
        key = { h.eth.dst : exact @name("dst"); }
        actions = { metered_to_port; drop; }
        counters = l2_counter;
        meters = l2_meter;
        size = 64;
    }

    table ecmp {
        key = {
            h.eth.type : exact @name("type");
            h.eth.src  : selector;
        }
        actions = { to_port; }
        implementation = ecmp_selector;
        size = 64;
    }

    table fixed {
        key = { h.eth.type : exact @name("type"); }
        actions = { to_port; drop; }
        const entries = {
            0x0806 : to_port(9w1);
        }
    }

    apply {
        if (h.packet_out.isValid()) {
            s.egress_spec = h.packet_out.egress_port;
            h.packet_out.setInvalid();
            exit;
        }
        port_counter.count((bit<8>) s.ingress_port);
        port_meter.execute_meter((bit<8>) s.ingress_port, m.color);
        if (!l2.apply().hit) {
            if (!ecmp.apply().hit) {
                fixed.apply();
            }
        }
    }
}

control Eg(inout headers_t h, inout meta_t m, inout standard_metadata_t s) {
    apply {
        if (s.egress_port == 255) {
            h.packet_in.setValid();
            h.packet_in.ingress_port = s.ingress_port;
            h.packet_in._pad = 0;
        }
    }
}

control CC(inout headers_t h, inout meta_t m) {
    apply { }
}

control D(packet_out pkt, in headers_t h) {
    apply {
        pkt.emit(h.packet_in);
        pkt.emit(h.eth);
    }
}

V1Switch(P(), VC(), Ig(), Eg(), CC(), D()) main;
