// tg::plot: axes, ticks and the SVG text of a Figure.
#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "../autograd/core.hpp"

namespace tg::plot {

namespace {

// Tableau 10: distinct colours that stay readable for the colour-blind.
const char* const kPalette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
constexpr double kCharWidth = 7.0;  // average width of a 12px sans-serif character

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// One axis: its range in data units, its ticks, and the map to pixels.
struct Axis {
  bool log = false;
  double lo = 0, hi = 1;
  std::vector<double> ticks, minor;
  std::vector<std::string> labels;
  double p0 = 0, p1 = 1;  // pixel positions of lo and hi

  bool valid(double v) const { return std::isfinite(v) && (!log || v > 0); }
  double t(double v) const { return log ? std::log10(v) : v; }
  double px(double v) const { return p0 + (t(v) - t(lo)) / (t(hi) - t(lo)) * (p1 - p0); }
  bool inside(double v) const {
    const double a = t(lo), b = t(hi), x = t(v), tol = 1e-9 * (b - a);
    return x >= a - tol && x <= b + tol;
  }
};

std::string decade_label(int k) {
  if (k >= -3 && k <= 4) return tick_label(std::pow(10.0, k), std::pow(10.0, k));
  return "1e" + std::to_string(k);
}

// Fits the axis to `values` (already filtered to valid ones) unless `fixed` gives the range.
Axis make_axis(bool log, bool fixed, const double lim[2], const std::vector<double>& values) {
  Axis a;
  a.log = log;
  double lo = log ? 1 : 0, hi = log ? 10 : 1;
  if (fixed) {
    lo = lim[0], hi = lim[1];
  } else if (!values.empty()) {
    auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    lo = *mn, hi = *mx;
  }
  if (log) {
    int klo = int(std::floor(std::log10(lo) + 1e-9)), khi = int(std::ceil(std::log10(hi) - 1e-9));
    if (khi <= klo) khi = klo + 1;
    if (!fixed) lo = std::pow(10.0, klo), hi = std::pow(10.0, khi);
    const int stride = std::max(1, (khi - klo + 7) / 8);  // at most ~8 labelled decades
    for (int k = klo; k <= khi; ++k) {
      const double d = std::pow(10.0, k);
      if ((k - klo) % stride == 0) {
        a.ticks.push_back(d);
        a.labels.push_back(decade_label(k));
      }
      if (khi - klo <= 6)
        for (int m = 2; m <= 9; ++m) a.minor.push_back(m * d);
    }
  } else {
    if (hi == lo) {
      const double pad = lo == 0 ? 1 : 0.1 * std::abs(lo);
      lo -= pad, hi += pad;
    }
    a.ticks = nice_ticks(lo, hi);
    const double step = a.ticks.size() > 1 ? a.ticks[1] - a.ticks[0] : 1;
    if (!fixed) lo = a.ticks.front(), hi = a.ticks.back();
    for (double v : a.ticks) a.labels.push_back(tick_label(v, step));
  }
  a.lo = lo, a.hi = hi;
  // Keep only the ticks inside a fixed range.
  std::vector<double> ticks;
  std::vector<std::string> labels;
  for (size_t i = 0; i < a.ticks.size(); ++i)
    if (a.inside(a.ticks[i])) ticks.push_back(a.ticks[i]), labels.push_back(a.labels[i]);
  a.ticks = std::move(ticks), a.labels = std::move(labels);
  std::erase_if(a.minor, [&](double v) { return !a.inside(v); });
  return a;
}

}  // namespace

std::vector<double> nice_ticks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi))
    throw Error("plot::nice_ticks: the range must be finite, got [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "]");
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) return {lo};
  const double raw = (hi - lo) / std::max(1, target - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double r = raw / mag;
  const double nice = r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10, step = nice * mag;
  const double first = std::floor(lo / step + 1e-9), last = std::ceil(hi / step - 1e-9);
  std::vector<double> ticks;
  // Counted in integers: when the range is a few ulps of huge values, first + 1 == first in
  // double and a floating-point loop would never end. A range that wide has ~target ticks.
  const int64_t count = std::clamp<int64_t>(int64_t(last - first), 0, 4 * int64_t(target) + 4);
  for (int64_t i = 0; i <= count; ++i) {
    const double k = first + double(i);
    // k * 2 * 0.1 is 0.6000000000000001; dividing by 10 gives 0.6, so the labels stay short.
    const double v = mag < 1 ? k * nice / std::round(1 / mag) : k * nice * mag;
    ticks.push_back(std::abs(v) < 1e-12 * step ? 0.0 : v);  // no "-0" from rounding
  }
  return ticks;
}

std::string tick_label(double value, double step) {
  if (value == 0) return "0";
  step = std::abs(step);
  char buf[32];
  if (step >= 1e-4 && std::abs(value) < 1e7) {
    int decimals = 0;  // the fewest decimals that write the step exactly
    while (decimals < 6) {
      const double scaled = step * std::pow(10.0, decimals);
      if (std::abs(scaled - std::round(scaled)) < 1e-6 * scaled) break;
      ++decimals;
    }
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.3g", value);  // "2.5e-05" -> "2.5e-5"
  std::string s = buf;
  const auto e = s.find('e');
  if (e != std::string::npos) {
    std::string mant = s.substr(0, e), ex = s.substr(e + 1);
    const bool neg = ex[0] == '-';
    ex = ex.substr(1);
    while (ex.size() > 1 && ex[0] == '0') ex.erase(0, 1);
    s = mant + "e" + (neg ? "-" : "") + ex;
  }
  return s;
}

Figure::Figure(std::string title, int width, int height)
    : title_(std::move(title)), width_(width), height_(height) {
  if (width < 100 || height < 100)
    throw Error("plot::Figure: size " + std::to_string(width) + "x" + std::to_string(height) +
                " is too small (at least 100x100 pixels)");
}

Figure& Figure::title(std::string text) { return title_ = std::move(text), *this; }
Figure& Figure::xlabel(std::string text) { return xlabel_ = std::move(text), *this; }
Figure& Figure::ylabel(std::string text) { return ylabel_ = std::move(text), *this; }
Figure& Figure::log_x(bool on) { return log_x_ = on, *this; }
Figure& Figure::log_y(bool on) { return log_y_ = on, *this; }

static void check_lim(const char* what, double lo, double hi) {
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo < hi))
    throw Error(std::string("plot::Figure::") + what + ": need finite lo < hi, got [" +
                std::to_string(lo) + ", " + std::to_string(hi) + "]");
}
Figure& Figure::xlim(double lo, double hi) {
  check_lim("xlim", lo, hi);
  fixed_x_ = true, xlim_[0] = lo, xlim_[1] = hi;
  return *this;
}
Figure& Figure::ylim(double lo, double hi) {
  check_lim("ylim", lo, hi);
  fixed_y_ = true, ylim_[0] = lo, ylim_[1] = hi;
  return *this;
}

std::string palette(size_t i) { return kPalette[i % std::size(kPalette)]; }
std::string Figure::next_color() { return palette(colors_used_++); }

static void check_lengths(const char* what, const std::string& name, size_t nx, size_t ny) {
  if (nx != ny)
    throw Error(std::string("plot::Figure::") + what + ": series '" + name + "' has " +
                std::to_string(nx) + " x values but " + std::to_string(ny) + " y values");
}

Figure& Figure::add_line(std::string name, std::vector<double> xs, std::vector<double> ys,
                         LineStyle style) {
  check_lengths("add_line", name, xs.size(), ys.size());
  if (style.color().empty()) style.color(next_color());
  series_.push_back({std::move(name), std::move(xs), std::move(ys), false, style, {}});
  return *this;
}

Figure& Figure::add_curve(std::string name, std::vector<double> ys, LineStyle style) {
  std::vector<double> xs(ys.size());
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = double(i + 1);
  return add_line(std::move(name), std::move(xs), std::move(ys), std::move(style));
}

Figure& Figure::add_scatter(std::string name, std::vector<double> xs, std::vector<double> ys,
                            ScatterStyle style) {
  check_lengths("add_scatter", name, xs.size(), ys.size());
  if (style.color().empty()) style.color(next_color());
  series_.push_back({std::move(name), std::move(xs), std::move(ys), true, {}, style});
  return *this;
}

Figure& Figure::add_vline(double x, std::string label) {
  vlines_.push_back({x, std::move(label)});
  return *this;
}

std::string Figure::svg() const {
  // Axis ranges from every plottable point (and the vertical lines' positions).
  Axis probe_x, probe_y;
  probe_x.log = log_x_, probe_y.log = log_y_;
  std::vector<double> xv, yv;
  for (const auto& s : series_)
    for (size_t i = 0; i < s.xs.size(); ++i)
      if (probe_x.valid(s.xs[i]) && probe_y.valid(s.ys[i]))
        xv.push_back(s.xs[i]), yv.push_back(s.ys[i]);
  for (const auto& v : vlines_)
    if (probe_x.valid(v.x)) xv.push_back(v.x);
  Axis ax = make_axis(log_x_, fixed_x_, xlim_, xv);
  Axis ay = make_axis(log_y_, fixed_y_, ylim_, yv);

  size_t ylabel_chars = 1;
  for (const auto& l : ay.labels) ylabel_chars = std::max(ylabel_chars, l.size());
  const double left = (ylabel_.empty() ? 12 : 34) + kCharWidth * double(ylabel_chars) + 8;
  const double right = 24, top = title_.empty() ? 16 : 40, bottom = xlabel_.empty() ? 34 : 54;
  const double x0 = left, x1 = width_ - right, y0 = top, y1 = height_ - bottom;
  ax.p0 = x0, ax.p1 = x1, ay.p0 = y1, ay.p1 = y0;

  std::ostringstream o;
  std::vector<std::pair<double, double>> drawn;  // pixel positions, to place the legend
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width_ << "\" height=\"" << height_
    << "\" viewBox=\"0 0 " << width_ << " " << height_
    << "\" font-family=\"DejaVu Sans, Arial, Helvetica, sans-serif\" font-size=\"12\">\n";
  o << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  o << "<defs><clipPath id=\"plot-area\"><rect x=\"" << num(x0) << "\" y=\"" << num(y0)
    << "\" width=\"" << num(x1 - x0) << "\" height=\"" << num(y1 - y0)
    << "\"/></clipPath></defs>\n";
  if (!title_.empty())
    o << "<text class=\"title\" x=\"" << num((x0 + x1) / 2) << "\" y=\"24\" text-anchor=\"middle\" "
      << "font-size=\"15\" font-weight=\"bold\">" << escape(title_) << "</text>\n";

  // Grid, ticks and tick labels.
  o << "<g stroke=\"#e6e6e6\" stroke-width=\"1\">\n";
  for (double v : ax.minor)
    o << "<line class=\"minor\" x1=\"" << num(ax.px(v)) << "\" x2=\"" << num(ax.px(v)) << "\" y1=\""
      << num(y0) << "\" y2=\"" << num(y1) << "\" stroke=\"#f3f3f3\"/>\n";
  for (double v : ay.minor)
    o << "<line class=\"minor\" x1=\"" << num(x0) << "\" x2=\"" << num(x1) << "\" y1=\""
      << num(ay.px(v)) << "\" y2=\"" << num(ay.px(v)) << "\" stroke=\"#f3f3f3\"/>\n";
  for (double v : ax.ticks)
    o << "<line x1=\"" << num(ax.px(v)) << "\" x2=\"" << num(ax.px(v)) << "\" y1=\"" << num(y0)
      << "\" y2=\"" << num(y1) << "\"/>\n";
  for (double v : ay.ticks)
    o << "<line x1=\"" << num(x0) << "\" x2=\"" << num(x1) << "\" y1=\"" << num(ay.px(v))
      << "\" y2=\"" << num(ay.px(v)) << "\"/>\n";
  o << "</g>\n";
  for (size_t i = 0; i < ax.ticks.size(); ++i)
    o << "<text class=\"tick xtick\" x=\"" << num(ax.px(ax.ticks[i])) << "\" y=\"" << num(y1 + 18)
      << "\" text-anchor=\"middle\">" << escape(ax.labels[i]) << "</text>\n";
  for (size_t i = 0; i < ay.ticks.size(); ++i)
    o << "<text class=\"tick ytick\" x=\"" << num(x0 - 6) << "\" y=\""
      << num(ay.px(ay.ticks[i]) + 4) << "\" text-anchor=\"end\">" << escape(ay.labels[i])
      << "</text>\n";
  o << "<rect x=\"" << num(x0) << "\" y=\"" << num(y0) << "\" width=\"" << num(x1 - x0)
    << "\" height=\"" << num(y1 - y0) << "\" fill=\"none\" stroke=\"#333\"/>\n";
  if (!xlabel_.empty())
    o << "<text class=\"xlabel\" x=\"" << num((x0 + x1) / 2) << "\" y=\"" << num(height_ - 12.0)
      << "\" text-anchor=\"middle\" font-size=\"13\">" << escape(xlabel_) << "</text>\n";
  if (!ylabel_.empty())
    o << "<text class=\"ylabel\" transform=\"translate(16," << num((y0 + y1) / 2)
      << ") rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">" << escape(ylabel_)
      << "</text>\n";

  // Data, clipped to the plot area. A line breaks wherever a point cannot be drawn.
  o << "<g clip-path=\"url(#plot-area)\">\n";
  for (const auto& s : series_) {
    o << "<g class=\"series\" data-name=\"" << escape(s.name) << "\">\n";
    std::vector<std::pair<double, double>> run;
    auto flush = [&] {
      if (run.size() == 1)  // a lone point would be invisible as a polyline
        o << "<circle class=\"dot\" cx=\"" << num(run[0].first) << "\" cy=\"" << num(run[0].second)
          << "\" r=\"" << num(s.line.width()) << "\" fill=\"" << s.line.color() << "\"/>\n";
      if (run.size() >= 2) {
        o << "<polyline class=\"line\" fill=\"none\" stroke=\"" << s.line.color()
          << "\" stroke-width=\"" << num(s.line.width()) << "\" stroke-linejoin=\"round\""
          << (s.line.dashed() ? " stroke-dasharray=\"6 4\"" : "") << " points=\"";
        for (size_t i = 0; i < run.size(); ++i)
          o << (i ? " " : "") << num(run[i].first) << "," << num(run[i].second);
        o << "\"/>\n";
      }
      run.clear();
    };
    for (size_t i = 0; i < s.xs.size(); ++i) {
      const bool ok = ax.valid(s.xs[i]) && ay.valid(s.ys[i]);
      if (!ok) {
        if (!s.scatter) flush();
        continue;
      }
      const double px = ax.px(s.xs[i]), py = ay.px(s.ys[i]);
      if (!(s.scatter && s.points.cell_width() > 0)) drawn.emplace_back(px, py);
      if (s.scatter) {
        const auto& st = s.points;
        const std::string opacity =
            st.opacity() < 1 ? " fill-opacity=\"" + num(st.opacity()) + "\"" : "";
        if (st.cell_width() > 0 && st.cell_height() > 0) {
          // Half a pixel of overlap hides the hairline seams anti-aliasing leaves between cells.
          const double xa = ax.px(s.xs[i] - st.cell_width() / 2),
                       xb = ax.px(s.xs[i] + st.cell_width() / 2);
          const double ya = ay.px(s.ys[i] + st.cell_height() / 2),
                       yb = ay.px(s.ys[i] - st.cell_height() / 2);
          o << "<rect class=\"cell\" x=\"" << num(std::min(xa, xb) - 0.25) << "\" y=\""
            << num(std::min(ya, yb) - 0.25) << "\" width=\"" << num(std::abs(xb - xa) + 0.5)
            << "\" height=\"" << num(std::abs(yb - ya) + 0.5) << "\" fill=\"" << st.color() << "\""
            << opacity << "/>\n";
        } else if (st.marker() == Marker::Square)
          o << "<rect class=\"point\" x=\"" << num(px - st.size()) << "\" y=\""
            << num(py - st.size()) << "\" width=\"" << num(2 * st.size()) << "\" height=\""
            << num(2 * st.size()) << "\" fill=\"" << st.color() << "\"" << opacity << "/>\n";
        else
          o << "<circle class=\"point\" cx=\"" << num(px) << "\" cy=\"" << num(py) << "\" r=\""
            << num(st.size()) << "\" fill=\"" << st.color() << "\"" << opacity
            << " stroke=\"white\" stroke-width=\"0.5\"/>\n";
      } else {
        run.emplace_back(px, py);
        if (s.line.markers())
          o << "<circle class=\"marker\" cx=\"" << num(px) << "\" cy=\"" << num(py)
            << "\" r=\"3\" fill=\"" << s.line.color() << "\"/>\n";
      }
    }
    flush();
    o << "</g>\n";
  }
  for (const auto& v : vlines_) {
    if (!ax.valid(v.x) || !ax.inside(v.x)) continue;
    const double px = ax.px(v.x);
    o << "<line class=\"vline\" x1=\"" << num(px) << "\" x2=\"" << num(px) << "\" y1=\"" << num(y0)
      << "\" y2=\"" << num(y1)
      << "\" stroke=\"#444\" stroke-width=\"1.2\" stroke-dasharray=\"5 4\"/>\n";
    // The label sits right of the line, or left of it near the right edge.
    const bool flip = px + 8 + kCharWidth * double(v.label.size()) > x1;
    o << "<text class=\"vline-label\" x=\"" << num(flip ? px - 4 : px + 4) << "\" y=\""
      << num(y0 + 14) << "\" text-anchor=\"" << (flip ? "end" : "start") << "\" fill=\"#444\">"
      << escape(v.label) << "</text>\n";
  }
  o << "</g>\n";

  // Legend: in the corner of the plot area that hides the fewest points and vertical lines
  // (lines sample densely enough for this count to follow the curves), top right on ties.
  std::vector<const Series*> shown;
  for (const auto& s : series_)
    if (!s.scatter || s.points.legend()) shown.push_back(&s);
  if (!shown.empty()) {
    size_t chars = 1;
    for (const auto* s : shown) chars = std::max(chars, s->name.size());
    const double w = 40 + kCharWidth * double(chars), h = 8 + 18.0 * double(shown.size());
    const double top = y0 + (vlines_.empty() ? 8 : 22), bottom = y1 - h - 8;
    const double corners[4][2] = {
        {x1 - w - 8, top}, {x0 + 8, top}, {x1 - w - 8, bottom}, {x0 + 8, bottom}};
    size_t best = 0, best_hidden = SIZE_MAX;
    for (size_t k = 0; k < 4; ++k) {
      const double cx = corners[k][0], cy = corners[k][1];
      size_t hidden = 0;
      for (const auto& [px, py] : drawn)
        hidden += px >= cx && px <= cx + w && py >= cy && py <= cy + h;
      for (const auto& v : vlines_)
        if (ax.valid(v.x) && ax.px(v.x) >= cx && ax.px(v.x) <= cx + w)
          hidden += drawn.size() / 4 + 1;
      if (hidden < best_hidden) best = k, best_hidden = hidden;
    }
    const double lx = corners[best][0], ly = corners[best][1];
    o << "<g class=\"legend-box\"><rect x=\"" << num(lx) << "\" y=\"" << num(ly) << "\" width=\""
      << num(w) << "\" height=\"" << num(h)
      << "\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\"/>\n";
    for (size_t i = 0; i < shown.size(); ++i) {
      const Series& s = *shown[i];
      const double cy = ly + 13 + 18.0 * double(i);
      if (s.scatter)
        o << "<circle cx=\"" << num(lx + 16) << "\" cy=\"" << num(cy) << "\" r=\"4\" fill=\""
          << s.points.color() << "\"/>\n";
      else
        o << "<line x1=\"" << num(lx + 6) << "\" x2=\"" << num(lx + 26) << "\" y1=\"" << num(cy)
          << "\" y2=\"" << num(cy) << "\" stroke=\"" << s.line.color() << "\" stroke-width=\""
          << num(s.line.width()) << "\"" << (s.line.dashed() ? " stroke-dasharray=\"6 4\"" : "")
          << "/>\n";
      o << "<text class=\"legend\" x=\"" << num(lx + 32) << "\" y=\"" << num(cy + 4) << "\">"
        << escape(s.name) << "</text>\n";
    }
    o << "</g>\n";
  }
  o << "</svg>\n";
  return o.str();
}

void Figure::save(const std::string& path) const {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw Error("plot::Figure::save: cannot open '" + path + "' for writing");
  out << svg();
  out.close();
  if (!out) throw Error("plot::Figure::save: writing '" + path + "' failed");
}

}  // namespace tg::plot
