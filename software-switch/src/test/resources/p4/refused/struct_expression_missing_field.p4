// Refused: a struct-valued expression must give every field of the struct (y is missing).
#include <core.p4>
#include <v1model.p4>
header h_t { bit<8> a; bit<8> b; bit<16> c; bit<32> d; }
struct headers_t { h_t h; }
struct meta_t { bit<8> x; bit<16> y; }
struct pair_t { bit<8> x; bit<8> y; } struct two_t { pair_t p; bit<16> z; }
parser P(packet_in pkt, out headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { state start { pkt.extract(hdr.h); transition accept; } }
control VC(inout headers_t hdr, inout meta_t meta) { apply {} }
control I(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) {
  apply { sm.egress_spec = 1; pair_t p = { x = 8w1 }; hdr.h.a = p.x; }
}
control E(inout headers_t hdr, inout meta_t meta, inout standard_metadata_t sm) { apply {} }
control CC(inout headers_t hdr, inout meta_t meta) { apply {} }
control D(packet_out pkt, in headers_t hdr) { apply { pkt.emit(hdr.h); } }
V1Switch(P(), VC(), I(), E(), CC(), D()) main;
