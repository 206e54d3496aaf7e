// tg::training::Progress (the per-epoch line) and LossHistory (the curves and their plot).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "training.hpp"

namespace tg::training {

// ---- Progress ----------------------------------------------------------------------------

static int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Progress::Progress(int64_t epochs, ProgressOptions options, std::ostream* out)
    : epochs_(epochs),
      options_(options),
      out_(out ? out : &std::cout),
      // A bar redrawn with '\r' is only readable on a terminal; in a log or a pipe (CI, meson
      // test) it would be one endless line, so there each epoch gets a plain line instead.
      live_(options.live().value_or(isatty(STDOUT_FILENO) == 1)),
      start_ns_(now_ns()) {
  if (epochs < 1) throw Error("Progress: epochs must be positive, got " + std::to_string(epochs));
  if (options_.every() < 1 || options_.width() < 1)
    throw Error("Progress: every and width must be positive");
}

Progress::~Progress() { finish(); }

void Progress::update(int64_t epoch, const std::vector<std::pair<std::string, double>>& metrics) {
  std::ostringstream values;
  for (const auto& [name, v] : metrics) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "  %s %.4f", name.c_str(), v);
    values << buf;
  }
  const int digits = int(std::to_string(epochs_).size());
  char count[64];
  std::snprintf(count, sizeof count, "%*lld/%lld", digits, static_cast<long long>(epoch),
                static_cast<long long>(epochs_));
  if (!live_) {
    if (epoch % options_.every() == 0 || epoch == epochs_ || epoch == 1)
      *out_ << "epoch " << count << values.str() << "\n";
    return;
  }
  const int64_t w = options_.width();
  const int64_t done = std::clamp<int64_t>(epoch * w / epochs_, 0, w);
  std::string bar(size_t(done), '=');
  if (done < w) bar += '>', bar += std::string(size_t(w - done - 1), ' ');
  const double seconds = double(now_ns() - start_ns_) * 1e-9;
  char time[32];
  std::snprintf(time, sizeof time, "  %.1fs", seconds);
  std::string line = "[" + bar + "] " + count + values.str() + time;
  // Pad over the remains of a longer previous line.
  const size_t width = line.size();
  if (width < last_width_) line += std::string(last_width_ - width, ' ');
  last_width_ = width;
  *out_ << "\r" << line << std::flush;
  open_ = true;
}

void Progress::finish() {
  if (open_) *out_ << "\n" << std::flush;
  open_ = false;
}

// ---- LossHistory -------------------------------------------------------------------------

void LossHistory::add(double train_loss, double validation_loss) {
  train_.push_back(train_loss);
  validation_.push_back(validation_loss);
}

int64_t LossHistory::best_epoch() const {
  auto argmin = [](const std::vector<double>& v) {
    int64_t best = 0;
    for (size_t i = 0; i < v.size(); ++i)
      if (!std::isnan(v[i]) && (best == 0 || v[i] < v[size_t(best - 1)])) best = int64_t(i) + 1;
    return best;
  };
  const int64_t by_validation = argmin(validation_);
  return by_validation ? by_validation : argmin(train_);
}

plot::Figure LossHistory::figure(const std::string& title, bool log_y) const {
  plot::Figure fig(title);
  fig.xlabel("epoch").ylabel("loss").log_y(log_y);
  fig.add_curve("train", train_);
  bool any_validation = false;
  for (double v : validation_) any_validation |= !std::isnan(v);
  if (any_validation) fig.add_curve("validation", validation_);
  if (const int64_t best = best_epoch())
    fig.add_vline(double(best), "best epoch " + std::to_string(best));
  return fig;
}

void LossHistory::save_svg(const std::string& path, const std::string& title, bool log_y) const {
  figure(title, log_y).save(path);
}

void LossHistory::save_csv(const std::string& path) const {
  std::ofstream out(path);
  if (!out) throw Error("LossHistory::save_csv: cannot open '" + path + "' for writing");
  out << "epoch,train,validation\n";
  char buf[96];
  for (size_t i = 0; i < train_.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%zu,%.9g,%.9g\n", i + 1, train_[i], validation_[i]);
    out << buf;
  }
  if (!out) throw Error("LossHistory::save_csv: writing '" + path + "' failed");
}

}  // namespace tg::training
