// The user's source line from a captured call stack. See source_line.hpp.
#include "source_line.hpp"

#include <execinfo.h>
#include <unistd.h>

#include <filesystem>

#include "autograd/source_line_config.h"  // TG_SOURCE_ROOT, TG_HAVE_LIBDW (autograd/meson.build)

#if TG_HAVE_LIBDW
#include <cxxabi.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>

#include <cstdlib>
#include <vector>
#endif

namespace tg::detail {

std::unique_ptr<CallStack> capture_call_stack() {
  auto s = std::make_unique<CallStack>();
  s->n = backtrace(s->pc.data(), int(s->pc.size()));
  return s;
}

#if TG_HAVE_LIBDW
namespace {

// tapegrad's own code, or a system header (std::function, xtensor): not the user's line.
// A tapegrad frame is .../autograd/F, .../nn/F or .../optim/F where tapegrad's source tree has
// that same file. Matched by tail, not by the full path: debug information can name the tree
// the library was first compiled in (ccache with base_dir reuses objects across checkouts), or
// a tree that is gone (an installed library; then every such path counts as tapegrad's).
bool is_library_or_system(const std::string& file) {
  namespace fs = std::filesystem;
  static const fs::path root = fs::path(TG_SOURCE_ROOT).lexically_normal();
  static const bool have_root = !root.empty() && fs::exists(root / "autograd" / "tape.hpp");
  auto starts = [&](const char* prefix) { return file.rfind(prefix, 0) == 0; };
  if (starts("/usr/include/") || starts("/usr/lib/") ||
      file.find("/include/tapegrad/") != std::string::npos)
    return true;
  const fs::path p(file);
  if (p.filename() == "tapegrad.hpp") return true;
  const std::string dir = p.parent_path().filename().string();
  if (dir != "autograd" && dir != "nn" && dir != "optim") return false;
  std::error_code ec;
  return !have_root || fs::exists(root / dir / p.filename(), ec);
}

struct Frame {
  std::string file;
  int line = 0;
  std::string function;
};

// A DIE's name, following DW_AT_abstract_origin/specification (inlined copies have none).
std::string die_name(Dwarf_Die* die) {
  Dwarf_Attribute attr;
  if (dwarf_attr_integrate(die, DW_AT_name, &attr))
    if (const char* s = dwarf_formstring(&attr)) return s;
  return "?";
}

// The function containing pc from the symbol table, demangled, without its parameter list.
std::string symbol_name(Dwfl_Module* mod, Dwarf_Addr pc) {
  const char* sym = dwfl_module_addrname(mod, pc);
  if (!sym) return "?";
  int status = 0;
  char* d = abi::__cxa_demangle(sym, nullptr, nullptr, &status);
  std::string name = status == 0 && d ? d : sym;
  std::free(d);
  if (!name.empty() && name.back() == ')') {  // "ns::f(int, double)" -> "ns::f"
    int depth = 0;
    for (size_t i = name.size(); i-- > 0;) {
      depth += name[i] == ')' ? 1 : name[i] == '(' ? -1 : 0;
      if (depth == 0) {
        name.resize(i);
        break;
      }
    }
  }
  return name;
}

// The logical frames at one code address, innermost first: the line table gives the innermost
// (possibly inlined) location; each enclosing DW_TAG_inlined_subroutine scope says where it was
// inlined (DW_AT_call_file/line), which is a location in the next function out.
std::vector<Frame> frames_at(Dwfl* dwfl, Dwarf_Addr pc) {
  std::vector<Frame> out;
  Dwfl_Module* mod = dwfl_addrmodule(dwfl, pc);
  if (!mod) return out;
  // System libraries (libc, libstdc++, OpenBLAS) hold no user code.
  // (A module from /proc/self/maps is named by its file's path.)
  const char* name =
      dwfl_module_info(mod, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr);
  const std::string path = name ? name : "";
  if (path.rfind("/usr/lib/", 0) == 0 || path.rfind("/lib/", 0) == 0) return out;
  Frame f;
  if (Dwfl_Line* l = dwfl_module_getsrc(mod, pc))
    if (const char* file = dwfl_lineinfo(l, nullptr, &f.line, nullptr, nullptr, nullptr))
      f.file = file;
  Dwarf_Addr bias = 0;
  Dwarf_Die* cu = dwfl_module_addrdie(mod, pc, &bias);
  // File names may be relative to the directory the compiler ran in (meson: the build dir).
  Dwarf_Attribute comp_attr;
  const char* comp = cu ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &comp_attr)) : nullptr;
  auto absolute = [&](std::string file) {
    if (comp && !file.empty() && file[0] != '/') file = std::string(comp) + "/" + file;
    return std::filesystem::path(file).lexically_normal().string();
  };
  Dwarf_Die* scopes = nullptr;
  const int n = cu ? dwarf_getscopes(cu, pc - bias, &scopes) : 0;
  Dwarf_Files* files = nullptr;
  size_t nfiles = 0;
  if (cu) dwarf_getsrcfiles(cu, &files, &nfiles);
  for (int i = 0; i < n; ++i) {
    const int tag = dwarf_tag(&scopes[i]);
    if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram) continue;
    f.function = die_name(&scopes[i]);
    f.file = absolute(f.file);
    out.push_back(f);
    if (tag == DW_TAG_subprogram) break;
    Dwarf_Attribute attr;
    Dwarf_Word file_index = 0, line = 0;
    f = Frame{};
    if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_file, &attr), &file_index) == 0 &&
        files && file_index < nfiles)
      if (const char* s = dwarf_filesrc(files, file_index, nullptr, nullptr)) f.file = s;
    if (dwarf_formudata(dwarf_attr(&scopes[i], DW_AT_call_line, &attr), &line) == 0)
      f.line = int(line);
  }
  // Scopes can end without the enclosing DW_TAG_subprogram (GCC's main in .text.startup), or
  // there may be only a line table: the symbol table names the function then.
  if (!f.file.empty() && (out.empty() || dwarf_tag(&scopes[n - 1]) == DW_TAG_compile_unit)) {
    f.file = absolute(f.file);
    f.function = symbol_name(mod, pc);
    out.push_back(f);
  }
  std::free(scopes);
  return out;
}

}  // namespace

bool source_lines_supported() { return true; }

std::string user_source_line(const CallStack& s) {
  static const Dwfl_Callbacks callbacks = {dwfl_linux_proc_find_elf, dwfl_standard_find_debuginfo,
                                           nullptr, nullptr};
  Dwfl* dwfl = dwfl_begin(&callbacks);
  if (!dwfl) return "; the call stack could not be read (libdw)";
  std::string found;
  if (dwfl_linux_proc_report(dwfl, getpid()) == 0 && dwfl_report_end(dwfl, nullptr, nullptr) == 0)
    for (int k = 0; k < s.n && found.empty(); ++k) {
      // A return address points after the call; the call itself is one byte earlier.
      const Dwarf_Addr pc = Dwarf_Addr(s.pc[size_t(k)]) - (k > 0 ? 1 : 0);
      for (Frame& f : frames_at(dwfl, pc)) {
        if (f.file.empty() || f.line == 0) continue;
        if (is_library_or_system(f.file)) continue;
        found = f.file + ":" + std::to_string(f.line) + " in '" + f.function + "'";
        break;
      }
    }
  dwfl_end(dwfl);
  if (found.empty())
    return "; no source line: build your program with -g, or put TG_HERE; before the op";
  return found;
}

#else  // tapegrad was built without libdw

bool source_lines_supported() { return false; }
std::string user_source_line(const CallStack&) {
  return "; no source line: tapegrad was built without libdw (apt-get install libdw-dev, then "
         "rebuild), or put TG_HERE; before the op";
}

#endif

}  // namespace tg::detail
