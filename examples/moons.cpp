// micrograd's demo (github.com/karpathy/micrograd, demo.ipynb) in libtorch style: a binary
// classifier on scikit-learn's "two moons", here generated in C++ like make_moons(n_samples=100,
// noise=0.1). MLP 2-16-16-1 with ReLU and micrograd's initialisation (weights U(-1, 1), biases
// 0); SVM max-margin loss mean(relu(1 - y * score)) plus 1e-4 times the L2 penalty of every
// parameter; 100 full-batch SGD steps with the learning rate decaying as 1 - 0.9 k / 100.
// A second draw of 100 points serves as the validation set.
//
//   build/examples/moons [output directory, default .]
//     -> moons_loss.svg (hinge loss curves), moons_boundary.svg (the decision regions)
//
// It exits non-zero unless every training point ends up on the right side (100% accuracy).
#include <cmath>
#include <cstdio>
#include <string>
#include <tapegrad.hpp>
#include <vector>

namespace torch = tg;

// make_moons: an upper half circle (label -1) and a lower one shifted right (label +1), each
// point jittered by N(0, noise^2). Returns {x (n, 2), y (n, 1) in {-1, +1}}.
std::pair<torch::Tensor, torch::Tensor> make_moons(int64_t n, double noise) {
  const int64_t n_out = n / 2, n_in = n - n_out;
  auto t_out = torch::linspace(0, M_PI, n_out, torch::kDouble);
  auto t_in = torch::linspace(0, M_PI, n_in, torch::kDouble);
  auto outer = torch::stack({t_out.cos(), t_out.sin()}, 1);
  auto inner = torch::stack({1 - t_in.cos(), 1 - t_in.sin() - 0.5}, 1);
  auto x = torch::cat({outer, inner}, 0) + noise * torch::randn({n, 2}, torch::kDouble);
  auto y = torch::cat(
      {-torch::ones({n_out, 1}, torch::kDouble), torch::ones({n_in, 1}, torch::kDouble)});
  return {x, y};
}

std::vector<double> column(const torch::Tensor& t, int64_t j) {
  auto c = t.select(1, j).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

int main(int argc, char** argv) {
  const std::string out_dir = argc > 1 ? argv[1] : ".";
  torch::manual_seed(1337);
  auto [x, y] = make_moons(100, 0.1);
  auto [x_val, y_val] = make_moons(100, 0.1);

  torch::nn::Sequential model(torch::nn::Linear(2, 16), torch::nn::ReLU(),
                              torch::nn::Linear(16, 16), torch::nn::ReLU(),
                              torch::nn::Linear(16, 1));
  model->to(torch::kDouble);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : model->named_parameters()) {
      if (p.key().find("weight") != std::string::npos)
        torch::nn::init::uniform_(p.value(), -1.0, 1.0);
      else
        torch::nn::init::zeros_(p.value());
    }
  }
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(1.0));

  const double alpha = 1e-4;
  auto hinge = [](const torch::Tensor& score, const torch::Tensor& target) {
    return torch::relu(1 - target * score).mean();
  };
  tg::training::LossHistory history;
  const int steps = 100;
  for (int k = 0; k < steps; ++k) {
    auto score = model->forward(x);
    auto data_loss = hinge(score, y);
    auto loss = data_loss + alpha * tg::training::l2_penalty(model->parameters());
    const double lr = 1.0 - 0.9 * k / steps;
    for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();

    torch::NoGradGuard no_grad;
    const double acc = tg::metrics::accuracy(score.gt(0), y.gt(0), tg::metrics::Output::Labels);
    history.add(loss.item<double>(), hinge(model->forward(x_val), y_val).item<double>());
    if (k % 10 == 0 || k == steps - 1)
      std::printf("step %3d loss %.6f, accuracy %.0f%%\n", k, loss.item<double>(), acc * 100);
  }

  torch::NoGradGuard no_grad;
  const double train_acc =
      tg::metrics::accuracy(model->forward(x).gt(0), y.gt(0), tg::metrics::Output::Labels);
  const double val_acc =
      tg::metrics::accuracy(model->forward(x_val).gt(0), y_val.gt(0), tg::metrics::Output::Labels);
  std::printf("accuracy: train %.2f%%, validation (a new draw of 100 points) %.2f%%\n",
              train_acc * 100, val_acc * 100);

  history.save_svg(out_dir + "/moons_loss.svg",
                   "Two moons: SVM hinge loss (+ 1e-4 L2), MLP 2-16-16-1", true);

  // Decision regions: the sign of the score on a grid of cells, under the training points.
  const double step = 0.05;
  auto gx = torch::arange(-2.0, 3.0 + step / 2, step, torch::kDouble);
  auto gy = torch::arange(-1.5, 2.0 + step / 2, step, torch::kDouble);
  const int64_t nx = gx.size(0), ny = gy.size(0);
  auto grid = torch::stack({gx.reshape({1, nx}).expand({ny, nx}).reshape({-1}),
                            gy.reshape({ny, 1}).expand({ny, nx}).reshape({-1})},
                           1);
  auto positive = model->forward(grid).gt(0).reshape({-1});
  std::vector<double> cx[2], cy[2];
  const bool* pos = positive.data_ptr<bool>();
  auto gxs = column(grid, 0), gys = column(grid, 1);
  for (size_t i = 0; i < gxs.size(); ++i)
    cx[pos[i]].push_back(gxs[i]), cy[pos[i]].push_back(gys[i]);
  tg::plot::Figure fig("Two moons: decision regions of the MLP (training points)");
  fig.xlabel("x1").ylabel("x2").xlim(-2.05, 3.05).ylim(-1.55, 2.05);
  const char* light[2] = {"#c6dbef", "#fdd0a2"};
  for (int c = 0; c < 2; ++c)
    fig.add_scatter(
        "", cx[c], cy[c],
        tg::plot::ScatterStyle().color(light[c]).cell_width(step).cell_height(step).legend(false));
  auto xs = column(x, 0), ys = column(x, 1), labels = column(y, 0);
  std::vector<double> px[2], py[2];
  for (size_t i = 0; i < xs.size(); ++i)
    px[labels[i] > 0].push_back(xs[i]), py[labels[i] > 0].push_back(ys[i]);
  fig.add_scatter("y = -1", px[0], py[0],
                  tg::plot::ScatterStyle().color(tg::plot::palette(0)).size(4.5));
  fig.add_scatter("y = +1", px[1], py[1],
                  tg::plot::ScatterStyle().color(tg::plot::palette(1)).size(4.5));
  fig.save(out_dir + "/moons_boundary.svg");
  std::printf("wrote %s/moons_loss.svg and %s/moons_boundary.svg\n", out_dir.c_str(),
              out_dir.c_str());

  if (train_acc < 1.0) {
    std::printf("FAILED: training accuracy %.2f%% is below 100%%\n", train_acc * 100);
    return 1;
  }
  return 0;
}
