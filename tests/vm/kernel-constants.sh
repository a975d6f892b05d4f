#!/usr/bin/env bash
# The kernel macros probecc defines in BTF mode (src/frontend/kernel_constants.names, plus the
# expression macros of kernel_macros.cpp that have a value), compiled into one program whose
# globals hold their values, read back from `probecc --emit llvm`.
#
#   kernel-constants.sh values NAMES PROBECC [probecc options]   NAME VALUE UNSIGNED SIZE, one a line
#   kernel-constants.sh check NAMES PROBECC                      BTF mode against headers mode
#
# `values` with --kernel-headers DIR is how scripts/gen-kernel-constants.sh makes the table;
# `check` is the VM case 12: every value probecc gives in BTF mode must be the headers' value.
set -euo pipefail

# Checked besides the names: expressions over BTF's types and enums, written in kernel_macros.cpp.
EXPRESSIONS=(
  "REQ_SYNC" "REQ_META" "REQ_PRIO" "REQ_FUA" "REQ_PREFLUSH" "REQ_RAHEAD"
  "REQ_NOWAIT" "REQ_FAILFAST_DEV"
  "offsetof(struct sock, sk_daddr)" "offsetof(struct sock, sk_rcv_saddr)" "offsetof(struct sock, sk_dport)"
  "offsetof(struct sock, sk_num)" "offsetof(struct sock, sk_family)" "offsetof(struct sock, sk_state)"
  "offsetof(struct sock, sk_v6_daddr)" "offsetof(struct sock, sk_v6_rcv_saddr)" "offsetof(struct sock, sk_net)"
  "offsetof(struct sock, sk_bound_dev_if)"
  "offsetof(struct sock, sk_hash)" "offsetof(struct sock, sk_refcnt)" "offsetof(struct sock, sk_prot)"
  "offsetof(struct inet_sock, inet_sport)" "offsetof(struct inet_sock, inet_dport)"
  "offsetof(struct inet_sock, inet_saddr)" "offsetof(struct inet_sock, inet_daddr)" "offsetof(struct inet_sock, inet_num)"
  "htons(0x1234)" "ntohs(0x1234)" "htonl(0x12345678)" "ntohl(0x12345678)" "be16_to_cpu(0x1234)" "cpu_to_be32(1)"
  "min(3, 5)" "max(3, 5)" "min_t(u8, 300, 7)" "max_t(int, -1, 2)" "clamp(9, 1, 5)"
  "MAJOR(0x812345)" "MINOR(0x812345)" "MKDEV(8, 1)" "ARRAY_SIZE(((struct task_struct *)0)->comm)"
  "div_u64(1000, 7)" "div64_u64(1000, 7)" "S_ISREG(0100644)" "S_ISDIR(0040755)" "S_ISLNK(0120777)" "IS_ERR_VALUE(-4095UL)" "BIT(5)"
)

program() {
  local names=$1 name i=0
  cat <<'C'
#include <linux/kconfig.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/fcntl.h>
#include <linux/dcache.h>
#include <linux/mm.h>
#include <linux/blkdev.h>
#include <linux/blk_types.h>
#include <linux/kdev_t.h>
#include <linux/kallsyms.h>
#include <linux/socket.h>
#include <linux/skbuff.h>
#include <linux/if_ether.h>
#include <linux/tcp.h>
#include <net/sock.h>
#include <net/inet_sock.h>
#include <net/tcp.h>
#include <uapi/linux/pkt_cls.h>
#include <uapi/linux/sched.h>
#include <asm/byteorder.h>
C
  while read -r name; do
    case $name in ''|'#'*) continue;; esac
    printf '#ifdef %s\nlong long probecc_value_%s = (long long)(%s);\nint probecc_unsigned_%s = ((__typeof__(%s))-1 > 0);\nint probecc_size_%s = sizeof(%s);\n#endif\n' \
      "$name" "$name" "$name" "$name" "$name" "$name" "$name"
  done < "$names"
  # Expressions may be statement expressions (min, max): assigned in a function, kept as stores.
  for name in "${EXPRESSIONS[@]}"; do
    printf 'long long probecc_value_expr%d;\nint probecc_unsigned_expr%d;\n' $i $i
    i=$((i + 1))
  done
  echo 'int tracepoint__syscalls__sys_enter_getpid(void *ctx) {'
  i=0
  for name in "${EXPRESSIONS[@]}"; do
    printf '  probecc_value_expr%d = (long long)(%s);\n  probecc_unsigned_expr%d = ((__typeof__(%s))-1 > 0);\n' \
      $i "$name" $i "$name"
    i=$((i + 1))
  done
  echo '  return 0;'
  echo '}'
}

# NAME VALUE UNSIGNED for every constant the program defines.
values() {
  local names=$1 probecc=$2; shift 2
  local dir; dir=$(mktemp -d)
  program "$names" > "$dir/constants.c"
  if ! "$probecc" --emit llvm "$@" "$dir/constants.c" > "$dir/out.ll" 2> "$dir/err"; then
    cat "$dir/err" >&2; rm -rf "$dir"; return 1
  fi
  local i=0 expr
  for expr in "${EXPRESSIONS[@]}"; do echo "expr$i $expr"; i=$((i + 1)); done > "$dir/exprs"
  sed -n -e 's/^@probecc_\(value\|unsigned\|size\)_\([A-Za-z0-9_]*\) = .*global i[0-9]* \(-\?[0-9]*\),.*/\1 \2 \3/p' \
         -e 's/^ *store i[0-9]* \(-\?[0-9]*\), ptr @probecc_\(value\|unsigned\)_\([A-Za-z0-9_]*\),.*/\2 \3 \1/p' "$dir/out.ll" |
    awk -v exprs="$dir/exprs" '
      BEGIN { while ((getline line < exprs) > 0) { split(line, f, " "); e[f[1]] = substr(line, length(f[1]) + 2) } }
      $1 == "value" { if (!($2 in v)) order[++n] = $2; v[$2] = $3 } $1 == "unsigned" { u[$2] = $3 } $1 == "size" { z[$2] = $3 }
      END { for (i = 1; i <= n; i++) { k = order[i]; printf "%s\t%s\t%s\t%s\n", (k in e ? e[k] : k), v[k], u[k], (k in z ? z[k] : "") } }'
  rm -rf "$dir"
}

check() {
  local names=$1 probecc=$2
  local btf headers; btf=$(mktemp); headers=$(mktemp)
  values "$names" "$probecc" --btf > "$btf" || { echo "kernel constants: BTF-mode compile failed"; return 1; }
  values "$names" "$probecc" > "$headers" || { echo "kernel constants: headers-mode compile failed"; return 1; }
  local status=0
  # Every name probecc gives in BTF mode must be in the headers with the same value.
  awk -F'\t' 'NR == FNR { h[$1] = $2; next }
              { n++; if (!($1 in h)) { print "not in the headers: " $1; bad++ }
                else if (h[$1] != $2) { print "differs: " $1 " btf=" $2 " headers=" h[$1]; bad++ } }
              END { printf "kernel constants: %d checked, %d differ\n", n, bad; exit bad > 0 }' "$headers" "$btf" || status=1
  rm -f "$btf" "$headers"
  return $status
}

"$@"
