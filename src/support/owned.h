#pragma once
// Owning pointers for C library handles: Owned<T, free> frees the handle with `free` (if any) when
// it goes, so no path can leak one.
#include <dirent.h>

#include <memory>

namespace probecc {

template <auto Free> struct FreeWith {
  template <typename T> void operator()(T *handle) const {
    if (handle) Free(handle);
  }
};
template <typename T, auto Free> using Owned = std::unique_ptr<T, FreeWith<Free>>;

using OwnedDir = Owned<DIR, closedir>;

}  // namespace probecc
