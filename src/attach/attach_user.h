#pragma once
// The rows of user-space kinds (attach_kinds.h): uprobes and uretprobes (limited to one process
// with -p PID, attached at the function's own file offset where libbpf 1.1 would find the name
// ambiguous) and USDT probes (their path and provider resolved here, attached by libbpf's
// bpf_program__attach_usdt, which also handles semaphores).
#include "attach/attach_kinds.h"
