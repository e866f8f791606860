/*
 * What an ingress-to-egress (I2E) and an egress-to-egress (E2E) clone carry, made visible: egress writes the
 * metadata it sees into a probe header, so the frames that leave show which values survived. CloneSemanticsTest
 * sends one frame through it on every target and compares, field by field, with BMv2's rules.
 *   port 2: the original; port 3: its I2E clone (session 5, field list 1); port 4: the original's E2E clone
 *   (session 6, field list 2).
 */
#define V1MODEL_VERSION 20200408
#include <core.p4>
#include <v1model.p4>

header eth_t {
    bit<48> dst;
    bit<48> src;
    bit<16> type;
}

header probe_t {
    bit<8>  from_parser;   // meta.from_parser: set by the parser
    bit<8>  kept;          // meta.kept: set in ingress, in field list 1
    bit<8>  not_kept;      // meta.not_kept: set in ingress, in no field list
    bit<8>  ingress_edit;  // a header field ingress changes
    bit<8>  instance_type;
    bit<16> ingress_port;
    bit<16> packet_length;
    bit<8>  e2e_kept;      // meta.e2e_kept: set in egress, in field list 2
}

struct headers_t {
    eth_t eth;
    probe_t probe;
}

struct meta_t {
    bit<8> from_parser;
    @field_list(1)
    bit<8> kept;
    bit<8> not_kept;
    @field_list(2)
    bit<8> e2e_kept;
}

parser P(packet_in pkt, out headers_t h, inout meta_t m, inout standard_metadata_t s) {
    state start {
        pkt.extract(h.eth);
        pkt.extract(h.probe);
        m.from_parser = 0xa1;
        transition accept;
    }
}

control VC(inout headers_t h, inout meta_t m) {
    apply { }
}

control Ig(inout headers_t h, inout meta_t m, inout standard_metadata_t s) {
    apply {
        m.kept = 0xb2;
        m.not_kept = 0xc3;
        h.probe.ingress_edit = 0xd4;
        s.egress_spec = 2;
        clone_preserving_field_list(CloneType.I2E, 32w5, 8w1);
    }
}

control Eg(inout headers_t h, inout meta_t m, inout standard_metadata_t s) {
    apply {
        h.probe.from_parser = m.from_parser;
        h.probe.kept = m.kept;
        h.probe.not_kept = m.not_kept;
        h.probe.instance_type = (bit<8>) s.instance_type;
        h.probe.ingress_port = (bit<16>) s.ingress_port;
        h.probe.packet_length = (bit<16>) s.packet_length;
        h.probe.e2e_kept = m.e2e_kept;
        if (s.instance_type == 0) {
            m.e2e_kept = 0xe5;
            clone_preserving_field_list(CloneType.E2E, 32w6, 8w2);
        }
    }
}

control CC(inout headers_t h, inout meta_t m) {
    apply { }
}

control D(packet_out pkt, in headers_t h) {
    apply {
        pkt.emit(h.eth);
        pkt.emit(h.probe);
    }
}

V1Switch(P(), VC(), Ig(), Eg(), CC(), D()) main;
