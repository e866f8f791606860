/*
 * Every kind of P4Info object without explicit ids, default actions with and without arguments, annotations and
 * documentation: what P4InfoParityTest holds our P4Info to p4c's on (ids hashed from names, aliases, 1.4 fields).
 */
#define V1MODEL_VERSION 20200408
#include <core.p4>
#include <v1model.p4>

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
    packet_in_t packet_in;
    eth_t eth;
}

struct meta_t {
    bit<8> color;
}

parser P(packet_in pkt, out headers_t h, inout meta_t m, inout standard_metadata_t s) {
    state start {
        pkt.extract(h.eth);
        transition accept;
    }
}

control VC(inout headers_t h, inout meta_t m) {
    apply { }
}

control Ig(inout headers_t h, inout meta_t m, inout standard_metadata_t s) {
    counter<bit<10>>(1024, CounterType.packets) port_packets;
    meter<bit<8>>(256, MeterType.bytes) port_meter;
    register<bit<32>, bit<4>>(16) last_seen;
    direct_counter(CounterType.bytes) fwd_bytes;
    direct_meter<bit<8>>(MeterType.packets) fwd_meter;
    action_profile(128) type_profile;

    @brief("sends the packet out of a port")
    @description("the port is an egress_spec")
    action forward(bit<9> port, bit<48> smac) {
        s.egress_spec = port;
        h.eth.src = smac;
        fwd_meter.read(m.color);
    }

    @my_annotation("kept", 3)
    action drop() {
        mark_to_drop(s);
    }

    // Only called by set_type, never in a table: not in the P4Info (p4c inlines it).
    action write_type(bit<16> type) {
        h.eth.type = type;
    }

    action set_type(bit<16> type) {
        write_type(type);
    }

    @brief("layer-2 forwarding")
    table fwd {
        key = {
            h.eth.dst : exact @name("dst");
            s.ingress_port : ternary @name("port");
        }
        actions = { forward; drop; }
        default_action = forward(9w1, 48w0x0a0b0c0d0e0f);
        counters = fwd_bytes;
        meters = fwd_meter;
        size = 512;
    }

    table types {
        key = { h.eth.type : lpm; }
        actions = { set_type; @defaultonly drop; }
        const default_action = drop();
    }

    table by_profile {
        key = { h.eth.src : exact; }
        actions = { set_type; forward; }
        implementation = type_profile;
    }

    apply {
        fwd.apply();
        types.apply();
        by_profile.apply();
        port_packets.count((bit<10>) s.ingress_port);
        port_meter.execute_meter((bit<8>) s.ingress_port, m.color);
        last_seen.write((bit<4>) s.ingress_port, 32w1);
    }
}

control Eg(inout headers_t h, inout meta_t m, inout standard_metadata_t s) {
    action tag(bit<16> type) {
        h.eth.type = type;
    }

    table egress_types {
        key = { s.egress_port : exact; h.eth.type : range; }
        actions = { tag; NoAction; }
        default_action = tag(16w0x88b5);
    }

    apply {
        egress_types.apply();
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
