/*
 * sfc: how the shared controls declare architecture externs on v1model (BMv2). The TNA shell defines the
 * same macros with TNA's externs; the controls never name an architecture extern directly.
 */
#ifndef SFC_ARCH_P4
#define SFC_ARCH_P4

// p4c declares the typed counter<I>/meter<I> only from this v1model version on.
#define V1MODEL_VERSION 20200408
#include <core.p4>
#include <v1model.p4>

// v1model's direct counters count every hit of their table: an action has nothing to do (TNA's must).
#define SFC_DIRECT_COUNTER(name) direct_counter(CounterType.packets_and_bytes) name
#define SFC_DIRECT_COUNT(name)
#define SFC_COUNTER(name, size) counter<bit<32>>(size, CounterType.packets_and_bytes) name
#define SFC_COUNT(name, index) name.count((bit<32>) (index))
#define SFC_METER(name, size) meter<bit<32>>(size, MeterType.packets) name
#define SFC_EXECUTE_METER(name, index, color) name.execute_meter((bit<32>) (index), color)
#define SFC_METER_RED V1MODEL_METER_COLOR_RED
// The flow's hash: CRC-16 (CRC-16/ARC, as TNA's CRC16) of the listed fields; v1model's hash is a function, so
// there is no hash unit to declare.
#define SFC_FLOW_HASHER(name)
#define SFC_FLOW_HASH(hasher, result, ...) hash(result, HashAlgorithm.crc16, 16w0, { __VA_ARGS__ }, 32w65536)
// A header the P4Runtime server turns into packet-in/out metadata.
#define SFC_CONTROLLER_HEADER(kind) @controller_header(kind)

#endif
