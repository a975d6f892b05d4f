#pragma once
// The version of probecc's JSON lines (-f json), carried as "schema" in every record. README's
// "JSON output" documents the records; a change that removes or renames a field, or changes a
// field's meaning, takes the next version. Adding a field or a record type does not.
namespace probecc {

inline constexpr int kJsonSchemaVersion = 1;

}  // namespace probecc
