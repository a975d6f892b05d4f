#include "frontend/bcc_map_kinds.h"

namespace probecc {
namespace {

constexpr std::string_view kDeclarations = R"(
/* ---- BCC maps: the other kinds (bcc_map_kinds.h) ---- */
/* A string for the loader about map NAME, kept in .rodata where libbpf shows it. */
#define __PROBECC_MAP_NOTE(_prefix, _name, _text) \
  const char _prefix##_name[] __attribute__((used)) SEC(".rodata") = _text

/* LPM tries: keys are {__u32 prefixlen; data}; lookups find the longest matching prefix. */
#define __PROBECC_LPM(_key, _leaf, _name, _size) \
  __PROBECC_TABLE(BPF_MAP_TYPE_LPM_TRIE, _key, _leaf, _name, _size, BPF_F_NO_PREALLOC)
#define BPF_LPM_TRIE1(_name) __PROBECC_LPM(__u64, __u64, _name, 10240)
#define BPF_LPM_TRIE2(_name, _key) __PROBECC_LPM(_key, __u64, _name, 10240)
#define BPF_LPM_TRIE3(_name, _key, _leaf) __PROBECC_LPM(_key, _leaf, _name, 10240)
#define BPF_LPM_TRIE4(_name, _key, _leaf, _size) __PROBECC_LPM(_key, _leaf, _name, _size)
#define BPF_LPM_TRIE(...) __PROBECC_PICK(__VA_ARGS__, , , BPF_LPM_TRIE4, BPF_LPM_TRIE3, BPF_LPM_TRIE2, BPF_LPM_TRIE1)(__VA_ARGS__)

/* Queues (FIFO) and stacks (LIFO): push(&v, flags), pop(&v), peek(&v). */
#define __PROBECC_QUEUESTACK(_kind, _name, _leaf, _size, _flags) \
  struct { __uint(type, _kind); __type(value, _leaf); __uint(max_entries, _size); __uint(map_flags, _flags); } \
      _name##__map SEC(".maps"); \
  static __always_inline long _name##__push(_leaf *v, __u64 flags) { return bpf_map_push_elem(&_name##__map, v, flags); } \
  static __always_inline long _name##__pop(_leaf *v) { return bpf_map_pop_elem(&_name##__map, v); } \
  static __always_inline long _name##__peek(_leaf *v) { return bpf_map_peek_elem(&_name##__map, v); } \
  static const struct { long (*push)(_leaf *, __u64); long (*pop)(_leaf *); long (*peek)(_leaf *); } \
      _name = { _name##__push, _name##__pop, _name##__peek }
#define BPF_QUEUESTACK(_type, _name, _leaf, _size, _flags) \
  __PROBECC_QUEUESTACK(__probecc_streq(_type, "stack") ? BPF_MAP_TYPE_STACK : BPF_MAP_TYPE_QUEUE, _name, _leaf, _size, _flags)
#define BPF_QUEUE(_name, _leaf, _size) __PROBECC_QUEUESTACK(BPF_MAP_TYPE_QUEUE, _name, _leaf, _size, 0)
#define BPF_STACK(_name, _leaf, _size) __PROBECC_QUEUESTACK(BPF_MAP_TYPE_STACK, _name, _leaf, _size, 0)

/* Program arrays: name.call(ctx, index) tail-calls the program in that slot (and returns only
   when the slot is empty). BPF_PROG_ARRAY_SLOTS fills the slots. */
#define BPF_PROG_ARRAY(_name, _size) \
  struct __probecc_prog_array__##_name { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(key_size, 4); \
    __uint(max_entries, _size); __array(values, int (void *)); }; \
  struct __probecc_prog_array__##_name _name##__map SEC(".maps"); \
  static __always_inline void _name##__call(void *ctx, int index) { bpf_tail_call(ctx, &_name##__map, index); } \
  static const struct { void (*call)(void *, int); } _name = { _name##__call }
#define BPF_PROG_ARRAY_SLOTS(_name, ...) \
  _Pragma("clang diagnostic push") _Pragma("clang diagnostic ignored \"-Wincompatible-function-pointer-types\"") \
  struct __probecc_prog_array__##_name _name##__map SEC(".maps") = { .values = { __VA_ARGS__ } }; \
  _Pragma("clang diagnostic pop")

/* Maps of maps: lookup(&key) gives an inner map for bpf_map_lookup_elem and friends. */
#define __PROBECC_MAP_OF_MAPS(_kind, _key, _name, _inner, _size) \
  struct { __uint(type, _kind); __uint(key_size, sizeof(_key)); __uint(value_size, 4); \
           __uint(max_entries, _size); } _name##__map SEC(".maps"); \
  __PROBECC_MAP_NOTE(__probecc_inner__, _name##__map, _inner); \
  static __always_inline void *_name##__lookup(_key *k) { return bpf_map_lookup_elem(&_name##__map, k); } \
  static const struct { void *(*lookup)(_key *); } _name = { _name##__lookup }
#define BPF_ARRAY_OF_MAPS(_name, _inner, _size) __PROBECC_MAP_OF_MAPS(BPF_MAP_TYPE_ARRAY_OF_MAPS, int, _name, _inner, _size)
#define BPF_HASH_OF_MAPS3(_name, _inner, _size) __PROBECC_MAP_OF_MAPS(BPF_MAP_TYPE_HASH_OF_MAPS, int, _name, _inner, _size)
#define BPF_HASH_OF_MAPS4(_name, _key, _inner, _size) __PROBECC_MAP_OF_MAPS(BPF_MAP_TYPE_HASH_OF_MAPS, _key, _name, _inner, _size)
#define BPF_HASH_OF_MAPS(...) __PROBECC_PICK(__VA_ARGS__, , , BPF_HASH_OF_MAPS4, BPF_HASH_OF_MAPS3, , )(__VA_ARGS__)

/* One program per run: public and shared tables are ordinary ones; pinned ones live in bpffs. */
#define BPF_TABLE_PUBLIC(_type, _key, _leaf, _name, _size) BPF_TABLE(_type, _key, _leaf, _name, _size)
#define BPF_TABLE_SHARED(_type, _key, _leaf, _name, _size) BPF_TABLE(_type, _key, _leaf, _name, _size)
#define BPF_F_TABLE_PINNED(_type, _key, _leaf, _name, _size, _flags, _path) \
  BPF_F_TABLE(_type, _key, _leaf, _name, _size, _flags); \
  __PROBECC_MAP_NOTE(__probecc_pin__, _name##__map, _path)
#define BPF_TABLE_PINNED(_type, _key, _leaf, _name, _size, _path) \
  BPF_F_TABLE_PINNED(_type, _key, _leaf, _name, _size, 0, _path)

/* Perf counters opened per CPU: perf_read(cpu) reads one, perf_counter_value(cpu, &v, size) all of it. */
#define BPF_PERF_ARRAY(_name, _size) \
  struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, 4); __uint(value_size, 4); \
           __uint(max_entries, _size); } _name##__map SEC(".maps"); \
  static __always_inline __u64 _name##__perf_read(__u64 index) { return bpf_perf_event_read(&_name##__map, index); } \
  static __always_inline long _name##__perf_counter_value(__u64 index, void *buf, __u32 size) { \
    return bpf_perf_event_read_value(&_name##__map, index, buf, size); } \
  static const struct { __u64 (*perf_read)(__u64); long (*perf_counter_value)(__u64, void *, __u32); } \
      _name = { _name##__perf_read, _name##__perf_counter_value }

/* Cgroup arrays: check_current_task(index) says whether the task is under that slot's cgroup. */
#define BPF_CGROUP_ARRAY(_name, _size) \
  struct { __uint(type, BPF_MAP_TYPE_CGROUP_ARRAY); __uint(key_size, 4); __uint(value_size, 4); \
           __uint(max_entries, _size); } _name##__map SEC(".maps"); \
  static __always_inline long _name##__check_current_task(__u32 index) { \
    return bpf_current_task_under_cgroup(&_name##__map, index); } \
  static const struct { long (*check_current_task)(__u32); } _name = { _name##__check_current_task }

/* Stack traces as build ids and offsets, for user stacks of binaries without symbols here. */
#define BPF_STACK_TRACE_BUILDID(_name, _size) \
  struct { __uint(type, BPF_MAP_TYPE_STACK_TRACE); __uint(key_size, 4); \
           __uint(value_size, 127 * sizeof(struct bpf_stack_build_id)); __uint(max_entries, _size); \
           __uint(map_flags, BPF_F_STACK_BUILD_ID); } _name##__map SEC(".maps"); \
  static __always_inline int _name##__get_stackid(void *ctx, __u64 flags) { \
    return bpf_get_stackid(ctx, &_name##__map, flags | BPF_F_USER_STACK); } \
  static const struct { int (*get_stackid)(void *, __u64); } _name = { _name##__get_stackid }

/* libbpf's test for a weak __ksym: its address is 0 when the running kernel lacks it. */
#ifndef bpf_ksym_exists
#define bpf_ksym_exists(sym) ({ \
  _Static_assert(!__builtin_constant_p(!!(sym)), #sym " should be declared __weak"); \
  !!(sym); })
#endif
)";

}  // namespace

std::string_view bccMapKindDeclarations() { return kDeclarations; }

}  // namespace probecc
