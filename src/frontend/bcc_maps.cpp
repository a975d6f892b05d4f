#include "frontend/bcc_maps.h"

#include "frontend/bcc_map_kinds.h"

namespace probecc {
namespace {

constexpr std::string_view kDeclarations = R"(
/* ---- BCC maps: declarations ---- */
#define __PROBECC_PICK(_1, _2, _3, _4, _5, _6, N, ...) N

/* A BTF-defined map with a key and a value type. */
#define __PROBECC_MAP(_kind, _key, _leaf, _var, _size, _flags) \
  struct { __uint(type, _kind); __type(key, _key); __type(value, _leaf); \
           __uint(max_entries, _size); __uint(map_flags, _flags); } _var SEC(".maps")

/* Ends the probe function it is inlined into, returning 0 (codegen/probe_returns.h). */
void __probecc_return_from_probe(void) __attribute__((noreturn));

/* lookup/update/insert/delete/lookup_or_try_init/increment for hash- and array-like maps. */
#define __PROBECC_TABLE_METHODS(_key, _leaf, _name, _var) \
  static __always_inline _leaf *_name##__lookup(_key *k) { return bpf_map_lookup_elem(&_var, k); } \
  static __always_inline long _name##__update(_key *k, _leaf *v) { return bpf_map_update_elem(&_var, k, v, BPF_ANY); } \
  static __always_inline long _name##__insert(_key *k, _leaf *v) { return bpf_map_update_elem(&_var, k, v, BPF_NOEXIST); } \
  static __always_inline long _name##__delete(_key *k) { return bpf_map_delete_elem(&_var, k); } \
  static __always_inline _leaf *_name##__lookup_or_try_init(_key *k, _leaf *init) { \
    _leaf *v = bpf_map_lookup_elem(&_var, k); \
    if (!v) { bpf_map_update_elem(&_var, k, init, BPF_NOEXIST); v = bpf_map_lookup_elem(&_var, k); } \
    return v; } \
  static __always_inline void _name##__increment_by(_key k, __u64 n) { \
    _leaf zero; __builtin_memset(&zero, 0, sizeof(zero)); \
    _leaf *v = _name##__lookup_or_try_init(&k, &zero); \
    if (!v) return; \
    if (sizeof(_leaf) == 8) __sync_fetch_and_add((__u64 *)v, n); \
    else if (sizeof(_leaf) == 4) __sync_fetch_and_add((__u32 *)v, (__u32)n); } \
  /* BCC's lookup_or_init returns from the probe when the insert fails, so its pointer is never NULL */ \
  static __always_inline _leaf *_name##__lookup_or_init(_key *k, _leaf *init) { \
    _leaf *v = _name##__lookup_or_try_init(k, init); \
    if (!v) __probecc_return_from_probe(); \
    return v; } \
  static const struct { \
    _leaf *(*lookup)(_key *); long (*update)(_key *, _leaf *); long (*insert)(_key *, _leaf *); \
    long (*delete)(_key *); _leaf *(*lookup_or_try_init)(_key *, _leaf *); \
    _leaf *(*lookup_or_init)(_key *, _leaf *); void (*__probecc_increment_by)(_key, __u64); \
  } _name = { _name##__lookup, _name##__update, _name##__insert, _name##__delete, \
              _name##__lookup_or_try_init, _name##__lookup_or_init, _name##__increment_by }

/* name.increment(key) and name.increment(key, n); atomic_increment is the same (always atomic). */
#define increment(...) __PROBECC_PICK(__VA_ARGS__, , , , , __probecc_increment_by, __probecc_increment_one)(__VA_ARGS__)
#define atomic_increment(...) increment(__VA_ARGS__)
#define __probecc_increment_one(k) __probecc_increment_by(k, 1)

/* The key and value types named once: each spelling of an inline `struct { ... }` is a type of its own. */
#define __PROBECC_TABLE(_kind, _key, _leaf, _name, _size, _flags) \
  typedef _key __probecc_key__##_name; typedef _leaf __probecc_leaf__##_name; \
  __PROBECC_MAP(_kind, __probecc_key__##_name, __probecc_leaf__##_name, _name##__map, _size, _flags); \
  __PROBECC_TABLE_METHODS(__probecc_key__##_name, __probecc_leaf__##_name, _name, _name##__map)

#define BPF_F_TABLE(_type, _key, _leaf, _name, _size, _flags) \
  __PROBECC_TABLE(__probecc_map_type(_type), _key, _leaf, _name, _size, \
                  (_flags) | (__probecc_streq(_type, "lpm_trie") ? BPF_F_NO_PREALLOC : 0))
#define BPF_TABLE(_type, _key, _leaf, _name, _size) BPF_F_TABLE(_type, _key, _leaf, _name, _size, 0)
/* BCC names map types by string; the string's characters pick the kernel's type at compile time. */
#define __probecc_streq(a, b) (__builtin_strcmp(a, b) == 0)
#define __probecc_map_type(t) \
  (__probecc_streq(t, "hash") ? BPF_MAP_TYPE_HASH : __probecc_streq(t, "array") ? BPF_MAP_TYPE_ARRAY : \
   __probecc_streq(t, "percpu_hash") ? BPF_MAP_TYPE_PERCPU_HASH : \
   __probecc_streq(t, "percpu_array") ? BPF_MAP_TYPE_PERCPU_ARRAY : \
   __probecc_streq(t, "lru_hash") ? BPF_MAP_TYPE_LRU_HASH : \
   __probecc_streq(t, "lru_percpu_hash") ? BPF_MAP_TYPE_LRU_PERCPU_HASH : \
   __probecc_streq(t, "lpm_trie") ? BPF_MAP_TYPE_LPM_TRIE : \
   __probecc_streq(t, "histogram") ? BPF_MAP_TYPE_HASH : \
   /* another BCC module's table: probecc compiles one program, so it is this program's own */ \
   __probecc_streq(t, "extern") ? BPF_MAP_TYPE_HASH : -1)

#define BPF_HASH1(_name) __PROBECC_TABLE(BPF_MAP_TYPE_HASH, __u64, __u64, _name, 10240, 0)
#define BPF_HASH2(_name, _key) __PROBECC_TABLE(BPF_MAP_TYPE_HASH, _key, __u64, _name, 10240, 0)
#define BPF_HASH3(_name, _key, _leaf) __PROBECC_TABLE(BPF_MAP_TYPE_HASH, _key, _leaf, _name, 10240, 0)
#define BPF_HASH4(_name, _key, _leaf, _size) __PROBECC_TABLE(BPF_MAP_TYPE_HASH, _key, _leaf, _name, _size, 0)
#define BPF_HASH(...) __PROBECC_PICK(__VA_ARGS__, , , BPF_HASH4, BPF_HASH3, BPF_HASH2, BPF_HASH1)(__VA_ARGS__)

#define BPF_LRU_HASH1(_name) __PROBECC_TABLE(BPF_MAP_TYPE_LRU_HASH, __u64, __u64, _name, 10240, 0)
#define BPF_LRU_HASH2(_name, _key) __PROBECC_TABLE(BPF_MAP_TYPE_LRU_HASH, _key, __u64, _name, 10240, 0)
#define BPF_LRU_HASH3(_name, _key, _leaf) __PROBECC_TABLE(BPF_MAP_TYPE_LRU_HASH, _key, _leaf, _name, 10240, 0)
#define BPF_LRU_HASH4(_name, _key, _leaf, _size) __PROBECC_TABLE(BPF_MAP_TYPE_LRU_HASH, _key, _leaf, _name, _size, 0)
#define BPF_LRU_HASH(...) __PROBECC_PICK(__VA_ARGS__, , , BPF_LRU_HASH4, BPF_LRU_HASH3, BPF_LRU_HASH2, BPF_LRU_HASH1)(__VA_ARGS__)

#define BPF_PERCPU_HASH1(_name) __PROBECC_TABLE(BPF_MAP_TYPE_PERCPU_HASH, __u64, __u64, _name, 10240, 0)
#define BPF_PERCPU_HASH2(_name, _key) __PROBECC_TABLE(BPF_MAP_TYPE_PERCPU_HASH, _key, __u64, _name, 10240, 0)
#define BPF_PERCPU_HASH3(_name, _key, _leaf) __PROBECC_TABLE(BPF_MAP_TYPE_PERCPU_HASH, _key, _leaf, _name, 10240, 0)
#define BPF_PERCPU_HASH4(_name, _key, _leaf, _size) __PROBECC_TABLE(BPF_MAP_TYPE_PERCPU_HASH, _key, _leaf, _name, _size, 0)
#define BPF_PERCPU_HASH(...) __PROBECC_PICK(__VA_ARGS__, , , BPF_PERCPU_HASH4, BPF_PERCPU_HASH3, BPF_PERCPU_HASH2, BPF_PERCPU_HASH1)(__VA_ARGS__)

#define BPF_ARRAY1(_name) __PROBECC_TABLE(BPF_MAP_TYPE_ARRAY, int, __u64, _name, 10240, 0)
#define BPF_ARRAY2(_name, _leaf) __PROBECC_TABLE(BPF_MAP_TYPE_ARRAY, int, _leaf, _name, 10240, 0)
#define BPF_ARRAY3(_name, _leaf, _size) __PROBECC_TABLE(BPF_MAP_TYPE_ARRAY, int, _leaf, _name, _size, 0)
#define BPF_ARRAY(...) __PROBECC_PICK(__VA_ARGS__, , , , BPF_ARRAY3, BPF_ARRAY2, BPF_ARRAY1)(__VA_ARGS__)

#define BPF_PERCPU_ARRAY1(_name) __PROBECC_TABLE(BPF_MAP_TYPE_PERCPU_ARRAY, int, __u64, _name, 10240, 0)
#define BPF_PERCPU_ARRAY2(_name, _leaf) __PROBECC_TABLE(BPF_MAP_TYPE_PERCPU_ARRAY, int, _leaf, _name, 10240, 0)
#define BPF_PERCPU_ARRAY3(_name, _leaf, _size) __PROBECC_TABLE(BPF_MAP_TYPE_PERCPU_ARRAY, int, _leaf, _name, _size, 0)
#define BPF_PERCPU_ARRAY(...) __PROBECC_PICK(__VA_ARGS__, , , , BPF_PERCPU_ARRAY3, BPF_PERCPU_ARRAY2, BPF_PERCPU_ARRAY1)(__VA_ARGS__)

/* Histograms: an int-keyed array of counts. With the default 64 buckets the key is a log2 bucket
   (bpf_log2l) and probecc prints it as print_log2_hist does; with another size, linearly. */
#define __PROBECC_HISTOGRAM(_key, _name, _size, _suffix) \
  __PROBECC_MAP(__builtin_types_compatible_p(_key, int) ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_HASH, \
                _key, __u64, _name##_suffix, _size, 0); \
  __PROBECC_TABLE_METHODS(_key, __u64, _name, _name##_suffix)
#define BPF_HISTOGRAM1(_name) __PROBECC_HISTOGRAM(int, _name, 64, __hist)
#define BPF_HISTOGRAM2(_name, _key) __PROBECC_HISTOGRAM(_key, _name, 64, __hist)
#define BPF_HISTOGRAM3(_name, _key, _size) __PROBECC_HISTOGRAM(_key, _name, _size, __lhist)
#define BPF_HISTOGRAM(...) __PROBECC_PICK(__VA_ARGS__, , , , BPF_HISTOGRAM3, BPF_HISTOGRAM2, BPF_HISTOGRAM1)(__VA_ARGS__)

/* Stack traces: get_stackid(ctx, flags) stores the current stack and returns its id. */
#define BPF_STACK_TRACE(_name, _size) \
  struct { __uint(type, BPF_MAP_TYPE_STACK_TRACE); __uint(key_size, 4); \
           __uint(value_size, 127 * sizeof(__u64)); __uint(max_entries, _size); } _name##__map SEC(".maps"); \
  static __always_inline int _name##__get_stackid(void *ctx, __u64 flags) { \
    return bpf_get_stackid(ctx, &_name##__map, flags); } \
  static const struct { int (*get_stackid)(void *, __u64); } _name = { _name##__get_stackid }

/* Events: perf_submit(ctx, data, size) to a perf buffer; ringbuf_* to a ring buffer. */
#define BPF_PERF_OUTPUT(_name) \
  struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, 4); __uint(value_size, 4); } \
      _name##__map SEC(".maps"); \
  static __always_inline long _name##__perf_submit(void *ctx, void *data, __u32 size) { \
    return bpf_perf_event_output(ctx, &_name##__map, BPF_F_CURRENT_CPU, data, size); } \
  static const struct { long (*perf_submit)(void *, void *, __u32); } _name = { _name##__perf_submit }

#define BPF_RINGBUF_OUTPUT(_name, _pages) \
  struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, (_pages) * 4096); } _name##__map SEC(".maps"); \
  __u64 __probecc_lost__##_name SEC(".bss"); \
  static __always_inline long _name##__ringbuf_output(void *data, __u64 size, __u64 flags) { \
    long err = bpf_ringbuf_output(&_name##__map, data, size, flags); \
    if (err) __sync_fetch_and_add(&__probecc_lost__##_name, 1); \
    return err; } \
  static __always_inline void *_name##__ringbuf_reserve(__u64 size) { \
    void *p = bpf_ringbuf_reserve(&_name##__map, size, 0); \
    if (!p) __sync_fetch_and_add(&__probecc_lost__##_name, 1); \
    return p; } \
  static __always_inline void _name##__ringbuf_submit(void *data, __u64 flags) { bpf_ringbuf_submit(data, flags); } \
  static __always_inline void _name##__ringbuf_discard(void *data, __u64 flags) { bpf_ringbuf_discard(data, flags); } \
  static __always_inline __u64 _name##__ringbuf_query(__u64 flags) { return bpf_ringbuf_query(&_name##__map, flags); } \
  static const struct { \
    long (*ringbuf_output)(void *, __u64, __u64); void *(*ringbuf_reserve)(__u64); \
    void (*ringbuf_submit)(void *, __u64); void (*ringbuf_discard)(void *, __u64); __u64 (*ringbuf_query)(__u64); \
  } _name = { _name##__ringbuf_output, _name##__ringbuf_reserve, _name##__ringbuf_submit, _name##__ringbuf_discard, \
              _name##__ringbuf_query }

/* ---- BCC's helpers for maps ---- */
#define lock_xadd(ptr, val) ((void)__sync_fetch_and_add(ptr, val))
static __always_inline unsigned int bpf_log2(unsigned int v) {
  unsigned int r, shift;
  r = (v > 0xFFFF) << 4; v >>= r;
  shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
  shift = (v > 0xF) << 2; v >>= shift; r |= shift;
  shift = (v > 0x3) << 1; v >>= shift; r |= shift;
  r |= (v >> 1);
  return r;
}
static __always_inline unsigned int bpf_log2l(unsigned long v) {
  unsigned int hi = v >> 32;
  return hi ? bpf_log2(hi) + 32 + 1 : bpf_log2(v) + 1;
}
)";

}  // namespace

std::string bccMapDeclarations() { return std::string(kDeclarations) + std::string(bccMapKindDeclarations()); }

}  // namespace probecc
