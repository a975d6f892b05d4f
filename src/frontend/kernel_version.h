#pragma once
// KERNEL_VERSION of a release, for BTF mode's LINUX_VERSION_CODE (kernel_macros.h), where no
// linux/version.h exists: BCC's programs pick struct layouts with `#if LINUX_VERSION_CODE <
// KERNEL_VERSION(5, 11, 0)` (mountsnoop's mnt_namespace).
#include <string_view>

namespace probecc {

// KERNEL_VERSION(major, minor, patch) of a release such as "6.18.44-fc-v1098", with the patch
// level capped at 255 as the kernel's own Makefile does; 0 if `release` does not start with one.
unsigned linuxVersionCode(std::string_view release);

}  // namespace probecc
