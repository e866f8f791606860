/*
 * sfc: headers and metadata. Controller headers carry packet-in/out metadata on the CPU port.
 */
#ifndef SFC_HEADER_P4
#define SFC_HEADER_P4

#include "define.p4"

SFC_CONTROLLER_HEADER("packet_out")
@id(0x04000001)
header packet_out_t {
    port_t  egress_port;   // where the controller's packet leaves (a device port, for heartbeats)
    bit<7>  _pad;
}

SFC_CONTROLLER_HEADER("packet_in")
@id(0x04000002)
header packet_in_t {
    port_t  ingress_port;  // where the punted packet came in (which device returned a probe)
    bit<7>  _pad;
}

header ethernet_t {
    bit<48> dst_addr;
    bit<48> src_addr;
    bit<16> ether_type;
}

header vlan_t {
    bit<3>  pcp;
    bit<1>  dei;
    bit<12> vid;
    bit<16> ether_type;
}

// ARP (RFC 826). The parser extracts any; Arp answers only a request for IPv4 over Ethernet (htype 1, ptype
// 0x0800, lengths 6 and 4).
header arp_t {
    bit<16> htype;
    bit<16> ptype;
    bit<8>  hlen;
    bit<8>  plen;
    bit<16> oper;
    bit<48> sha;
    bit<32> spa;
    bit<48> tha;
    bit<32> tpa;
}

header ipv4_t {
    bit<4>  version;
    bit<4>  ihl;
    bit<6>  dscp;
    bit<2>  ecn;
    bit<16> total_len;
    bit<16> identification;
    bit<3>  flags;
    bit<13> frag_offset;
    bit<8>  ttl;
    bit<8>  protocol;
    bit<16> hdr_checksum;
    bit<32> src_addr;
    bit<32> dst_addr;
}

header tcp_t {
    bit<16> src_port;
    bit<16> dst_port;
    bit<32> seq_no;
    bit<32> ack_no;
    bit<4>  data_offset;
    bit<4>  res;
    bit<8>  flags;
    bit<16> window;
    bit<16> checksum;
    bit<16> urgent_ptr;
}

header udp_t {
    bit<16> src_port;
    bit<16> dst_port;
    bit<16> length;
    bit<16> checksum;
}

header icmp_t {
    bit<8>  icmp_type;
    bit<8>  icmp_code;
    bit<16> checksum;
    bit<32> rest;
}

struct headers_t {
    packet_out_t packet_out;
    packet_in_t  packet_in;
    ethernet_t   ethernet;
    vlan_t       vlan;
    arp_t        arp;
    ipv4_t       ipv4;
    tcp_t        tcp;
    udp_t        udp;
    icmp_t       icmp;
}

struct local_metadata_t {
    port_t       ig_port;
    port_t       slot;             // the device side (or uplink) a port stands for: what sequence and acl match
    port_t       eg_port;
    bit<16>      l4_src_port;      // TCP/UDP ports (0 for other protocols)
    bit<16>      l4_dst_port;
    bit<16>      sport_key;        // what classify_src / classify_dst match: the port, or its range's key
    bit<16>      dport_key;
    bit<16>      l4_len;           // for the TCP/UDP pseudo-header checksum
    bit<2>       port_role;
    bit<1>       tag_mode;
    device_id_t  rx_device;        // the device a packet came back from (port_role), for device_rx
    bool         is_service;
    service_id_t service_id;
    bit<1>       direction;
    bit<1>       version_mask;     // 1 where the port gives no tag (uplink, port-tagged device): see Sequence
    bit<1>       version;          // the service's version now, where the packet has no tag (Classify), else 0
    step_t       step;
    nh_id_t      nh_id;
    bool         nh_pooled;        // the next hop names a pooled device and a side: device_attach gives the port
    device_id_t  nh_device;
    bit<1>       nh_side;          // 0: into the device's outside, 1: into its inside
    bool         nh_grouped;       // the next hop is a group: next_hop_bucket picks the member
    nh_bucket_t  nh_bucket;
    device_id_t  tx_device;        // the device the packet is sent to, for device_tx (when count_tx)
    bool         count_tx;
    session_t    copy_session;
    bool         to_cpu;
    bool         drop;
    bit<8>       drop_reason;
    bool         l4_rewritten;     // an address or port changed: TCP/UDP checksums must be recomputed
    bool         dport_translated; // the step translated the destination port (meta.l4_dst_port has it)
    bit<32>      flow_ip_x;        // the flow's hash inputs, the same in both directions (Classify)
    bit<16>      flow_port_x;
    bit<16>      flow_hash;        // CRC-16 of them: a group member is chosen by its low bits (NextHop)
    bit<8>       color;            // the service meter's color (Classify)
    bit<8>       punt_color;       // a punt's color: its ingress port's punt meter (Punt)
    bit<8>       port_color;       // the color of its ingress port's limit (PortRole)
    bool         arp_request;      // the parser found an ARP request for an IPv4 address (arp_target)
    bit<32>      arp_target;
    bool         is_copy;          // egress: this packet is a distributor copy
    bit<16>      copy_rid;         // egress: the copy's replica instance = the copy target's device id
    // Carried to copies (field list 1): a reply un-NATed at classification must reach copies un-NATed too.
    @field_list(1)
    bool         unnat;
    @field_list(1)
    bit<32>      unnat_ip;
    @field_list(1)
    bit<16>      unnat_port;
}

// Every field of local_metadata_t, zero (a shell whose architecture does not zero metadata starts from this).
#define SFC_LOCAL_METADATA_INIT { \
    ig_port = 0, slot = 0, eg_port = 0, l4_src_port = 0, l4_dst_port = 0, sport_key = 0, dport_key = 0, l4_len = 0, port_role = 0, \
    tag_mode = 0, rx_device = 0, is_service = false, service_id = 0, direction = 0, version_mask = 0, version = 0, step = 0, nh_id = 0, nh_pooled = false, \
    nh_device = 0, nh_side = 0, nh_grouped = false, nh_bucket = 0, tx_device = 0, count_tx = false, copy_session = 0, \
    to_cpu = false, drop = false, drop_reason = 0, l4_rewritten = false, dport_translated = false, flow_ip_x = 0, flow_port_x = 0, flow_hash = 0, color = 0, \
    punt_color = 0, port_color = 0, arp_request = false, arp_target = 0, \
    is_copy = false, copy_rid = 0, unnat = false, unnat_ip = 0, unnat_port = 0 }

#endif
