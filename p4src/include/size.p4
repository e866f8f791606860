/*
 * sfc: table and array sizes, in one place. They fit a real deployment: >= 64k service addresses,
 * >= 15 devices per sequence (30 step tags under each of two versions), >= 4k next hops. A target with more memory can
 * take bigger tables without an edit: each size can be given on the compiler's command line
 * (p4c -DSEQUENCE_SIZE=1048576 ...).
 */
#ifndef SFC_SIZE_P4
#define SFC_SIZE_P4

#ifndef PORT_ROLE_SIZE
#define PORT_ROLE_SIZE     512
#endif
#ifndef PUNT_PORTS
#define PUNT_PORTS         512     // punt meter cells: one per port number (9 bits)
#endif
#ifndef PORT_LIMITS
#define PORT_LIMITS        512     // port (ingress limit) meter cells: one per port number (9 bits)
#endif
#ifndef PUNT_SIZE
#define PUNT_SIZE          512     // one probe entry per port the catalog names
#endif
#ifndef ARP_SIZE
#define ARP_SIZE           65536   // one address the engine answers ARP for per service address, and its own
#endif
#ifndef CLASSIFY_SIZE
#define CLASSIFY_SIZE      65536
#endif
#ifndef PORT_RANGE_SIZE
#define PORT_RANGE_SIZE    4096   // each of src_port_range, dst_port_range
#endif
#ifndef ACL_SIZE
#define ACL_SIZE           16384
#endif
#ifndef SEQUENCE_SIZE
#define SEQUENCE_SIZE      131072
#endif
#ifndef NEXT_HOP_SIZE
#define NEXT_HOP_SIZE      4096
#endif
#ifndef NEXT_HOP_BUCKETS
#define NEXT_HOP_BUCKETS   8192
#endif
#ifndef COPY_TARGET_SIZE
#define COPY_TARGET_SIZE   1024
#endif
#ifndef MAX_SERVICES
#define MAX_SERVICES       65536
#endif
#ifndef MAX_DEVICES
#define MAX_DEVICES        4096
#endif
#ifndef DEVICE_ATTACH_SIZE
#define DEVICE_ATTACH_SIZE 8192   // two sides of every device
#endif

#endif
