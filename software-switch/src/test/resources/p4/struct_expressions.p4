// Struct-valued expressions (P4-16 8.13): fields by name, in any order, nested; a header made valid by one.
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> a; bit<8> b; bit<16> c; bit<32> d; }
struct headers_t { h_t h; }
struct meta_t { bit<8> x; bit<16> y; }
struct pair_t { bit<8> x; bit<8> y; } struct two_t { pair_t p; bit<16> z; }
parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { state start { pkt.extract(hdr.h); transition accept; } }
control VC(inout headers_t hdr, inout meta_t meta) { apply {} }
control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
  apply { sm.egress_spec = 1; two_t t = { z = 16w7, p = { y = 8w1, x = 8w2 } }; hdr.h.a = t.p.x; hdr.h.b = t.p.y; hdr.h = { d = (bit<32>) t.z, c = hdr.h.c, b = hdr.h.b, a = hdr.h.a }; }
}
control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply {} }
control CC(inout headers_t hdr, inout meta_t meta) { apply {} }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr.h); } }
V1Switch(P(), VC(), I(), E(), CC(), D()) main;
