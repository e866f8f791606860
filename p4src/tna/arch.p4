/*
 * sfc: how the shared controls declare architecture externs on TNA (Tofino, bf-p4c). The v1model shell
 * defines the same macros with v1model's externs; the controls never name an architecture extern directly.
 */
#ifndef SFC_ARCH_P4
#define SFC_ARCH_P4

#include <core.p4>
#include <tna.p4>

#define SFC_TNA 1

// TNA's direct counters count only where an action of the table says so (v1model's count every hit).
#define SFC_DIRECT_COUNTER(name) DirectCounter<bit<32>>(CounterType_t.PACKETS_AND_BYTES) name
#define SFC_DIRECT_COUNT(name) name.count()
#define SFC_COUNTER(name, size) Counter<bit<32>, bit<32>>(size, CounterType_t.PACKETS_AND_BYTES) name
#define SFC_COUNT(name, index) name.count((bit<32>) (index))
#define SFC_METER(name, size) Meter<bit<32>>(size, MeterType_t.PACKETS) name
#define SFC_EXECUTE_METER(name, index, color) color = name.execute((bit<32>) (index))
#define SFC_METER_RED ((bit<8>) MeterColor_t.RED)
// The flow's hash: a hash unit declared in the control, CRC-16 like v1model's crc16.
#define SFC_FLOW_HASHER(name) Hash<bit<16>>(HashAlgorithm_t.CRC16) name;
#define SFC_FLOW_HASH(hasher, result, ...) result = hasher.get({ __VA_ARGS__ })
// bf-p4c's front end does not know the annotations its own P4Info generator reads (@controller_header, and
// @id on a header): it is told not to warn about them here (and only here: p4c's v1model P4Info would list it).
#define SFC_CONTROLLER_HEADER(kind) @noWarn("unknown") @controller_header(kind)

#endif
