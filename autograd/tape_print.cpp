// print_tape and to_dot: read-only walks over the tape (see tape_print.hpp).
#include "tape_print.hpp"

#include <iomanip>
#include <ostream>
#include <set>
#include <sstream>

#include "tape.hpp"

namespace tg::autograd {

static std::string input_name(const Edge& e) {
  if (e.node >= 0 && e.output >= 0)  // output k of a multi-output entry
    return "#" + std::to_string(e.node) + "." + std::to_string(e.output);
  if (e.node >= 0) return "#" + std::to_string(e.node);
  return e.leaf.defined() ? "leaf" : "const";
}

void print_tape(std::ostream& os) {
  Tape& tape = Tape::get();
  os << std::left << std::setw(6) << "entry" << std::setw(14) << "op" << std::setw(18) << "inputs"
     << std::setw(28) << "input shapes" << std::setw(14) << "output" << std::setw(12) << "saved B"
     << "state\n";
  for (size_t i = 0; i < tape.size(); ++i) {
    const Entry& e = tape.entry(int64_t(i));
    std::string ins, shapes;
    for (int k = 0; k < e.n_in; ++k) {
      ins += (k ? "," : "") + input_name(e.edge(k));
      if (k < Entry::kInline) shapes += (k ? " " : "") + to_string(e.in_shape(k));
    }
    size_t bytes = 0;
    for (const SavedTensor& s : e.saved)
      if (s.value.defined()) bytes += size_t(s.value.numel()) * s.value.element_size();
    const char* state = e.released  ? "released"
                        : !e.dead() ? "live"
                        : e.n_out   ? "several outputs"
                                    : "output dropped";
    os << std::setw(6) << i << std::setw(14) << e.op << std::setw(18) << ins << std::setw(28)
       << shapes << std::setw(14) << to_string(e.out_shape()) << std::setw(12) << bytes << state
       << "\n";
  }
}

std::string to_dot(const Tensor& root) {
  std::ostringstream d;
  d << "digraph tape {\n  rankdir=LR;\n  node [fontname=\"monospace\"];\n";
  const TensorImpl* r = root.unsafeGetTensorImpl();
  if (!r || r->node < 0) {
    d << "  root [shape=ellipse,label=\"leaf "
      << to_string(root.defined() ? root.sizes() : IntArrayRef()) << "\"];\n}\n";
    return d.str();
  }
  Tape& tape = Tape::get();
  std::set<int64_t> seen;
  std::set<const TensorImpl*> leaves;
  std::vector<int64_t> todo{r->node};
  while (!todo.empty()) {  // walk back from the root along input edges
    int64_t i = todo.back();
    todo.pop_back();
    if (!seen.insert(i).second) continue;
    const Entry& e = tape.entry(i);
    d << "  n" << i << " [shape=box,label=\"#" << i << " " << e.op << "\\n"
      << to_string(e.out_shape()) << "\"];\n";
    for (int k = 0; k < e.n_in; ++k) {
      const Edge& in = e.edge(k);
      if (in.node >= 0) {
        d << "  n" << in.node << " -> n" << i << ";\n";
        todo.push_back(in.node);
      } else if (in.leaf.defined()) {
        const TensorImpl* l = in.leaf.unsafeGetTensorImpl();
        if (leaves.insert(l).second)
          d << "  l" << static_cast<const void*>(l) << " [shape=ellipse,label=\"leaf "
            << to_string(l->sizes) << "\"];\n";
        d << "  l" << static_cast<const void*>(l) << " -> n" << i << ";\n";
      }
    }
  }
  d << "}\n";
  return d.str();
}

}  // namespace tg::autograd
