// probecc: compile BCC-style C probes in-process, load them with libbpf, attach them by name,
// and print what they say. The pipeline, as run() below does it, top to bottom:
//
//   1. script input and -a attachments (frontend/)
//   2. the kernel, found once a run: tracefs, its features, its targets (kernel/kernel_context.h);
//      its types (frontend/kernel_types)
//   3. compile through the cache (driver/): on a miss, libprobecc-compiler.so runs compiler/'s named
//      steps (parse → plan → ... → emit); once stored, probecc re-executes itself to trace lean
//   4. libbpf: open, size the maps, set the knobs, load through the verifier (load/)
//   5. attach every program, wildcards expanded (attach/; user binaries read by elf/)
//   6. the session: trace lines, events and maps read as records, rendered as text or JSON (the one
//      renderer -f picks) to the output sink (output/), until Ctrl-C, -d or -c; detach and unload by RAII
//
// probecc's own messages go through one Diagnostics (support/diagnostics.h) made in main().
#include <unistd.h>

#include <optional>
#include <sstream>
#include <tuple>

#include <boost/program_options.hpp>
#include <llvm/Support/raw_ostream.h>

#include "cache/cache_dir.h"
#include "driver/cached_compile.h"
#include "driver/lean_restart.h"
#include "driver/program_package.h"
#include "frontend/bcc_dialect_help.h"
#include "frontend/kernel_types.h"
#include "frontend/probe_plan.h"
#include "frontend/script_input.h"
#include "attach/attach.h"
#include "attach/attach_targets.h"
#include "attach/target_listing.h"
#include "attach/attached_probes.h"
#include "load/bpf_object.h"
#include "output/event_output.h"
#include "load/global_settings.h"
#include "load/kconfig_externs.h"
#include "kernel/kernel_context.h"
#include "elf/library_paths.h"
#include "output/map_output.h"
#include "output/renderer.h"
#include "kernel/privileges.h"
#include "load/program_loader.h"
#include "support/progress_line.h"
#include "output/session.h"
#include "attach/target_process.h"
#include "output/trace_pipe.h"
#include "metrics/metrics_endpoint.h"
#include "kernel/arch.h"
#include "kernel/syscalls.h"
#include "kernel/tracefs.h"
#include "program/package.h"
#include "support/diagnostics.h"
#include "support/error.h"
#include "support/numbers.h"
#include "driver/type_cache_builder.h"

namespace po = boost::program_options;
using namespace probecc;

namespace {

struct Options {
  std::string scriptPath;
  std::vector<std::string> snippets, includeDirs, defines, attachments, settings;
  std::string command, emit, kernelHeaders;
  std::string metrics, metricsPrefix = "probecc";  // --metrics [ADDR:]PORT
  size_t metricsMaxSeries = ExpositionOptions().maxSeriesPerMap;
  std::string outputPath;  // -o: where --emit writes ("" or "-": stdout)
  std::string format = "text";
  bool formatGiven = false;  // -f on the command line: it wins over a package's own
  std::optional<double> duration, interval;
  std::optional<pid_t> pid;
  size_t bufferPages = 64, printkPages = 512;
  size_t maxProbes = 1000;
  std::string bufferPagesText, printkPagesText, maxProbesText, durationText, intervalText;  // as written
  bool list = false;  // -l: list probe targets matching scriptPath (a pattern) instead of running
  bool dryRun = false, traceFields = false, preferBtf = false, verbose = false, noMaps = false;
  bool noCache = false, clearCache = false, tracePipe = false, noRawSyscalls = false, noRawTracepoints = false;
  Restart restart;  // re-executed after compiling, to trace lean (lean_restart.h)
  bool buildTypeCache = false;  // a detached kernel type cache builder (type_cache_builder.h)
  OutputFormat output() const { return format == "json" ? OutputFormat::Json : OutputFormat::Text; }
};

constexpr const char *kUsage =
    "usage: probecc [options] FILE | - | -e 'C code'\n"
    "\n"
    "Compiles BCC-style C probes in-process, attaches every function whose name says where\n"
    "(kprobe__FUNC, kretprobe__FUNC, tracepoint__CAT__EVENT, raw_tracepoint__EVENT, syscall__NAME,\n"
    "kfunc__FUNC, lsm__HOOK, or libbpf's SEC(\"...\")), and prints what they print until Ctrl-C,\n"
    "-d SECONDS, or the -c command ends.\n";

// Returns nullopt after printing help/version (exit 0); an error for bad usage.
llvm::Expected<std::optional<Options>> parseOptions(int argc, char **argv) {
  Options o;
  po::options_description visible("options");
  visible.add_options()
      ("help,h", "show this help")
      ("version", "show probecc's version")
      ("expr,e", po::value(&o.snippets), "C code to compile (repeatable; joined in order)")
      ("include,I", po::value(&o.includeDirs), "add DIR to the #include search path")
      ("define,D", po::value(&o.defines), "define macro NAME[=VALUE] for the program")
      ("attach,a", po::value(&o.attachments), "attach function FN explicitly: TYPE:TARGET=FN (below); also gives or replaces a SEC() function's target")
      ("set", po::value(&o.settings), "set global variable NAME of the program to VALUE before it loads (a libbpf tool's `const volatile` knobs: --set targ_pid=42, --set targ_comm=bash, --set ports=80,443)")
      ("command,c", po::value(&o.command), "run CMD (with /bin/sh) once attached; exit with its status when it ends")
      ("pid,p", po::value<pid_t>(), "limit uprobes, USDT probes and perf events to process PID (kprobes and "
                                    "tracepoints still see every process); stop when it exits")
      ("duration,d", po::value(&o.durationText), "stop after SECONDS")
      ("trace-fields,T", po::bool_switch(&o.traceFields), "print trace lines as TIME COMM PID MESSAGE (BCC's trace_fields)")
      ("format,f", po::value(&o.format), "output: text (default) or json (one object per line)")
      ("interval,i", po::value(&o.intervalText), "print the maps every SECONDS as well as at exit")
      ("no-maps", po::bool_switch(&o.noMaps), "do not print the maps' contents at exit")
      ("metrics", po::value(&o.metrics), "serve the maps as Prometheus metrics at http://[ADDR:]PORT/metrics while tracing (ADDR default 127.0.0.1)")
      ("metrics-prefix", po::value(&o.metricsPrefix), "the metrics' name prefix (default probecc: probecc_MAP)")
      ("metrics-max-series", po::value(&o.metricsMaxSeries), "series read from one map per scrape, at most (default 100000; the rest is counted as truncated)")
      ("buffer-pages", po::value(&o.bufferPagesText), "perf buffer size per CPU, in pages (default 64)")
      ("printk-pages", po::value(&o.printkPagesText), "bpf_trace_printk's ring buffer size, in pages (default 512)")
      ("trace-pipe", po::bool_switch(&o.tracePipe), "bpf_trace_printk to the kernel's shared trace_pipe, not this session's own buffer")
      ("dry-run,n", po::bool_switch(&o.dryRun), "compile and load through the verifier, check every target exists, attach nothing")
      ("list,l", po::bool_switch(&o.list), "list the probe targets matching PATTERN (the argument), e.g. -l 'vfs_*', -l 'tracepoint:sched:*', -l 'uprobe:/bin/bash:read*'; -lv adds fields and signatures")
      ("no-raw-syscalls", po::bool_switch(&o.noRawSyscalls), "attach syscalls:sys_enter_*/sys_exit_* tracepoints one perf event each, not through one raw_syscalls attach (slower to detach; the output is the same)")
      ("no-raw-tracepoints", po::bool_switch(&o.noRawTracepoints), "attach every tracepoint through a perf event: neither through raw_syscalls nor, for a program that reads nothing of its record, as a raw tracepoint (slower to detach; the output is the same)")
      ("max-probes", po::value(&o.maxProbesText), "attach at most N targets in all (default 1000; wildcards count each match)")
      ("emit", po::value(&o.emit), "print the generated code instead of running: llvm, asm or obj; llvm:STEP prints the IR after compile step STEP (e.g. llvm:parse, llvm:optimise); package: a file `probecc FILE` runs on other kernels without the compiler (README: Packages)")
      ("output,o", po::value(&o.outputPath), "write what --emit makes to FILE instead of stdout")
      ("kernel-headers", po::value(&o.kernelHeaders), "kernel headers directory (default $PROBECC_KERNEL_HEADERS, then /lib/modules/$(uname -r)/build)")
      ("btf", po::bool_switch(&o.preferBtf), "take kernel types from BTF even when headers exist")
      ("verbose,v", po::bool_switch(&o.verbose), "say where kernel types come from, what attaches where, and libbpf's log")
      ("no-cache", po::bool_switch(&o.noCache), "neither use nor fill the compile cache ($PROBECC_CACHE_DIR, default /var/cache/probecc)")
      ("clear-cache", po::bool_switch(&o.clearCache), "empty the compile cache (then run the program, if one is given)");
  po::options_description hidden;
  hidden.add_options()("script", po::value(&o.scriptPath))(kBuildTypeCacheOption, po::bool_switch(&o.buildTypeCache));
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("script", 1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error &e) {
    return makeError(llvm::Twine(e.what()) + " (see probecc --help)");
  }
  if (vm.count("help")) {
    std::ostringstream help;
    help << kUsage << "\n" << visible << "\nexplicit attach (-a):\n" << attachOptionHelp()
         << "\nBCC's dialect (README: BCC compatibility):\n" << bccDialectHelp()
         << "\nexamples:\n"
            "  probecc -e 'int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args)\n"
            "              { bpf_trace_printk(\"unlink %s\\n\", (char *)args->args[1]); return 0; }'\n"
            "  probecc -a syscall:syncfs=hello hello.c -c 'sync -f /'\n";
    OutputSink out;
    out.text(help.str());
    out.flush();
    return std::nullopt;
  }
  if (vm.count("version")) {
    OutputSink out;
    out.text("probecc " PROBECC_VERSION "\n");
    out.flush();
    return std::nullopt;
  }
  if (vm.count("duration")) {
    auto seconds = parseSeconds(o.durationText, true, "-d/--duration");
    if (!seconds) return seconds.takeError();
    o.duration = *seconds;
  }
  if (vm.count("interval")) {
    auto seconds = parseSeconds(o.intervalText, false, "-i/--interval");
    if (!seconds) return seconds.takeError();
    o.interval = *seconds;
  }
  if (vm.count("pid")) o.pid = vm["pid"].as<pid_t>();
  o.formatGiven = vm.count("format") > 0;
  if (o.pid && *o.pid <= 0) return makeError("-p takes a process id (a positive number)");
  if (o.format != "text" && o.format != "json") return makeError("--format takes text or json");
  // Upper bounds: 256 MiB of perf buffer per CPU; a printk ring buffer's size in bytes must fit
  // the kernel's 32-bit max_entries.
  for (auto [text, into, max, name, what] :
       {std::tuple{&o.bufferPagesText, &o.bufferPages, size_t(1) << 16, "--buffer-pages", "perf buffers"},
        std::tuple{&o.printkPagesText, &o.printkPages, size_t(1) << 19, "--printk-pages", "ring buffers"}}) {
    if (text->empty()) continue;
    auto pages = parseCount(*text, 1, max, name);
    if (!pages) return pages.takeError();
    if (*pages & (*pages - 1))
      return makeError(llvm::Twine(name) + " " + *text + ": must be a power of two (the kernel's " + what + " are)");
    *into = *pages;
  }
  if (!o.maxProbesText.empty()) {
    auto count = parseCount(o.maxProbesText, 1, 1000000, "--max-probes");
    if (!count) return count.takeError();
    o.maxProbes = *count;
  }
  if (!o.emit.empty() && o.emit != "llvm" && o.emit != "asm" && o.emit != "obj" && o.emit != "package" &&
      !o.emit.starts_with("llvm:"))
    return makeError("--emit takes llvm, asm, obj, package or llvm:STEP");
  if (!o.outputPath.empty() && o.emit.empty()) return makeError("-o FILE takes what --emit makes (e.g. --emit package -o FILE)");
  if (!isMetricName(o.metricsPrefix)) return makeError("--metrics-prefix takes a Prometheus name ([a-zA-Z_:][a-zA-Z0-9_:]*)");
  if (o.metricsMaxSeries == 0) return makeError("--metrics-max-series must be positive");
  if (o.kernelHeaders.empty())
    if (const char *env = getenv("PROBECC_KERNEL_HEADERS")) o.kernelHeaders = env;
  o.restart = takeRestartMarker();
  return o;
}

// -l [PATTERN]: list probe targets; no compiler, no BPF.
llvm::Expected<int> runListing(const Options &o, Diagnostics &diagnostics) {
  if (!o.snippets.empty()) return makeError("-l takes a pattern (e.g. -l 'vfs_*'), not a program");
  auto tracefs = ensureTracefs();
  if (!tracefs) return tracefs.takeError();
  KernelContext kernel(*tracefs);
  const auto renderer = makeRenderer(o.output());
  OutputSink out(*renderer);
  std::string notes;
  if (auto error = listTargets({o.scriptPath, o.verbose}, kernel.targets(),
                               [&](const ListedTarget &target) { out.render(target); }, notes))
    return error;
  diagnostics.text(notes);
  out.flush();
  return 0;
}

// What a run sets beyond the program itself, for source and package runs alike: --set knobs and
// --metrics, checked before anything is compiled or loaded.
struct RunChoices {
  std::vector<GlobalSetting> settings;
  std::optional<MetricsOptions> metrics;
};

llvm::Expected<RunChoices> runChoices(const Options &o) {
  RunChoices choices;
  for (const auto &option : o.settings) {
    auto setting = parseGlobalSetting(option);
    if (!setting) return setting.takeError();
    choices.settings.push_back(std::move(*setting));
  }
  if (!o.metrics.empty()) {
    auto address = parseMetricsAddress(o.metrics);
    if (!address) return address.takeError();
    choices.metrics = MetricsOptions{*address, {o.metricsPrefix, o.metricsMaxSeries}};
  }
  return choices;
}

llvm::Expected<int> traceProgram(const Options &o, const RunChoices &choices, const CompiledProgram &program,
                                 const UserSource &source, KernelContext &kernel, TargetProcess *process,
                                 Diagnostics &diagnostics);

// --emit's bytes to -o FILE, or stdout.
llvm::Expected<int> writeEmitted(llvm::StringRef bytes, const std::string &path) {
  if (path.empty() || path == "-") {
    OutputSink out;
    out.text(bytes);
    return out.flush() ? 0 : 1;
  }
  std::error_code error;
  llvm::raw_fd_ostream out(path, error);
  if (error) return makeError("cannot write " + path + ": " + error.message());
  out << bytes;
  out.close();
  if (out.has_error()) return makeError("cannot write " + path + ": " + out.error().message());
  return 0;
}

// probecc PACKAGE: runs what --emit package built, with no compiler, after checking this kernel can.
llvm::Expected<int> runPackage(const Options &o, const RunChoices &choices, const Script &file, TargetProcess *process,
                               Diagnostics &diagnostics) {
  if (!o.emit.empty() || !o.attachments.empty() || !o.includeDirs.empty() || !o.defines.empty() || !o.snippets.empty())
    return makeError("a package is compiled already: -a, -I, -D, -e and --emit apply when it is built (--emit package), "
                     "not when it runs");
  auto package = readPackage(file.text, file.name, hostArch().triplePrefix);
  if (!package) return package.takeError();
  const PackageOrigin &origin = package->origin;
  diagnostics.verbose("package " + file.name + ": " + package->script.name + " (blake3 " + origin.sourceHash.substr(0, 16) +
                      "...) built by probecc " + origin.probeccVersion + " on kernel " + origin.builtOnKernel + " (" +
                      origin.arch + "); kernel types: " + package->program.kernel.describe());
  auto tracefs = ensureTracefs();
  if (!tracefs) return tracefs.takeError();
  if (auto error = checkRunsOnThisKernel(*package, *tracefs)) return error;
  KernelContext kernel(*tracefs);
  Options run = o;  // the options it was built with, unless this run says otherwise
  if (!o.formatGiven && !package->output.format.empty()) run.format = package->output.format;
  run.traceFields |= package->output.traceFields;
  run.noMaps |= package->output.noMaps;
  for (const auto &note : package->program.notes) diagnostics.note(note);
  return traceProgram(run, choices, package->program, {package->script.name, package->script.text}, kernel, process,
                      diagnostics);
}

llvm::Expected<int> run(const Options &o, Diagnostics &diagnostics) {
  if (o.buildTypeCache)
    return runTypeCacheBuilder({o.kernelHeaders, KernelTypesRequest().btfPath, o.preferBtf}, cacheDirFromEnvironment());
  if (o.clearCache) {
    if (auto error = clearCacheDir(cacheDirFromEnvironment())) return error;
    if (o.scriptPath.empty() && o.snippets.empty()) return 0;
  }
  std::optional<TargetProcess> process;  // -p
  if (o.pid) {
    auto opened = TargetProcess::open(*o.pid);
    if (!opened) return opened.takeError();
    process.emplace(std::move(*opened));
  }
  if (o.list) return runListing(o, diagnostics);
  auto choices = runChoices(o);
  if (!choices) return choices.takeError();
  // 1. Source and explicit attachments
  auto script = readScript(o.scriptPath, o.snippets, o.restart.scriptText);
  if (!script) return script.takeError();
  if (looksLikePackage(script->text)) return runPackage(o, *choices, *script, process ? &*process : nullptr, diagnostics);
  std::vector<ProbeSpec> attachments;
  for (const auto &option : o.attachments) {
    auto spec = planFromAttachOption(option);
    if (!spec) return spec.takeError();
    attachments.push_back(std::move(*spec));
  }

  // 2. What this kernel offers, each found once and shared (kernel/kernel_context.h): tracefs,
  //    its features (kprobes, ...), its probe targets
  auto tracefs = ensureTracefs();
  if (!tracefs) return tracefs.takeError();
  KernelContext kernel(*tracefs);
  SyscallSupport syscalls{kernel.has(Feature::Kprobes), *tracefs, ""};
  if (syscalls.kprobes) syscalls.prefix = syscallPrefixFromKallsyms();

  // Every program probecc loads needs CAP_BPF: say so before compiling (what each probe needs
  // beyond it is checked once the probes are known, checkProbePrivileges).
  if (o.emit.empty())
    if (auto error = checkLoadPrivilege(script->name)) return error;

  // 3. Compile: kernel types → Clang → probe plan → IR passes → BPF ELF, all in memory
  const UserSource source{script->name, script->text};  // for the verifier's errors at the user's line
  // Kernel types: headers directory, or BTF (always for libbpf-style programs that include vmlinux.h)
  // A package is built from BTF unless headers are asked for by name: it then runs on any kernel with BTF.
  const bool package = o.emit == "package";
  auto kernelTypes = discoverKernelTypes({o.kernelHeaders, KernelTypesRequest().btfPath,
                                     o.preferBtf || includesVmlinuxHeader(script->text) || (package && o.kernelHeaders.empty())});
  if (!kernelTypes) return kernelTypes.takeError();
  kernelTypes->portable = package;
  const Script built = *script;
  ProgramRequest request{std::move(*script), std::move(*kernelTypes), o.includeDirs, o.defines, std::move(attachments),
                         std::move(syscalls)};
  request.colorDiagnostics = isatty(STDERR_FILENO);
  request.verbose = o.verbose;
  request.tracePipe = o.tracePipe;
  if (!o.emit.empty() && !package)
    request.emitKind = o.emit.starts_with("llvm") ? EmitKind::LlvmIr : o.emit == "asm" ? EmitKind::Assembly : EmitKind::Object;
  if (o.emit.starts_with("llvm:")) request.emitAfter = o.emit.substr(5);
  auto compiled = compileThroughCache(std::move(request), {!o.noCache, cacheDirFromEnvironment()}, diagnostics);
  if (!compiled) return compiled.takeError();
  // Compiled just now, Clang and LLVM stay mapped (~90 MB): a run that traces, with the script text
  // handed to it, re-executes itself, so the trace runs from the cache in a few MB (lean_restart.h).
  if (compiled->storedNow && !o.restart.restarted && !o.dryRun && o.emit.empty()) restartFromCache(source.text);
  for (const auto &note : compiled->program.notes) diagnostics.note(note);
  if (package) {
    auto made = makePackage(built, std::move(compiled->program), *tracefs,
                            {o.formatGiven ? o.format : "", o.traceFields, o.noMaps});
    if (!made) return made.takeError();
    if (!made->origin.onlyForKernel.empty())
      diagnostics.warning("this package runs only on kernel " + made->origin.onlyForKernel + ": " + made->origin.onlyForKernelReason);
    return writeEmitted(writePackage(*made), o.outputPath);
  }
  if (!o.emit.empty())
    return writeEmitted(llvm::StringRef(compiled->program.code.data(), compiled->program.code.size()), o.outputPath);
  return traceProgram(o, *choices, compiled->program, source, kernel, process ? &*process : nullptr, diagnostics);
}

// 4. and 5.: load, attach and trace a compiled program (from the compiler, the cache or a package).
llvm::Expected<int> traceProgram(const Options &o, const RunChoices &choices, const CompiledProgram &program,
                                 const UserSource &source, KernelContext &kernel, TargetProcess *process,
                                 Diagnostics &diagnostics) {
  // 4. libbpf: open, expand wildcards (and check targets with --dry-run), verify and load (one of
  //    each pair of alternative programs)
  // uprobes on a library or program by name (-a uprobe:c:malloc=fn) attach at its path
  auto programProbes = resolveUserBinaries(program.probes);
  if (!programProbes) return programProbes.takeError();
  if (auto error = checkProbePrivileges(*programProbes, kernel.tracefs(), o.tracePipe)) return error;
  LibbpfLog log(o.verbose ? &diagnostics : nullptr);
  std::optional<TargetExpansion> expansion;
  auto loaded = loadProgram(program.code, *programProbes, log, o.verbose, source, [&](bpf_object &opened) -> llvm::Error {
    auto expanded = prepareTargets(opened, *programProbes, kernel, {o.maxProbes, o.dryRun, process ? process->pid() : -1, !o.noRawSyscalls && !o.noRawTracepoints, !o.noRawTracepoints});
    if (!expanded) return expanded.takeError();
    expansion = std::move(*expanded);
    EventOutput::preparePrintk(opened, o.printkPages);
    if (auto error = applyGlobalSettings(opened, choices.settings)) return error;
    return checkKernelConfigReadable(opened);
  });
  if (!loaded) return loaded.takeError();
  auto *object = &loaded->object;
  std::vector<ProbeSpec> probes;
  for (const auto &probe : *programProbes)
    if (!loaded->skipped.contains(probe.function)) probes.push_back(probe);
  for (const auto &note : loaded->notes) diagnostics.verbose(note);
  for (const auto &probe : probes)
    diagnostics.verbose(probe.function + ": " + std::string(probe.info().name) + " " + probe.target.text() + " (SEC \"" + probe.section() +
                        "\")" + (probe.attach ? "" : ", a tail-call target: not attached"));
  for (const auto &event : program.eventTypes)
    diagnostics.verbose(userMapName(event.map).name + " carries " + (event.isTypedef ? "" : "struct ") + event.typeName);
  if (o.dryRun) {
    for (const auto &line : describeExpansion(*expansion)) diagnostics.progress(line);
    int maps = 0;
    bpf_map *map;
    bpf_object__for_each_map(map, object->get()) maps += !bpf_map__is_internal(map);
    diagnostics.progress(llvm::Twine(probes.size()) + " program(s) passed the verifier, " + llvm::Twine(maps) +
                         " map(s) created; nothing attached (--dry-run)");
    return 0;
  }
  if (probes.empty()) return makeError(noProbeMessage() + " (a program of maps alone is checked with --dry-run)");

  // 5. Attach, then print what the probes say: trace_pipe lines, events, maps
  const auto renderer = makeRenderer(o.output(), o.traceFields ? TraceStyle::Fields : TraceStyle::Raw);
  llvm::Expected<TracePipe> pipe = usesTracePipe(**object) ? TracePipe::open(kernel.tracefs()) : TracePipe::none();
  if (!pipe) return pipe.takeError();
  auto events = EventOutput::open(**object, program.eventTypes, program.printkFormats, *renderer, o.bufferPages);
  if (!events) return events.takeError();
  MapPrinter maps(**object, stopRequested);
  blockSessionSignals();
  pipe->discardPending();
  const pid_t pid = process ? process->pid() : -1;
  if (auto note = process ? pidNotLimitingNote(probes, pid) : ""; !note.empty())
    diagnostics.note(note);
  ProgressLine progress(diagnostics, isatty(STDERR_FILENO) && !renderer->linesAreRecords());
  AttachedProbes links(&progress, &diagnostics);  // on any return from here, released as fast as the kernel allows
  if (auto error = attachAll(**object, probes, kernel, *expansion, diagnostics, links, pid)) {
    diagnostics.error(std::move(error));  // said before what did attach is released, which may take a while
    return llvm::make_error<AlreadyReported>();
  }
  std::unique_ptr<MetricsEndpoint> metricsEndpoint;
  if (choices.metrics) {
    auto started = MetricsEndpoint::start(**object, events->get(), links.size(), *choices.metrics, diagnostics);
    if (!started) return started.takeError();
    metricsEndpoint = std::move(*started);
  }
  dropCapabilitiesAfterAttach(diagnostics);
  diagnostics.verbose("attached " + llvm::Twine(links.size()) + " probe(s); Ctrl-C to stop");
  SessionSources sources{*renderer, *pipe, (*events)->empty() ? nullptr : events->get(),
                         [&](OutputSink &out) { maps.printAll(out); }};
  auto status = runSession(sources, {o.duration, o.command, o.interval, process ? process->exitFd() : -1}, diagnostics);
  metricsEndpoint.reset();  // no scrape reads the maps while they are printed and unloaded
  links.stopPrograms();  // detach first: the maps then hold what the session saw, and no more
  if (!o.noMaps) {
    OutputSink out(*renderer);
    maps.printAll(out);
    out.flush();
  }
  for (const auto &note : maps.takeNotes()) diagnostics.note(note);
  diagnostics.text((*events)->lostSummary());
  links.release();  // what the kernel releases one at a time (tracepoints' perf events), after the output
  return status;
  // the object is released here: every program and map unloaded
}

}  // namespace

int main(int argc, char **argv) {
  auto options = parseOptions(argc, argv);
  if (!options) return Diagnostics(false).error(options.takeError());
  if (!*options) return 0;
  Diagnostics diagnostics((*options)->verbose);  // every message of probecc's own goes through it
  diagnostics.setJson(makeRenderer((*options)->output())->linesAreRecords());
  auto status = run(**options, diagnostics);
  if (!status) return diagnostics.error(status.takeError());
  return *status;
}
