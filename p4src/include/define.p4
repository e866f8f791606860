/*
 * sfc: constants and types shared by every control and every architecture shell.
 */
#ifndef SFC_DEFINE_P4
#define SFC_DEFINE_P4

typedef bit<9>  port_t;        // port numbers (v1model and TNA both use 9 bits)
typedef bit<20> service_id_t;  // one id per service address; table sizes, not this width, limit how many fit
typedef bit<16> nh_id_t;       // next hop: a device, a group of identical devices, or the uplink router
typedef bit<8>  nh_bucket_t;   // a group's buckets: up to 256, so up to 256 members share one evenly
typedef bit<16> device_id_t;   // per-device accounting (sent to / received back from)
typedef bit<6>  step_t;        // the step tag, carried in the IPv4 DSCP field: version (1 bit) ++ step (5 bits)
typedef bit<16> session_t;     // clone session of the packet distributor (0: no copy)

const bit<16> ETHERTYPE_IPV4 = 0x0800;
const bit<16> ETHERTYPE_VLAN = 0x8100;
const bit<16> ETHERTYPE_ARP  = 0x0806;
const bit<16> ARP_REQUEST = 1;
const bit<16> ARP_REPLY   = 2;
const bit<8>  IP_PROTO_ICMP = 1;
const bit<8>  IP_PROTO_TCP  = 6;
const bit<8>  IP_PROTO_UDP  = 17;

// What a port is connected to (table port_role; 0 until it says).
// TCP flags (RFC 9293), as Handshake reads them.
const bit<8> TCP_FLAG_SYN     = 0x02;
const bit<8> TCP_FLAG_ACK     = 0x10;
const bit<8> TCP_FLAGS_SYN_ACK = 0x12;

const bit<2> ROLE_UPLINK  = 1;
const bit<2> ROLE_DEVICE  = 2;

// How a device port tells the step of a returning packet (set_device's tag_mode): 0 = the step is in DSCP
// (the device preserves it); 1 = the port itself identifies the step, which is then STEP_FROM_PORT.
const bit<1> TAG_DSCP = 0;
// The step of a packet whose port tells its step. A tag's top bit is the version it was written under (a
// cut-over installs a service's changed steps under the other version beside the old ones, see Sequence), so
// tags are 1..30 and the version bit; 31 and 63 are never tags.
const step_t STEP_FROM_PORT = 31;

// The direction of a packet within its service (set_service's direction, the sequence's key) is a value the
// control plane chooses: 0 = client -> service (the sequence in order), 1 = service -> client (in reverse).

// Why a packet was dropped: the index of the drop_reasons counter.
const bit<8> DROP_PARSER_ERROR  = 1;  // malformed or truncated (an IPv4 length the frame does not hold too), or IPv4 options
const bit<8> DROP_UNKNOWN_PORT  = 2;  // arrived on a port with no role
const bit<8> DROP_NOT_A_SERVICE = 3;  // no service address matched
const bit<8> DROP_ACL           = 4;  // the service's ACL denied it
const bit<8> DROP_METER         = 5;  // above the service's rate (meter red)
const bit<8> DROP_NO_STEP       = 6;  // no sequence step for (service, direction, step, ingress port)
const bit<8> DROP_BY_STEP       = 7;  // the sequence says drop (e.g. a failed device with policy drop)
const bit<8> DROP_NO_NEXT_HOP   = 8;  // the next hop has no usable member
const bit<8> DROP_PUNT_RATE     = 9;  // a punt to the controller over its ingress port's punt meter
const bit<8> DROP_PORT_RATE     = 10; // over its ingress port's limit (port meter red)
const bit<32> DROP_REASONS = 16;

#endif
