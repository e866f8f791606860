/*
 * PortRole: what each port is connected to. The uplink faces clients (and the router to the network);
 * device ports face appliances and servers and say how a returning packet tells its step. A packet on a
 * port with no role is dropped and counted.
 * Each port also names its slot: the device side (or uplink) it stands for, which is what the sequence and
 * the ACLs match. The compiler gives every port its own number as slot, except that all devices of a pool
 * answer for the pool's slots (its first member's port numbers): a spare's returning packets already match
 * the steps of the member it stands in for, and a failover to it rewrites only where that member is attached
 * (next_hop's device_attach). A spare from outside the pool gets the failed device's slots here.
 * Written by: the table compiler, from the catalog's devices and uplinks; the health monitor on failover.
 */
control PortRole(inout headers_t hdr, inout local_metadata_t meta) {
    @id(0x13000002) SFC_DIRECT_COUNTER(port_role_counter);
    @id(0x12000001) SFC_COUNTER(device_rx, MAX_DEVICES);
    @id(0x14000003) SFC_METER(port_meter, PORT_LIMITS);

    @id(0x01000002)
    action set_uplink(port_t slot) {
        SFC_DIRECT_COUNT(port_role_counter);
        meta.port_role = ROLE_UPLINK;
        meta.slot = slot;
        meta.version_mask = 1;
    }

    @id(0x01000003)
    action set_device(device_id_t device_id, bit<1> tag_mode, port_t slot) {
        SFC_DIRECT_COUNT(port_role_counter);
        meta.port_role = ROLE_DEVICE;
        meta.tag_mode = tag_mode;
        meta.slot = slot;
        meta.version_mask = tag_mode; // TAG_PORT: no tag, the packet takes its service's version (Classify)
        meta.rx_device = device_id;
    }

    @id(0x01000004)
    action drop_unknown_port() {
        meta.drop = true;
        meta.drop_reason = DROP_UNKNOWN_PORT;
    }

    @id(0x02000002)
    table port_role {
        key = {
            meta.ig_port : exact @name("ig_port");
        }
        actions = { set_uplink; set_device; @defaultonly drop_unknown_port; }
        const default_action = drop_unknown_port();
        counters = port_role_counter;
        size = PORT_ROLE_SIZE;
    }

    apply {
        port_role.apply();
        // Every packet is colored by its port's limit (a cell the catalog gives no rate stays green). The color
        // only: Acl drops a red packet, beside the service meter's red, so nothing waits on it for a stage.
        SFC_EXECUTE_METER(port_meter, meta.ig_port, meta.port_color);
        // The packet's step in its sequence: known from the port (Sequence matches it). Here, early, so that on
        // Tofino it does not take a stage of its own before the sequence table.
        if (meta.port_role == ROLE_UPLINK) {
            meta.step = 0;
        } else if (meta.tag_mode == TAG_DSCP) {
            meta.step = hdr.ipv4.dscp;
        } else {
            meta.step = STEP_FROM_PORT;
        }
        // Counted here, not in set_device: on Tofino every action of a table must address an indexed counter
        // alike, and set_uplink has no device.
        if (meta.port_role == ROLE_DEVICE) {
            SFC_COUNT(device_rx, meta.rx_device);
        }
    }
}
