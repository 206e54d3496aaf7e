// tg::plot: line and scatter plots written as standalone SVG files, with no dependency.
//
// Enough for training curves and small 2-D pictures, viewable in any browser:
//
//   tg::plot::Figure fig("Training loss");
//   fig.xlabel("epoch").ylabel("loss").log_y();
//   fig.add_line("train", epochs, train_loss);             // colours are assigned in turn
//   fig.add_line("validation", epochs, val_loss, tg::plot::LineStyle().markers(true));
//   fig.add_vline(best_epoch, "best");                     // a dashed marker with a label
//   fig.save("loss.svg");                                  // throws tg::Error if it cannot
//
// Points whose x or y is NaN or infinite (or not positive on a log axis) are skipped and break
// a line into pieces, as in matplotlib. Linear axes get "nice" ticks (1, 2 or 5 times a power of
// ten); log axes get one tick per decade. Each element carries a class attribute ("line",
// "point", "legend", "tick", "xlabel", ...), so tests and scripts can read a figure back.
#pragma once

#include <string>
#include <vector>

#include "../autograd/core.hpp"

namespace tg::plot {

enum class Marker { Circle, Square };

// Styles use libtorch's chained-setter options: `LineStyle().markers(true).dashed(true)`.
struct LineStyle {
  TG_ARG(std::string, color);     // any SVG colour; empty = the next colour of the palette
  TG_ARG(bool, markers) = false;  // a dot on every point
  TG_ARG(bool, dashed) = false;
  TG_ARG(double, width) = 2.0;  // stroke width in pixels
};

struct ScatterStyle {
  TG_ARG(std::string, color);  // empty = the next colour of the palette
  TG_ARG(Marker, marker) = Marker::Circle;
  TG_ARG(double, size) = 3.5;     // radius of a circle, half the side of a square, in pixels
  TG_ARG(double, opacity) = 1.0;  // < 1 lets overlapping points show through
  TG_ARG(bool, legend) = true;    // false keeps a background layer (a class map) out of the legend
  // With both > 0, each point is instead a rectangle of this size in data units centred on it:
  // a grid of such cells paints regions (a classifier's decision regions, a heat map).
  TG_ARG(double, cell_width) = 0;
  TG_ARG(double, cell_height) = 0;
};

// Nice tick positions covering [lo, hi]: about `target` ticks at multiples of 1, 2 or 5 times a
// power of ten. The first tick is <= lo and the last >= hi.
std::vector<double> nice_ticks(double lo, double hi, int target = 6);
// A tick label with as many decimals as the tick spacing needs ("0.25", "1500", "2e-05").
std::string tick_label(double value, double step);

// The i-th colour of the automatic palette (Tableau 10, cycling), to match series by hand.
std::string palette(size_t i);

class Figure {
 public:
  explicit Figure(std::string title = "", int width = 720, int height = 450);

  Figure& title(std::string text);
  Figure& xlabel(std::string text);
  Figure& ylabel(std::string text);
  Figure& log_x(bool on = true);
  Figure& log_y(bool on = true);
  // Fixes an axis range instead of fitting the data (points outside are clipped).
  Figure& xlim(double lo, double hi);
  Figure& ylim(double lo, double hi);

  // xs and ys must have the same length (tg::Error otherwise); an empty series only shows in
  // the legend. add_curve plots ys against 1, 2, ..., n (epochs).
  Figure& add_line(std::string name, std::vector<double> xs, std::vector<double> ys,
                   LineStyle style = {});
  Figure& add_curve(std::string name, std::vector<double> ys, LineStyle style = {});
  Figure& add_scatter(std::string name, std::vector<double> xs, std::vector<double> ys,
                      ScatterStyle style = {});
  // A dashed vertical line across the plot with its label at the top.
  Figure& add_vline(double x, std::string label);

  std::string svg() const;
  void save(const std::string& path) const;

 private:
  struct Series {
    std::string name;
    std::vector<double> xs, ys;
    bool scatter;
    LineStyle line;
    ScatterStyle points;
  };
  struct VLine {
    double x;
    std::string label;
  };
  std::string next_color();

  std::string title_, xlabel_, ylabel_;
  int width_, height_;
  bool log_x_ = false, log_y_ = false;
  bool fixed_x_ = false, fixed_y_ = false;
  double xlim_[2] = {0, 1}, ylim_[2] = {0, 1};
  std::vector<Series> series_;
  std::vector<VLine> vlines_;
  size_t colors_used_ = 0;
};

}  // namespace tg::plot
