/* Map helpers as libbpf-tools programs keep them in their own header (written for probecc's tests). */
#ifndef TEST_MAPS_BPF_H
#define TEST_MAPS_BPF_H
#include <bpf/bpf_helpers.h>
#include <asm-generic/errno.h>

static __always_inline void *lookup_or_try_init(void *map, const void *key, const void *init)
{
	void *value = bpf_map_lookup_elem(map, key);
	if (value)
		return value;
	long err = bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	if (err && err != -EEXIST)
		return 0;
	return bpf_map_lookup_elem(map, key);
}
#endif
