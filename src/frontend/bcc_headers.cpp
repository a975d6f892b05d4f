#include "frontend/bcc_headers.h"

#include <array>
#include <utility>

namespace probecc {
namespace {

// Network headers as they are on the wire, field by field (bit-fields most significant bit
// first), with BCC's names. Packet programs read them with load_byte/load_half/load_word, which
// return host order; reading a member through a pointer into the packet gives network order.
constexpr const char *kProto = R"(#pragma once
#include <uapi/linux/if_ether.h>

#define BPF_PACKET_HEADER __attribute__((packed))

struct ethernet_t {
  unsigned long long dst:48;
  unsigned long long src:48;
  unsigned int type:16;
} BPF_PACKET_HEADER;

struct dot1q_t {
  unsigned short pri:3;
  unsigned short cfi:1;
  unsigned short vlanid:12;
  unsigned short type;
} BPF_PACKET_HEADER;

struct arp_t {
  unsigned short htype;
  unsigned short ptype;
  unsigned char hlen;
  unsigned char plen;
  unsigned short oper;
  unsigned long long sha:48;
  unsigned long long spa:32;
  unsigned long long tha:48;
  unsigned int tpa;
} BPF_PACKET_HEADER;

struct ip_t {
  unsigned char ver:4;
  unsigned char hlen:4;
  unsigned char tos;
  unsigned short tlen;
  unsigned short identification;
  unsigned short ffo_unused:1;
  unsigned short df:1;
  unsigned short mf:1;
  unsigned short foffset:13;
  unsigned char ttl;
  unsigned char nextp;
  unsigned short hchecksum;
  unsigned int src;
  unsigned int dst;
} BPF_PACKET_HEADER;

struct icmp_t {
  unsigned char type;
  unsigned char code;
  unsigned short checksum;
} BPF_PACKET_HEADER;

struct ip6_t {
  unsigned int ver:4;
  unsigned int priority:8;
  unsigned int flow_label:20;
  unsigned short payload_len;
  unsigned char next_header;
  unsigned char hop_limit;
  unsigned long long src_hi;
  unsigned long long src_lo;
  unsigned long long dst_hi;
  unsigned long long dst_lo;
} BPF_PACKET_HEADER;

struct ip6_opt_t {
  unsigned char next_header;
  unsigned char ext_len;
  unsigned char pad[6];
} BPF_PACKET_HEADER;

struct icmp6_t {
  unsigned char type;
  unsigned char code;
  unsigned short checksum;
} BPF_PACKET_HEADER;

struct udp_t {
  unsigned short sport;
  unsigned short dport;
  unsigned short length;
  unsigned short crc;
} BPF_PACKET_HEADER;

struct tcp_t {
  unsigned short src_port;
  unsigned short dst_port;
  unsigned int seq_num;
  unsigned int ack_num;
  unsigned char offset:4;
  unsigned char reserved:4;
  unsigned char flag_cwr:1;
  unsigned char flag_ece:1;
  unsigned char flag_urg:1;
  unsigned char flag_ack:1;
  unsigned char flag_psh:1;
  unsigned char flag_rst:1;
  unsigned char flag_syn:1;
  unsigned char flag_fin:1;
  unsigned short rcv_wnd;
  unsigned short cksum;
  unsigned short urg_ptr;
} BPF_PACKET_HEADER;

struct vxlan_t {
  unsigned int rsv1:4;
  unsigned int iflag:1;
  unsigned int rsv2:3;
  unsigned int rsv3:24;
  unsigned int key:24;
  unsigned int rsv4:8;
} BPF_PACKET_HEADER;

struct vxlan_gbp_t {
  unsigned int gflag:1;
  unsigned int rsv1:3;
  unsigned int iflag:1;
  unsigned int rsv2:3;
  unsigned int rsv3:1;
  unsigned int dflag:1;
  unsigned int rsv4:1;
  unsigned int aflag:1;
  unsigned int rsv5:3;
  unsigned int tag:16;
  unsigned int key:24;
  unsigned int rsv6:8;
} BPF_PACKET_HEADER;
)";

// What BCC's helpers.h adds to the preamble probecc already gives every program (maps, helper
// declarations, bpf_log2l, lock_xadd, the probe macros): packet access for socket filters and
// tc programs.
constexpr const char *kHelpers = R"(#pragma once
/* Moves a packet cursor `len` bytes on and yields where it was: struct ip_t *ip = cursor_advance(c, sizeof(*ip)); */
#define cursor_advance(_cursor, _len) ({ void *_tmp = _cursor; _cursor += _len; _tmp; })
/* Classic BPF packet loads (BPF_LD_ABS/IND) for socket filters: host order, skb as the context */
unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");
unsigned long long load_word(void *skb, unsigned long long off) asm("llvm.bpf.load.word");
)";

constexpr std::array kHeaders{
    std::pair{"proto.h", kProto},
    std::pair{"helpers.h", kHelpers},
    std::pair{"bpf.h", "#pragma once\n#include <uapi/linux/bpf.h>\n"},
    std::pair{"bpf_workaround.h", "#pragma once\n"},
};

}  // namespace

void addBccHeaders(CompileFiles &files) {
  for (const auto &[name, contents] : kHeaders) files.add(std::string(kVirtualIncludeDir) + "/bcc/" + name, contents);
}

}  // namespace probecc
