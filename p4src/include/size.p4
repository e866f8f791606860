/*
 * sfc: table and array sizes, in one place. They fit a real deployment: >= 64k service addresses,
 * >= 16 steps per sequence (the step tag has 6 bits), >= 4k next hops.
 */
#ifndef SFC_SIZE_P4
#define SFC_SIZE_P4

#define PORT_ROLE_SIZE     512
#define PUNT_SIZE          256
#define CLASSIFY_SIZE      65536
#define ACL_SIZE           16384
#define SEQUENCE_SIZE      131072
#define NEXT_HOP_SIZE      4096
#define NEXT_HOP_MEMBERS   8192
#define NEXT_HOP_GROUP_MAX 64
#define COPY_TARGET_SIZE   1024
#define MAX_SERVICES       65536
#define MAX_DEVICES        4096

#endif
