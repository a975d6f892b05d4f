#pragma once
// A tracefs with only the syscall tracepoints a test names, each with a two-argument record
// (dfd, filename), so syscall probes resolve without the real kernel's tracefs.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>

struct FakeTracefs {
  std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("probecc-tracefs-" + std::to_string(getpid()));
  explicit FakeTracefs(std::initializer_list<const char *> events) {
    for (const char *event : events) {
      const auto dir = root / "events/syscalls" / event;
      std::filesystem::create_directories(dir);
      std::ofstream(dir / "id") << "1\n";
      std::ofstream(dir / "format")
          << "name: " << event << "\nformat:\n\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
          << "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n";
    }
  }
  ~FakeTracefs() { std::filesystem::remove_all(root); }
};
