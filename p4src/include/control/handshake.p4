/*
 * Handshake: what an engine that never sees a server's answers can still tell of it (seed Fig. 15A, ¶160: the
 * engine for client traffic, when the server's replies leave through another engine). Per service, of the TCP
 * packets clients send in from the uplinks that pass the service's ACL and meter: the SYNs (SYN without ACK) and
 * the packets carrying an ACK (a handshake completed, a session going on). A client repeats its SYN while no
 * SYN-ACK comes back; so SYNs growing while no ACK comes in mean the server does not answer. The controller reads
 * both counters (indexed by service id) and, where the catalog asks for it (a server's health: syn-retries), marks
 * the server failed.
 * Written by: nobody (counters); read by the controller's health monitor.
 */
control Handshake(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x12000003) SFC_COUNTER(client_syns, MAX_SERVICES);
    @id(0x12000004) SFC_COUNTER(client_acks, MAX_SERVICES);

    apply {
        if (hdr.tcp.isValid() && meta.port_role == ROLE_UPLINK && meta.direction == 0) {
            if (hdr.tcp.flags & TCP_FLAGS_SYN_ACK == TCP_FLAG_SYN) {
                SFC_COUNT(client_syns, meta.service_id);
            } else if (hdr.tcp.flags & TCP_FLAG_ACK != 0) {
                SFC_COUNT(client_acks, meta.service_id);
            }
        }
    }
}
