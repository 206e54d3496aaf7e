#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

// tg::plot: the SVG a Figure writes is read back: polylines and their points, labels, legend,
// ticks on linear and log axes, skipped NaN/inf points, empty series, errors.

using test::contains;
using test::error_of;
namespace plot = tg::plot;

namespace {

// Every match of `pattern`'s first group in `s`.
std::vector<std::string> all(const std::string& s, const std::string& pattern) {
  std::vector<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(s.begin(), s.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

// The number of x,y pairs in each <polyline class="line" ... points="...">.
std::vector<size_t> polyline_sizes(const std::string& svg) {
  std::vector<size_t> sizes;
  for (const auto& pts : all(svg, "<polyline class=\"line\"[^>]*points=\"([^\"]*)\"")) {
    std::istringstream in(pts);
    std::string pair;
    size_t n = 0;
    while (in >> pair) {
      CHECK(contains(pair, ","));
      ++n;
    }
    sizes.push_back(n);
  }
  return sizes;
}

std::vector<std::pair<double, double>> polyline_points(const std::string& svg, size_t which) {
  auto pts = all(svg, "<polyline class=\"line\"[^>]*points=\"([^\"]*)\"");
  REQUIRE(which < pts.size());
  std::vector<std::pair<double, double>> out;
  std::istringstream in(pts[which]);
  double x, y;
  char comma;
  while (in >> x >> comma >> y) out.emplace_back(x, y);
  return out;
}

}  // namespace

TEST_CASE("plot: nice ticks and their labels") {
  CHECK(plot::nice_ticks(0, 1) == std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0});
  CHECK(plot::nice_ticks(0.13, 0.92).front() == doctest::Approx(0.0));
  CHECK(plot::nice_ticks(0.13, 0.92).back() == doctest::Approx(1.0));
  auto t = plot::nice_ticks(-3.7, 12.2);  // step 5: -5, 0, 5, 10, 15
  CHECK(t == std::vector<double>{-5, 0, 5, 10, 15});
  auto big = plot::nice_ticks(0, 2933);  // step 1000
  CHECK(big.size() == 4);
  CHECK(big.back() == 3000);
  CHECK(plot::tick_label(0.6000000000000001, 0.2) == "0.6");
  CHECK(plot::tick_label(1500, 500) == "1500");
  CHECK(plot::tick_label(0.25, 0.05) == "0.25");
  CHECK(plot::tick_label(0, 0.2) == "0");
  CHECK(plot::tick_label(2.5e-5, 5e-6) == "2.5e-5");
  CHECK(plot::tick_label(3e8, 1e8) == "3e8");
  CHECK(contains(error_of([] { plot::nice_ticks(0, std::nan("")); }), "plot::nice_ticks"));
  // A range of a few ulps at 1e17 (where x + 1 == x in double) still ends, with few ticks.
  auto tiny = plot::nice_ticks(1e17, 1e17 + 64);
  CHECK(!tiny.empty());
  CHECK(tiny.size() <= 28);
  CHECK(tiny.front() <= 1e17);
}

TEST_CASE("plot: lines, labels and legend are in the SVG") {
  plot::Figure fig("Loss <curves>");
  fig.xlabel("epoch").ylabel("loss");
  fig.add_line("train", {1, 2, 3, 4, 5}, {1.0, 0.6, 0.4, 0.3, 0.25});
  fig.add_curve("validation", {1.0, 0.7, 0.55, 0.5, 0.52, 0.6}, plot::LineStyle().markers(true));
  fig.add_vline(4, "best");
  const std::string svg = fig.svg();

  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(contains(svg, "</svg>"));
  CHECK(polyline_sizes(svg) == std::vector<size_t>{5, 6});
  CHECK(all(svg, "<text class=\"title\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"Loss &lt;curves&gt;"});
  CHECK(all(svg, "<text class=\"xlabel\"[^>]*>([^<]*)<") == std::vector<std::string>{"epoch"});
  CHECK(all(svg, "<text class=\"ylabel\"[^>]*>([^<]*)<") == std::vector<std::string>{"loss"});
  CHECK(all(svg, "<text class=\"legend\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"train", "validation"});
  CHECK(all(svg, "<text class=\"vline-label\"[^>]*>([^<]*)<") == std::vector<std::string>{"best"});
  // Six markers on the validation line only; two auto colours that differ.
  CHECK(all(svg, "<circle class=\"(marker)\"").size() == 6);
  auto strokes = all(svg, "<polyline class=\"line\" fill=\"none\" stroke=\"([^\"]*)\"");
  REQUIRE(strokes.size() == 2);
  CHECK(strokes[0] != strokes[1]);
  // x from 1 to 6 spans the nice range [1, 6]: ticks 1..6, y ticks 0.2 .. 1.
  CHECK(all(svg, "<text class=\"tick xtick\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"1", "2", "3", "4", "5", "6"});
  CHECK(all(svg, "<text class=\"tick ytick\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"0.2", "0.4", "0.6", "0.8", "1.0"});
  // The first train point (1, 1.0) sits at the top-left corner of the plot area, the last
  // validation point lower and further right; SVG y grows downwards.
  auto train = polyline_points(svg, 0), val = polyline_points(svg, 1);
  CHECK(train[0].second < train[4].second);
  CHECK(val[5].first > train[4].first);
  CHECK(train[0].first == doctest::Approx(val[0].first));
}

TEST_CASE("plot: log axes have one tick per decade") {
  plot::Figure fig;
  fig.log_x().log_y();
  fig.add_line("power law", {1, 10, 100, 1000}, {2e-4, 2e-2, 2.0, 200});
  const std::string svg = fig.svg();
  CHECK(all(svg, "<text class=\"tick xtick\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"1", "10", "100", "1000"});
  CHECK(all(svg, "<text class=\"tick ytick\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"1e-4", "0.001", "0.01", "0.1", "1", "10", "100", "1000"});
  // A power law is a straight line on log-log axes: equal pixel steps.
  auto p = polyline_points(svg, 0);
  REQUIRE(p.size() == 4);
  const double dx = p[1].first - p[0].first, dy = p[1].second - p[0].second;
  for (size_t i = 2; i < 4; ++i) {
    CHECK(p[i].first - p[i - 1].first == doctest::Approx(dx).epsilon(1e-3));
    CHECK(p[i].second - p[i - 1].second == doctest::Approx(dy).epsilon(1e-3));
  }
  // Minor grid lines at 2..9 times each decade, without labels: 3 decades on x; none on y,
  // which spans 7 decades (more than 6 would be a grey wash).
  CHECK(all(svg, "<line class=\"(minor)\"").size() == 3 * 8);
}

TEST_CASE("plot: NaN, inf and non-positive points on a log axis break the line") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  plot::Figure fig;
  fig.add_line("gappy", {1, 2, 3, 4, 5, 6, 7, 8}, {1, 2, nan, 4, 5, 6, inf, 8});
  auto svg = fig.svg();
  CHECK(polyline_sizes(svg) == std::vector<size_t>{2, 3});  // 8 alone becomes a dot
  CHECK(all(svg, "<circle class=\"(dot)\"").size() == 1);
  CHECK(!contains(svg, "nan"));
  CHECK(!contains(svg, "inf"));

  plot::Figure logfig;
  logfig.log_y().add_line("loss", {1, 2, 3, 4}, {0.5, 0.0, -1.0, 0.1});
  svg = logfig.svg();
  CHECK(polyline_sizes(svg).empty());  // two lone points
  CHECK(all(svg, "<circle class=\"(dot)\"").size() == 2);
  CHECK(all(svg, "<text class=\"tick ytick\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"0.1", "1"});
}

TEST_CASE("plot: empty series and empty figures still give a valid picture") {
  plot::Figure fig("nothing yet");
  fig.add_line("empty", {}, {});
  fig.add_scatter("also empty", {}, {});
  auto svg = fig.svg();
  CHECK(polyline_sizes(svg).empty());
  CHECK(all(svg, "<text class=\"legend\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"empty", "also empty"});
  CHECK(all(svg, "<text class=\"tick xtick\"[^>]*>([^<]*)<").size() == 6);  // [0, 1] by 0.2
  CHECK(contains(plot::Figure().svg(), "</svg>"));
  // One point only: the axis range is widened around it.
  plot::Figure one;
  one.add_line("one", {3}, {7});
  svg = one.svg();
  CHECK(all(svg, "<circle class=\"(dot)\"").size() == 1);
  CHECK(!all(svg, "<text class=\"tick ytick\"[^>]*>([^<]*)<").empty());
}

TEST_CASE("plot: scatter series, fixed limits and the legend switch") {
  plot::Figure fig;
  fig.xlim(-1, 1).ylim(-1, 1);
  fig.add_scatter(
      "grid", {-0.5, 0.5}, {0, 0},
      plot::ScatterStyle().color("#abc").marker(plot::Marker::Square).size(5).legend(false));
  fig.add_scatter("class 0", {-0.5, 0.0, 0.5, 3.0}, {0.1, 0.2, 0.3, 0.0});
  auto svg = fig.svg();
  CHECK(all(svg, "<rect class=\"point\"[^>]*fill=\"(#abc)\"").size() == 2);
  CHECK(all(svg, "<circle class=\"(point)\"").size() == 4);  // 3.0 is clipped, not dropped
  CHECK(all(svg, "<text class=\"legend\"[^>]*>([^<]*)<") == std::vector<std::string>{"class 0"});
  CHECK(all(svg, "<text class=\"tick xtick\"[^>]*>([^<]*)<") ==
        std::vector<std::string>{"-1.0", "-0.5", "0", "0.5", "1.0"});
  CHECK(contains(svg, "clip-path=\"url(#plot-area)\""));

  // Cells sized in data units tile the plane: 0.5 wide is a quarter of the 2-unit axis.
  plot::Figure regions;
  regions.xlim(-1, 1).ylim(-1, 1);
  regions.add_scatter("", {-0.75, -0.25, 0.25, 0.75}, {0, 0, 0, 0},
                      plot::ScatterStyle().cell_width(0.5).cell_height(0.5).legend(false));
  svg = regions.svg();
  auto widths = all(svg, "<rect class=\"cell\"[^>]*width=\"([0-9.]+)\"");
  auto xs = all(svg, "<rect class=\"cell\" x=\"([0-9.]+)\"");
  REQUIRE(widths.size() == 4);
  REQUIRE(xs.size() == 4);
  const double w = std::stod(widths[0]) - 0.5;  // minus the half-pixel overlap
  CHECK(std::stod(xs[1]) - std::stod(xs[0]) == doctest::Approx(w).epsilon(1e-3));
  CHECK(std::stod(xs[3]) - std::stod(xs[0]) == doctest::Approx(3 * w).epsilon(1e-3));
}

TEST_CASE("plot: save writes the file; bad input throws tg::Error") {
  plot::Figure fig("saved");
  fig.add_curve("y", {1, 2, 3});
  const std::string path = "tapegrad_test_plot.svg";
  fig.save(path);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == fig.svg());
  std::remove(path.c_str());

  CHECK(contains(error_of([&] { fig.save("/nonexistent-dir/x.svg"); }), "/nonexistent-dir/x.svg"));
  CHECK(contains(error_of([&] { fig.add_line("bad", {1, 2}, {1}); }), "'bad' has 2 x values"));
  CHECK(contains(error_of([&] { fig.xlim(1, 1); }), "xlim"));
  CHECK(contains(error_of([] { plot::Figure("tiny", 10, 10); }), "too small"));
}
