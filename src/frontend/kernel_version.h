#pragma once
// LINUX_VERSION_CODE for BTF mode, where no linux/version.h exists: BCC's programs pick struct
// layouts with `#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)` (mountsnoop's mnt_namespace),
// and an undefined macro would silently take the oldest branch.
#include <string_view>

namespace probecc {

// KERNEL_VERSION(major, minor, patch) of a release such as "6.18.44-fc-v1098", with the patch
// level capped at 255 as the kernel's own Makefile does; 0 if `release` does not start with one.
unsigned linuxVersionCode(std::string_view release);

// The running kernel's: Debian's and Ubuntu's releases name the ABI, not the patch level
// ("6.1.0-57-amd64" is 6.1.192), which `uname -v` ("... Debian 6.1.192-1 ...") and Ubuntu's
// /proc/version_signature ("Ubuntu 5.15.0-50.56-generic 5.15.60") carry, as libbpf reads them.
unsigned runningLinuxVersionCode(std::string_view release);

}  // namespace probecc
