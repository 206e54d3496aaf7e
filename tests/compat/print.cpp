// What `std::cout << x` prints, compared byte for byte with libtorch 1.13 (compare_text): tensors
// of every dtype and rank, empty, wide (split into "Columns a to b"), with a common scale factor,
// in scientific notation, nan/inf, -0, slices; Scalars, sizes, TensorOptions, dtypes; and every
// nn module's printout, alone and nested. Only deterministic values (no RNG).
#include <cmath>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <type_traits>

#include "shim.hpp"

namespace nn = torch::nn;
namespace F = torch::nn::functional;
using torch::Tensor;

static void show(const std::string& title, const Tensor& t) {
  std::cout << "== " << title << "\n" << t << "\n";
}
template <class T>
static void show_any(const std::string& title, const T& v) {
  std::cout << "== " << title << "\n" << v << "\n";
}

static Tensor lit(std::vector<double> v) {
  return torch::tensor(v, torch::kDouble).to(torch::kFloat);
}

static void tensors() {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  // dtypes
  show("float 1-d arange", torch::arange(5, torch::kFloat));
  show("float 1-d det", det({4}).to(torch::kFloat));
  show("float 2x3 det", det({2, 3}).to(torch::kFloat));
  show("double 2x3 det", det({2, 3}, 3.0));
  show("long 2x3", torch::arange(-3, 3, torch::kLong).reshape({2, 3}));
  show("long big", torch::tensor(std::vector<int64_t>{1, -20000000000LL, 7}));
  show("long 1-d", torch::arange(12, torch::kLong));
  show("bool 2x3", det({2, 3}).gt(0));
  show("bool 1-d", torch::arange(3, torch::kLong).eq(1));
  // 0-d
  show("0-d float", torch::tensor(3.5));
  show("0-d float third", torch::tensor(1.0 / 3.0, torch::kDouble).to(torch::kFloat));
  show("0-d double", torch::tensor(2.0 / 3.0, torch::kDouble));
  show("0-d long", torch::tensor(std::vector<int64_t>{42}).reshape({}));
  show("0-d bool", torch::tensor(std::vector<int64_t>{1}).reshape({}).eq(1));
  show("0-d big", torch::tensor(123456789.0, torch::kDouble));
  show("0-d sum", det({3, 4}).sum());
  // 3-d and 4-d
  show("3-d 2x2x3", det({2, 2, 3}).to(torch::kFloat));
  show("3-d long", torch::arange(24, torch::kLong).reshape({2, 3, 4}));
  show("4-d 2x2x2x2", det({2, 2, 2, 2}, 2.0).to(torch::kFloat));
  show("4-d 1x1x1x1", torch::ones({1, 1, 1, 1}));
  // empty
  show("empty {0}", torch::zeros({0}));
  show("empty {2,0}", torch::zeros({2, 0}));
  show("empty {0,3}", torch::zeros({0, 3}));
  show("empty {2,0,3}", torch::zeros({2, 0, 3}));
  show("empty {0} long", torch::zeros({0}, torch::kLong));
  show("empty {1,0,2,2} double", torch::zeros({1, 0, 2, 2}, torch::kDouble));
  // wide: libtorch splits at 80 characters
  show("wide 3x20", det({3, 20}).to(torch::kFloat));
  show("wide 2x3x40", det({2, 3, 40}).to(torch::kFloat));
  show("wide long 2x30", torch::arange(60, torch::kLong).reshape({2, 30}));
  show("wide scaled 2x12", det({2, 12}, 1e6).to(torch::kFloat));
  show("wide sci 2x10",
       lit({1e-8, 1, 1e8, -2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18})
           .reshape({2, 10}));
  show("wide bool 2x45", det({2, 45}).gt(0));
  show("wide 1-d 30", det({30}).to(torch::kFloat));
  // magnitudes
  show("large 1e5", det({2, 3}, 1e5).to(torch::kFloat));
  show("large 1e6 double", det({2, 3}, 1e6));
  show("tiny 1e-5", det({2, 3}, 1e-5).to(torch::kFloat));
  show("tiny 1e-3 1-d", det({4}, 1e-3));
  show("mixed 1e-8..1e8", lit({1e-8, 1, 1e8, -3}));
  show("mixed 1e-120..1e120 double",
       torch::tensor(std::vector<double>{1e-120, 1, 1e120}, torch::kDouble));
  show("mixed 1e-120..1e5 double",
       torch::tensor(std::vector<double>{1e-120, 1, 1e5}, torch::kDouble));
  show("hundreds", det({2, 3}, 500.0).to(torch::kFloat));
  show("integral floats", lit({1, -2, 30, 400}));
  show("integral floats big", lit({1, 2e10, -3}));
  show("integral floats 1e9", lit({1, 1e9, 3}));
  show("integral 1234567", lit({1234567, 2}));
  show("mixed signs", lit({-1.5, 0.25, 3.75, -0.125}));
  show("negative first", lit({-100.5, 1.25}));
  show("negative later", lit({1.25, -100.5}));
  show("halves 2x2", lit({0.5, 1.5, 2.5, 3.5}).reshape({2, 2}));
  // nan / inf / -0
  show("nan inf", lit({nan, 1.5, inf, -inf}));
  show("nan integral", lit({nan, 2, -3}));
  show("all nan", lit({nan, nan}));
  show("all inf 2x2", lit({inf, -inf, inf, inf}).reshape({2, 2}));
  show("0-d nan", torch::tensor(nan));
  show("0-d -inf", torch::tensor(-inf));
  show("negative zero", lit({-0.0, 1.0}));
  show("negative zero frac", lit({-0.0, 0.5}));
  show("zeros 2x2", torch::zeros({2, 2}));
  show("0-d negative zero", torch::tensor(-0.0));
  // autograd
  show("requires_grad", det({2, 2}, 1.0, 0.0, true).to(torch::kFloat));
  show("requires_grad leaf", torch::ones({3}, torch::requires_grad()));
  show("grad_fn result", det({2, 2}, 1.0, 0.0, true) * 2);
  // views
  auto base = det({3, 4}).to(torch::kFloat);
  show("narrow cols 1..3", base.narrow(1, 1, 2));
  show("row 1", base.select(0, 1));
  show("transpose", base.t());
  show("element", base.select(0, 2).select(0, 3));
  // print() with a line width of its own
  std::cout << "== print linesize 40\n";
  torch::print(std::cout, det({2, 8}).to(torch::kFloat), 40);
  std::cout << "\n";
  // undefined
  show("undefined", Tensor());
  // the stream's own format state: 0-d tensors print with it, and it is restored afterwards
  {
    std::ostringstream s;
    s << std::setprecision(10) << torch::tensor(1.0 / 3.0, torch::kDouble) << " | " << 1.0 / 3.0;
    s << " | " << lit({0.5, 1.25}) << " | " << 2.0 / 3.0;
    std::cout << "== precision 10\n" << s.str() << "\n";
  }
}

static void values() {
  show_any("scalar double", torch::Scalar(1.5));
  show_any("scalar third", torch::Scalar(1.0 / 3.0));
  show_any("scalar tiny", torch::Scalar(1e-7));
  show_any("scalar big", torch::Scalar(1e20));
  show_any("scalar integral double", torch::Scalar(2.0));
  show_any("scalar int", torch::Scalar(3));
  show_any("scalar long", torch::Scalar(int64_t(-9000000000LL)));
  show_any("scalar bool", torch::Scalar(true));
  show_any("item float", torch::tensor(0.1).item());
  show_any("item long", torch::tensor(std::vector<int64_t>{7}).item());
  show_any("sizes 2x3", det({2, 3}).sizes());
  show_any("sizes 0-d", torch::tensor(1.0).sizes());
  show_any("sizes empty", torch::zeros({0, 4}).sizes());
  show_any("int vector", torch::IntArrayRef(std::vector<int64_t>{4, 5, 6}));
  show_any("dtype float", torch::kFloat);
  show_any("dtype double", torch::kDouble);
  show_any("dtype long", torch::kLong);
  show_any("dtype bool", torch::kBool);
  show_any("options default", torch::TensorOptions());
  show_any("options double", torch::TensorOptions(torch::kDouble));
  show_any("options dtype long", torch::dtype(torch::kLong));
  show_any("options requires_grad", torch::requires_grad());
  show_any("options double no grad", torch::dtype(torch::kDouble).requires_grad(false));
  show_any("options bool", torch::dtype(torch::kBool));
  show_any("options device", torch::TensorOptions().device(torch::kCPU));
  show_any("options device dtype", torch::device(torch::kCPU).dtype(torch::kInt));
  show_any("options layout", torch::TensorOptions().layout(torch::kStrided));
  show_any("tensor options", torch::ones({2}, torch::kDouble).options());
  std::cout << "== bool after options\n" << true << "\n";
  // Integer dtypes: their tensors, ScalarType names, Tensor::dtype() (a TypeMeta) names, options.
  for (auto t : {torch::kByte, torch::kChar, torch::kShort, torch::kInt, torch::kLong,
                 torch::kFloat, torch::kDouble, torch::kBool}) {
    auto x = torch::arange(0, 6).to(t).reshape({2, 3});
    std::cout << "== dtype " << t << "\n"
              << x << "\n"
              << x.dtype() << "\n"
              << torch::dtype(t) << "\n";
  }
  show_any("uint8 large", torch::tensor({0, 100, 255}, torch::kByte));
  show_any("int8 negative", torch::tensor({-128, 0, 127}, torch::kChar));
}

template <class M>
static void mod(const std::string& title, const M& m) {
  std::cout << "== " << title << "\n" << m << "\n";
}

static Tensor relu_fn(Tensor x) { return torch::relu(x); }

// User modules: libtorch prints the (demangled) class name, then the children, nested.
struct BlockImpl : nn::Module {
  BlockImpl() {
    body =
        register_module("body", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, 2, 3)),
                                               nn::BatchNorm2d(2), nn::ReLU(), nn::MaxPool2d(2)));
    heads = register_module("heads", nn::ModuleList(nn::Linear(2, 2), nn::Tanh()));
  }
  nn::Sequential body{nullptr};
  nn::ModuleList heads{nullptr};
};
TORCH_MODULE(Block);
struct NetImpl : nn::Module {
  NetImpl() {
    fc = register_module("fc", nn::Linear(3, 2));
    block = register_module("block", Block());
    lstm = register_module("lstm", nn::LSTM(2, 2));
    empty = register_module("empty", nn::Sequential());
  }
  nn::Linear fc{nullptr};
  Block block{nullptr};
  nn::LSTM lstm{nullptr};
  nn::Sequential empty{nullptr};
};
TORCH_MODULE(Net);

static void modules() {
  // Empty optionals of the option types (c10::optional in libtorch, std::optional in tapegrad).
  const std::decay_t<decltype(nn::EmbeddingOptions(1, 1).padding_idx())> no_index;
  const std::decay_t<decltype(nn::BatchNorm2dOptions(1).momentum())> no_momentum;
  mod("Linear", nn::Linear(10, 1));
  mod("Linear no bias", nn::Linear(nn::LinearOptions(3, 4).bias(false)));
  mod("Bilinear", nn::Bilinear(3, 2, 4));
  mod("Bilinear no bias", nn::Bilinear(nn::BilinearOptions(3, 2, 4).bias(false)));
  mod("Conv1d", nn::Conv1d(nn::Conv1dOptions(2, 4, 3)));
  mod("Conv1d options",
      nn::Conv1d(
          nn::Conv1dOptions(2, 4, 3).stride(2).padding(1).dilation(2).groups(2).bias(false)));
  mod("Conv2d", nn::Conv2d(nn::Conv2dOptions(3, 8, 3)));
  // (tapegrad pads with zeros only, so padding_mode stays at its default, which is not printed)
  mod("Conv2d options", nn::Conv2d(nn::Conv2dOptions(3, 6, {3, 5})
                                       .stride({1, 2})
                                       .padding({1, 2})
                                       .dilation({2, 1})
                                       .groups(3)
                                       .bias(false)));
  mod("Conv2d same", nn::Conv2d(nn::Conv2dOptions(3, 6, 3).padding(torch::kSame)));
  mod("Conv2d valid", nn::Conv2d(nn::Conv2dOptions(3, 6, 3).padding(torch::kValid)));
  mod("MaxPool2d", nn::MaxPool2d(nn::MaxPool2dOptions(2)));
  mod("MaxPool2d options",
      nn::MaxPool2d(
          nn::MaxPool2dOptions({3, 2}).stride({2, 1}).padding(1).dilation(2).ceil_mode(true)));
  mod("AvgPool2d", nn::AvgPool2d(nn::AvgPool2dOptions(2)));
  mod("AvgPool2d options", nn::AvgPool2d(nn::AvgPool2dOptions({3, 2})
                                             .stride(1)
                                             .padding(1)
                                             .ceil_mode(true)
                                             .count_include_pad(false)
                                             .divisor_override(3)));
  mod("AdaptiveAvgPool2d", nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions({4, 5})));
  mod("AdaptiveAvgPool2d none", nn::AdaptiveAvgPool2d(nn::AdaptiveAvgPool2dOptions({no_index, 2})));
  mod("BatchNorm1d", nn::BatchNorm1d(4));
  mod("BatchNorm1d options",
      nn::BatchNorm1d(
          nn::BatchNorm1dOptions(4).eps(1e-3).momentum(0.01).affine(false).track_running_stats(
              false)));
  mod("BatchNorm2d", nn::BatchNorm2d(8));
  mod("BatchNorm2d no momentum", nn::BatchNorm2d(nn::BatchNorm2dOptions(8).momentum(no_momentum)));
  mod("LayerNorm", nn::LayerNorm(nn::LayerNormOptions({4})));
  mod("LayerNorm options",
      nn::LayerNorm(nn::LayerNormOptions({2, 3}).eps(1e-6).elementwise_affine(false)));
  mod("Dropout", nn::Dropout());
  mod("Dropout options", nn::Dropout(nn::DropoutOptions(0.25).inplace(true)));
  mod("Embedding", nn::Embedding(10, 3));
  mod("Embedding options", nn::Embedding(nn::EmbeddingOptions(6, 3)
                                             .padding_idx(2)
                                             .max_norm(1.5)
                                             .norm_type(1.0)
                                             .scale_grad_by_freq(true)
                                             .sparse(true)));
  mod("RNN", nn::RNN(3, 4));
  mod("RNN options", nn::RNN(nn::RNNOptions(3, 4)
                                 .num_layers(2)
                                 .nonlinearity(torch::kReLU)
                                 .bias(false)
                                 .batch_first(true)
                                 .dropout(0.5)
                                 .bidirectional(true)));
  mod("LSTM", nn::LSTM(3, 4));
  mod("LSTM options",
      nn::LSTM(nn::LSTMOptions(3, 4).num_layers(3).batch_first(true).bidirectional(true)));
  mod("GRU", nn::GRU(3, 4));
  mod("GRU options", nn::GRU(nn::GRUOptions(3, 4).dropout(0.25).bias(false)));
  mod("ReLU", nn::ReLU());
  mod("ReLU inplace", nn::ReLU(nn::ReLUOptions(true)));
  mod("Sigmoid", nn::Sigmoid());
  mod("Tanh", nn::Tanh());
  mod("Softmax", nn::Softmax(1));
  mod("LogSoftmax", nn::LogSoftmax(-1));
  mod("LeakyReLU", nn::LeakyReLU());
  mod("LeakyReLU options", nn::LeakyReLU(nn::LeakyReLUOptions().negative_slope(0.2).inplace(true)));
  mod("ELU", nn::ELU());
  mod("ELU options", nn::ELU(nn::ELUOptions().alpha(0.5).inplace(true)));
  mod("GELU", nn::GELU());
  mod("GELU tanh", nn::GELU(nn::GELUOptions().approximate("tanh")));
  mod("SiLU", nn::SiLU());
  mod("Softplus", nn::Softplus());
  mod("Softplus options", nn::Softplus(nn::SoftplusOptions().beta(2).threshold(10)));
  mod("Identity", nn::Identity());
  mod("Flatten", nn::Flatten());
  mod("Flatten options", nn::Flatten(nn::FlattenOptions().start_dim(0).end_dim(2)));
  mod("Functional", nn::Functional(relu_fn));
  // losses
  mod("L1Loss", nn::L1Loss());
  mod("L1Loss sum", nn::L1Loss(torch::kSum));
  mod("MSELoss", nn::MSELoss());
  mod("HuberLoss", nn::HuberLoss());
  mod("HuberLoss delta", nn::HuberLoss(nn::HuberLossOptions().delta(0.5)));
  mod("SmoothL1Loss", nn::SmoothL1Loss());
  mod("SmoothL1Loss beta", nn::SmoothL1Loss(nn::SmoothL1LossOptions().beta(0.5)));
  mod("KLDivLoss", nn::KLDivLoss());
  mod("PoissonNLLLoss", nn::PoissonNLLLoss());
  mod("BCELoss", nn::BCELoss());
  mod("BCEWithLogitsLoss", nn::BCEWithLogitsLoss());
  mod("NLLLoss", nn::NLLLoss());
  mod("CrossEntropyLoss", nn::CrossEntropyLoss());
  mod("SoftMarginLoss", nn::SoftMarginLoss());
  mod("MultiLabelSoftMarginLoss", nn::MultiLabelSoftMarginLoss());
  mod("MultiLabelMarginLoss", nn::MultiLabelMarginLoss());
  mod("MultiMarginLoss", nn::MultiMarginLoss());
  mod("MultiMarginLoss options",
      nn::MultiMarginLoss(nn::MultiMarginLossOptions().p(2).margin(0.5)));
  mod("HingeEmbeddingLoss", nn::HingeEmbeddingLoss());
  mod("HingeEmbeddingLoss margin",
      nn::HingeEmbeddingLoss(nn::HingeEmbeddingLossOptions().margin(2)));
  mod("CosineEmbeddingLoss", nn::CosineEmbeddingLoss());
  mod("CosineEmbeddingLoss margin",
      nn::CosineEmbeddingLoss(nn::CosineEmbeddingLossOptions().margin(0.5)));
  mod("MarginRankingLoss", nn::MarginRankingLoss());
  mod("TripletMarginLoss", nn::TripletMarginLoss());
  mod("TripletMarginLoss options",
      nn::TripletMarginLoss(nn::TripletMarginLossOptions().margin(2).p(1).eps(1e-3).swap(true)));
  mod("TripletMarginWithDistanceLoss", nn::TripletMarginWithDistanceLoss());
  mod("TripletMarginWithDistanceLoss options",
      nn::TripletMarginWithDistanceLoss(
          nn::TripletMarginWithDistanceLossOptions().margin(0.5).swap(true)));
  mod("CTCLoss", nn::CTCLoss());
  // containers
  mod("Sequential", nn::Sequential(nn::Linear(4, 3), nn::ReLU(), nn::Dropout(0.2), nn::Linear(3, 1),
                                   nn::Sigmoid()));
  mod("Sequential named", nn::Sequential({{"fc", nn::Linear(2, 2)}, {"act", nn::Tanh()}}));
  mod("Sequential empty", nn::Sequential());
  nn::ModuleList list(nn::Linear(2, 3), nn::BatchNorm1d(3));
  mod("ModuleList", list);
  mod("ModuleList empty", nn::ModuleList());
  mod("Sequential mixed",
      nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, 2, 3)), nn::BatchNorm2d(2), nn::ReLU(),
                     nn::MaxPool2d(2), nn::Flatten(), nn::LSTM(4, 2), nn::Embedding(5, 2),
                     nn::CrossEntropyLoss()));
  mod("user module", Net());
  mod("user module deref", *Net());
}

int main() {
  tensors();
  values();
  modules();
}
