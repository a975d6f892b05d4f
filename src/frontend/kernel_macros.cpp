#include "frontend/kernel_macros.h"

#include <algorithm>
#include <cstdio>
#include <regex>

namespace probecc {
namespace {

struct KernelConstant {
  const char *name, *value;
};
constexpr KernelConstant kConstants[] = {
#define PROBECC_KERNEL_CONSTANT(name, value) {#name, value},
#include "frontend/kernel_constants.inc"
#undef PROBECC_KERNEL_CONSTANT
};

// Macros with arguments, or whose value BTF knows better than any one headers tree. Only macros:
// an inline function would need its types even in a program that never calls it.
constexpr const char *kExpressionMacros = R"(
#define TASK_COMM_LEN 16
/* block request flags: bit numbers from BTF's enum req_flag_bits */
#define REQ_FAILFAST_DEV (1U << __REQ_FAILFAST_DEV)
#define REQ_FAILFAST_TRANSPORT (1U << __REQ_FAILFAST_TRANSPORT)
#define REQ_FAILFAST_DRIVER (1U << __REQ_FAILFAST_DRIVER)
#define REQ_SYNC (1U << __REQ_SYNC)
#define REQ_META (1U << __REQ_META)
#define REQ_PRIO (1U << __REQ_PRIO)
#define REQ_NOMERGE (1U << __REQ_NOMERGE)
#define REQ_IDLE (1U << __REQ_IDLE)
#define REQ_INTEGRITY (1U << __REQ_INTEGRITY)
#define REQ_FUA (1U << __REQ_FUA)
#define REQ_PREFLUSH (1U << __REQ_PREFLUSH)
#define REQ_RAHEAD (1U << __REQ_RAHEAD)
#define REQ_BACKGROUND (1U << __REQ_BACKGROUND)
#define REQ_NOWAIT (1U << __REQ_NOWAIT)
/* byte order: x86_64 and BPF are little-endian */
#define __swab16(x) ((__u16)__builtin_bswap16((__u16)(x)))
#define __swab32(x) ((__u32)__builtin_bswap32((__u32)(x)))
#define __swab64(x) ((__u64)__builtin_bswap64((__u64)(x)))
#define __cpu_to_be16(x) ((__be16)__swab16(x))
#define __cpu_to_be32(x) ((__be32)__swab32(x))
#define __cpu_to_be64(x) ((__be64)__swab64(x))
#define __be16_to_cpu(x) __swab16((__u16)(__be16)(x))
#define __be32_to_cpu(x) __swab32((__u32)(__be32)(x))
#define __be64_to_cpu(x) __swab64((__u64)(__be64)(x))
#define cpu_to_be16 __cpu_to_be16
#define cpu_to_be32 __cpu_to_be32
#define cpu_to_be64 __cpu_to_be64
#define be16_to_cpu __be16_to_cpu
#define be32_to_cpu __be32_to_cpu
#define be64_to_cpu __be64_to_cpu
#define cpu_to_le16(x) ((__le16)(__u16)(x))
#define cpu_to_le32(x) ((__le32)(__u32)(x))
#define cpu_to_le64(x) ((__le64)(__u64)(x))
#define le16_to_cpu(x) ((__u16)(__le16)(x))
#define le32_to_cpu(x) ((__u32)(__le32)(x))
#define le64_to_cpu(x) ((__u64)(__le64)(x))
#define htons(x) __cpu_to_be16(x)
#define ntohs(x) __be16_to_cpu(x)
#define htonl(x) __cpu_to_be32(x)
#define ntohl(x) __be32_to_cpu(x)
/* arithmetic */
#define min(x, y) ({ __typeof__(x) __probecc_a = (x); __typeof__(y) __probecc_b = (y); \
                     __probecc_a < __probecc_b ? __probecc_a : __probecc_b; })
#define max(x, y) ({ __typeof__(x) __probecc_a = (x); __typeof__(y) __probecc_b = (y); \
                     __probecc_a > __probecc_b ? __probecc_a : __probecc_b; })
#define min_t(type, x, y) ({ type __probecc_a = (x); type __probecc_b = (y); \
                             __probecc_a < __probecc_b ? __probecc_a : __probecc_b; })
#define max_t(type, x, y) ({ type __probecc_a = (x); type __probecc_b = (y); \
                             __probecc_a > __probecc_b ? __probecc_a : __probecc_b; })
#define min3(x, y, z) min((__typeof__(x))min(x, y), z)
#define max3(x, y, z) max((__typeof__(x))max(x, y), z)
#define clamp(val, lo, hi) min((__typeof__(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
#define IS_ERR(ptr) IS_ERR_VALUE((unsigned long)(ptr))
#define IS_ERR_OR_NULL(ptr) (!(ptr) || IS_ERR_VALUE((unsigned long)(ptr)))
#define PTR_ERR(ptr) ((long)(ptr))
#define ERR_PTR(error) ((void *)(long)(error))
#define div_u64(dividend, divisor) ((__u64)(dividend) / (__u32)(divisor))
#define div64_u64(dividend, divisor) ((__u64)(dividend) / (__u64)(divisor))
#define sg_is_chain(sg) ((sg)->page_link & SG_CHAIN)
#define sg_is_last(sg) ((sg)->page_link & SG_END)
#define sg_chain_ptr(sg) ((struct scatterlist *)((sg)->page_link & ~(SG_CHAIN | SG_END)))
/* x86_64's PAGE_OFFSET is the kernel variable page_offset_base when its memory layout is
   randomised: read it through its kallsyms address, as the kernel's headers read the variable.
   A kernel that does not list it (no CONFIG_KALLSYMS_ALL) gets the fixed base, which is what
   BCC's profile compares with under real headers. */
#define PAGE_OFFSET ({ \
  extern const void page_offset_base __attribute__((weak, section(".ksyms"))); \
  unsigned long __probecc_page_offset = 0; \
  if (&page_offset_base) \
    bpf_probe_read_kernel(&__probecc_page_offset, sizeof(__probecc_page_offset), &page_offset_base); \
  __probecc_page_offset ? __probecc_page_offset : 0xffff888000000000UL; })
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))
/* string builtins: kernel headers declare these, which Clang lowers inline for constant sizes */
#define memset(s, c, n) __builtin_memset((s), (c), (n))
#define memcpy(d, s, n) __builtin_memcpy((d), (s), (n))
#define memmove(d, s, n) __builtin_memmove((d), (s), (n))
#define memcmp(a, b, n) __builtin_memcmp((a), (b), (n))
/* devices and file modes */
#define MAJOR(dev) ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev) ((unsigned int)((dev) & MINORMASK))
#define MKDEV(ma, mi) (((ma) << MINORBITS) | (mi))
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
/* casts the kernel writes as inline functions */
#define inet_sk(sk) ((struct inet_sock *)(sk))
#define inet_csk(sk) ((struct inet_connection_sock *)(sk))
#define tcp_sk(sk) ((struct tcp_sock *)(sk))
#define udp_sk(sk) ((struct udp_sock *)(sk))
#define inet6_sk(sk) (((struct inet_sock *)(sk))->pinet6)
#define sk_fullsock(sk) ((1 << (sk)->__sk_common.skc_state) & ~(TCPF_TIME_WAIT | TCPF_NEW_SYN_RECV))
#define TCP_SKB_CB(skb) ((struct tcp_skb_cb *)&((skb)->cb[0]))
#define skb_transport_header(skb) ((skb)->head + (skb)->transport_header)
#define skb_network_header(skb) ((skb)->head + (skb)->network_header)
#define skb_mac_header(skb) ((skb)->head + (skb)->mac_header)
#define skb_rx_queue_recorded(skb) ((skb)->queue_mapping != 0)
#define skb_get_rx_queue(skb) ((skb)->queue_mapping - 1)
#define skb_record_rx_queue(skb, rx_queue) ((skb)->queue_mapping = (rx_queue) + 1)
#define skb_get_queue_mapping(skb) ((skb)->queue_mapping)
)";

// Object-like macros that rename struct members: defined only where the program includes the
// header that defines them in a kernel tree (a program's own `struct sock { u32 sk_daddr; }` must
// not meet them otherwise). Each in an include guard of its own, as several headers define it.
constexpr const char *kSockMemberMacros = R"(#ifndef __PROBECC_SOCK_MEMBERS
#define __PROBECC_SOCK_MEMBERS
/* struct sock's members that live in its struct sock_common (net/sock.h) */
#define sk_node __sk_common.skc_node
#define sk_nulls_node __sk_common.skc_nulls_node
#define sk_refcnt __sk_common.skc_refcnt
#define sk_tx_queue_mapping __sk_common.skc_tx_queue_mapping
#define sk_rx_queue_mapping __sk_common.skc_rx_queue_mapping
#define sk_dontcopy_begin __sk_common.skc_dontcopy_begin
#define sk_dontcopy_end __sk_common.skc_dontcopy_end
#define sk_hash __sk_common.skc_hash
#define sk_portpair __sk_common.skc_portpair
#define sk_num __sk_common.skc_num
#define sk_dport __sk_common.skc_dport
#define sk_addrpair __sk_common.skc_addrpair
#define sk_daddr __sk_common.skc_daddr
#define sk_rcv_saddr __sk_common.skc_rcv_saddr
#define sk_family __sk_common.skc_family
#define sk_state __sk_common.skc_state
#define sk_reuse __sk_common.skc_reuse
#define sk_reuseport __sk_common.skc_reuseport
#define sk_ipv6only __sk_common.skc_ipv6only
#define sk_net_refcnt __sk_common.skc_net_refcnt
#define sk_bound_dev_if __sk_common.skc_bound_dev_if
#define sk_bind_node __sk_common.skc_bind_node
#define sk_prot __sk_common.skc_prot
#define sk_net __sk_common.skc_net
#define sk_v6_daddr __sk_common.skc_v6_daddr
#define sk_v6_rcv_saddr __sk_common.skc_v6_rcv_saddr
#define sk_cookie __sk_common.skc_cookie
#define sk_incoming_cpu __sk_common.skc_incoming_cpu
#define sk_flags __sk_common.skc_flags
#define sk_rxhash __sk_common.skc_rxhash
#endif
)";
constexpr const char *kInetSockMemberMacros = R"(#ifndef __PROBECC_INET_SOCK_MEMBERS
#define __PROBECC_INET_SOCK_MEMBERS
/* struct inet_sock's members in its struct sock (net/inet_sock.h) */
#define inet_daddr sk.__sk_common.skc_daddr
#define inet_rcv_saddr sk.__sk_common.skc_rcv_saddr
#define inet_dport sk.__sk_common.skc_dport
#define inet_num sk.__sk_common.skc_num
#endif
)";

struct HeaderMacros {
  std::string_view header;     // as the program includes it: <net/sock.h>
  bool sock, inetSock;         // whether it defines (or includes the header that defines) each group
};
// net/sock.h defines struct sock's member names, net/inet_sock.h struct inet_sock's; the others
// include those headers in a kernel tree.
constexpr HeaderMacros kHeaderMacros[] = {
    {"net/sock.h", true, false},
    {"net/request_sock.h", true, false},
    {"net/xfrm.h", true, false},
    {"net/af_unix.h", true, false},
    {"net/inet_sock.h", true, true},
    {"net/inet_connection_sock.h", true, true},
    {"net/inet_timewait_sock.h", true, true},
    {"net/inet_hashtables.h", true, true},
    {"net/inet6_hashtables.h", true, true},
    {"net/tcp.h", true, true},
    {"linux/tcp.h", true, true},
    {"net/udp.h", true, true},
    {"linux/udp.h", true, true},
    {"net/ip.h", true, true},
    {"net/ipv6.h", true, true},
    {"linux/ipv6.h", true, true},
    {"net/route.h", true, true},
};

// The errno values, first in kConstants (kernel_constants.names), for a libbpf-style program that
// includes <asm-generic/errno.h> as libbpf-tools do (it has no BCC macros otherwise).
constexpr std::string_view kErrnoHeaders[] = {"asm-generic/errno.h", "asm-generic/errno-base.h", "linux/errno.h",
                                              "uapi/asm-generic/errno.h", "uapi/asm-generic/errno-base.h",
                                              "uapi/linux/errno.h", "asm/errno.h"};
std::string errnoMacros() {
  std::string text = "#ifndef __PROBECC_ERRNO\n#define __PROBECC_ERRNO\n";
  for (const auto &constant : kConstants) {
    if (std::string_view(constant.name).starts_with("SIG")) break;
    text += std::string("#ifndef ") + constant.name + "\n#define " + constant.name + " " + constant.value + "\n#endif\n";
  }
  return text + "#endif\n";
}

}  // namespace

std::string kernelHeaderStub(std::string_view header) {
  if (std::find(std::begin(kErrnoHeaders), std::end(kErrnoHeaders), header) != std::end(kErrnoHeaders))
    return errnoMacros();
  for (const auto &entry : kHeaderMacros)
    if (entry.header == header)
      return std::string(entry.sock ? kSockMemberMacros : "") + (entry.inetSock ? kInetSockMemberMacros : "");
  return "";
}

std::string bccMacroUndefines() {
  // and BCC's macros with names a program may use for its own: the table methods' and lock_xadd
  std::string text = "/* a libbpf-style program: none of BCC's kernel macros */\n#undef bpf_trace_printk\n"
                     "#undef increment\n#undef atomic_increment\n#undef lock_xadd\n";
  for (const auto &constant : kConstants) text += std::string("#undef ") + constant.name + "\n";
  static const std::regex defined(R"(#define ([A-Za-z_][A-Za-z0-9_]*))");
  const std::string macros = kExpressionMacros;
  for (std::sregex_iterator it(macros.begin(), macros.end(), defined), end; it != end; ++it)
    text += "#undef " + (*it)[1].str() + "\n";
  return text;
}

std::string btfKernelMacros() {
  std::string text = "/* kernel macros: values from a real headers tree, see kernel_constants.names */\n";
  for (const auto &constant : kConstants) text += std::string("#define ") + constant.name + " " + constant.value + "\n";
  text += kExpressionMacros;
  return text;
}

std::string kernelVersionMacros(const std::string &release) {
  unsigned major = 0, patchlevel = 0, sublevel = 0;
  if (std::sscanf(release.c_str(), "%u.%u.%u", &major, &patchlevel, &sublevel) < 2) return "";
  const unsigned code = (major << 16) + (patchlevel << 8) + std::min(sublevel, 255u);
  return "#define LINUX_VERSION_MAJOR " + std::to_string(major) + "\n#define LINUX_VERSION_PATCHLEVEL " +
         std::to_string(patchlevel) + "\n#define LINUX_VERSION_SUBLEVEL " + std::to_string(sublevel) +
         "\n#define LINUX_VERSION_CODE " + std::to_string(code) + "\n";
}


}  // namespace probecc
