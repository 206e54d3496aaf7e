#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

// tg::data: read_csv (values, options, file:line errors), TableDataset, permutation,
// train_test_split, Standardizer and DataLoader (batches, shuffling, drop_last).

using test::contains;
using test::error_of;
using tg::Tensor;
namespace data = tg::data;

namespace {

std::vector<double> values(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  const double* p = d.data_ptr<double>();
  return std::vector<double>(p, p + d.numel());
}

// A file in the temp directory that is removed at the end of the test.
struct TempFile {
  std::string path;
  TempFile(const std::string& name, const std::string& text)
      : path((std::filesystem::temp_directory_path() / ("tapegrad_" + name)).string()) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("read_csv: values, header, delimiter, dtype, blank lines and CRLF") {
  TempFile f("ok.csv", "a,b,c\n1,2.5,-3\n\n4, 5e-1 ,6\r\n7,8,9\n");
  Tensor t = data::read_csv(f.path);
  CHECK(t.scalar_type() == tg::kFloat);
  CHECK(t.sizes() == tg::IntArrayRef{3, 3});
  CHECK(values(t) == std::vector<double>{1, 2.5, -3, 4, 0.5, 6, 7, 8, 9});
  CHECK(data::read_csv_header(f.path) == std::vector<std::string>{"a", "b", "c"});

  Tensor d = data::read_csv(f.path, data::CsvOptions().dtype(tg::kDouble));
  CHECK(d.scalar_type() == tg::kDouble);
  CHECK(d.data_ptr<double>()[4] == 0.5);

  TempFile g("semi.csv", "10;20\n30;40\n");
  Tensor l =
      data::read_csv(g.path, data::CsvOptions().header(false).delimiter(';').dtype(tg::kLong));
  CHECK(l.scalar_type() == tg::kLong);
  CHECK(l.data_ptr<int64_t>()[3] == 40);
  CHECK(l.sizes() == tg::IntArrayRef{2, 2});

  TempFile empty("empty.csv", "x,y\n");
  CHECK(data::read_csv(empty.path).sizes() == tg::IntArrayRef{0, 2});
}

TEST_CASE("read_csv: errors name the file and the line") {
  TempFile ragged("ragged.csv", "a,b,c\n1,2,3\n4,5\n");
  std::string e = error_of([&] { data::read_csv(ragged.path); });
  CHECK(contains(e, ragged.path + ":3: 2 fields, expected 3 (as on line 1)"));

  TempFile word("word.csv", "a,b\n1,2\n\n3,abc\n");
  e = error_of([&] { data::read_csv(word.path); });
  CHECK(contains(e, word.path + ":4: field 2 'abc' is not a number"));

  TempFile hole("hole.csv", "a,b\n1,\n");
  CHECK(contains(error_of([&] { data::read_csv(hole.path); }), ":2: field 2 is empty"));

  TempFile frac("frac.csv", "1,2.5\n");
  e = error_of(
      [&] { data::read_csv(frac.path, data::CsvOptions().header(false).dtype(tg::kLong)); });
  CHECK(contains(e, ":1: field 2 '2.5' is not a whole number"));

  CHECK(contains(error_of([] { data::read_csv("/no/such/file.csv"); }),
                 "cannot open '/no/such/file.csv'"));
  CHECK(contains(error_of([&] { data::read_csv(word.path, data::CsvOptions().dtype(tg::kBool)); }),
                 "dtype Bool"));
}

TEST_CASE("TableDataset: rows of every tensor, and shape errors") {
  Tensor x = tg::arange(12, tg::kDouble).reshape({6, 2});
  Tensor y = tg::arange(6, tg::kLong) * 10;
  data::TableDataset ds(x, y);
  CHECK(ds.rows() == 6);
  CHECK(ds.size().value() == 6u);
  CHECK(ds.num_tensors() == 2);
  auto rows = ds.select_rows(tg::tensor({4L, 1L}));
  CHECK(values(rows[0]) == std::vector<double>{8, 9, 2, 3});
  CHECK(values(rows[1]) == std::vector<double>{40, 10});
  auto one = ds.get(5);
  CHECK(values(one.data) == std::vector<double>{10, 11});
  CHECK(one.target.item<int64_t>() == 50);

  std::string e = error_of([&] { data::TableDataset(x, tg::zeros({5})); });
  CHECK(contains(e, "first dimension"));
  CHECK(contains(e, "[6, 2]"));
  CHECK(contains(e, "[5]"));
  CHECK(contains(error_of([&] { ds.get(6); }), "index 6 out of range (size 6)"));
  CHECK(contains(error_of([&] { ds.tensor(2); }), "index 2 out of range"));
}

TEST_CASE("permutation and train_test_split are reproducible from the seed") {
  Tensor p = data::permutation(50, 7);
  std::vector<double> v = values(p);
  CHECK(v == values(data::permutation(50, 7)));
  CHECK(v != values(data::permutation(50, 8)));
  std::vector<double> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i) CHECK(sorted[i] == double(i));
  CHECK(v != sorted);  // 1/50! chance of a false alarm

  // Row i of x is (i, i); y = 100 + i: the split must keep them paired.
  Tensor x = tg::arange(20, tg::kDouble).reshape({20, 1}).expand({20, 2}).clone();
  Tensor y = tg::arange(20, tg::kDouble) + 100;
  auto [train, test] = data::train_test_split({x, y}, 0.25, 3);
  CHECK(train.rows() == 15);
  CHECK(test.rows() == 5);
  std::set<double> seen;
  for (const data::TableDataset* part : {&train, &test}) {
    auto xs = values(part->tensor(0)), ys = values(part->tensor(1));
    for (int64_t i = 0; i < part->rows(); ++i) {
      CHECK(xs[size_t(2 * i)] == xs[size_t(2 * i + 1)]);
      CHECK(ys[size_t(i)] == xs[size_t(2 * i)] + 100);
      seen.insert(ys[size_t(i)]);
    }
  }
  CHECK(seen.size() == 20);  // disjoint and complete
  auto [train2, test2] = data::train_test_split({x, y}, 0.25, 3);
  CHECK(values(test2.tensor(1)) == values(test.tensor(1)));

  CHECK(contains(error_of([&] { data::train_test_split({x, y}, 1.0, 0); }), "test_fraction"));
  CHECK(contains(error_of([&] { data::train_test_split({x, y}, 0.01, 0); }), "non-empty"));
}

TEST_CASE("Standardizer: train statistics, transform, inverse, constant columns") {
  Tensor train = tg::tensor({{1.0, 10.0, 5.0}, {2.0, 10.0, 7.0}, {3.0, 10.0, 9.0}}, tg::kDouble);
  data::Standardizer s;
  CHECK(!s.fitted());
  CHECK(contains(error_of([&] { s.transform(train); }), "call fit() first"));
  s.fit(train);
  // Population std: sqrt(2/3) for 1,2,3 and sqrt(8/3) for 5,7,9; the constant column gets 1.
  CHECK(values(s.mean()) == std::vector<double>{2, 10, 7});
  auto sc = values(s.scale());
  CHECK(sc[0] == doctest::Approx(std::sqrt(2.0 / 3.0)).epsilon(1e-12));
  CHECK(sc[1] == 1.0);
  CHECK(sc[2] == doctest::Approx(std::sqrt(8.0 / 3.0)).epsilon(1e-12));
  auto z = values(s.transform(train));
  CHECK(z[0] == doctest::Approx(-std::sqrt(1.5)).epsilon(1e-12));
  CHECK(z[1] == 0.0);
  CHECK(z[8] == doctest::Approx(std::sqrt(1.5)).epsilon(1e-12));

  // A test row is scaled with the training statistics, not its own.
  Tensor test_rows = tg::tensor({{4.0, 11.0, 7.0}}, tg::kDouble);
  auto zt = values(s.transform(test_rows));
  CHECK(zt[0] == doctest::Approx(2.0 / std::sqrt(2.0 / 3.0)).epsilon(1e-12));
  CHECK(zt[1] == doctest::Approx(1.0));
  CHECK(zt[2] == 0.0);
  auto back = values(s.inverse_transform(s.transform(test_rows)));
  CHECK(back[0] == doctest::Approx(4.0).epsilon(1e-12));
  CHECK(back[1] == doctest::Approx(11.0).epsilon(1e-12));

  // A float32 input is scaled in float32.
  CHECK(s.transform(train.to(tg::kFloat)).scalar_type() == tg::kFloat);
  std::string e = error_of([&] { s.transform(tg::zeros({2, 4})); });
  CHECK(contains(e, "fitted on 3 columns"));
  CHECK(contains(e, "[2, 4]"));
  CHECK(
      contains(error_of([] { data::Standardizer().fit(tg::zeros({3}, tg::kLong)); }), "floating"));

  // map() applies it to one tensor of a dataset.
  data::TableDataset ds(train, tg::zeros({3}));
  auto mapped = ds.map(0, s);
  CHECK(values(mapped.tensor(0)) == values(s.transform(train)));
}

TEST_CASE("DataLoader: batches in order, drop_last, and seeded shuffling") {
  Tensor x = tg::arange(10, tg::kDouble).reshape({10, 1});
  Tensor y = tg::arange(10, tg::kDouble) * 2;
  data::DataLoader plain(data::TableDataset(x, y), data::DataLoaderOptions(4));
  CHECK(plain.size() == 3);
  std::vector<std::vector<double>> got;
  for (const auto& batch : plain) {
    got.push_back(values(batch.data));
    CHECK(values(batch.target) == values(batch.data * 2));
  }
  CHECK(got == std::vector<std::vector<double>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}});

  data::DataLoader dropping(data::TableDataset(x, y), data::DataLoaderOptions(4).drop_last(true));
  CHECK(dropping.size() == 2);
  int64_t rows = 0;
  for (const auto& batch : dropping) rows += batch.size();
  CHECK(rows == 8);

  auto epoch = [](data::DataLoader& loader) {
    std::vector<double> order;
    for (const auto& batch : loader) {
      CHECK(batch.size() <= 3);
      CHECK(values(batch.target) == values(batch.data.reshape({-1}) * 2));
      for (double v : values(batch.data)) order.push_back(v);
    }
    return order;
  };
  auto opts = data::DataLoaderOptions(3).shuffle(true).seed(42);
  data::DataLoader a(data::TableDataset(x, y), opts), b(data::TableDataset(x, y), opts);
  auto e1 = epoch(a), e2 = epoch(a);
  CHECK(e1 == epoch(b));  // same seed, same first epoch
  CHECK(e1 != e2);        // a new order every epoch
  for (auto* e : {&e1, &e2}) {
    std::vector<double> sorted = *e;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == values(tg::arange(10, tg::kDouble)));  // every row exactly once
  }

  // One tensor only: the target stays undefined.
  data::DataLoader single(data::TableDataset(std::vector<Tensor>{x}), data::DataLoaderOptions(5));
  for (const auto& batch : single) {
    CHECK(batch.tensors.size() == 1);
    CHECK(!batch.target.defined());
  }
  CHECK(contains(error_of([&] { data::DataLoader(data::TableDataset(x, y), 0); }),
                 "batch_size must be positive"));
}

TEST_CASE("TableDataset is a libtorch Dataset: make_data_loader with Stack") {
  namespace tr = tg::data::transforms;
  Tensor x = tg::arange(10, tg::kDouble).reshape({5, 2});
  Tensor y = tg::arange(5, tg::kLong) + 100;
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      data::TableDataset(x, y).map(tr::Stack<>()), data::DataLoaderOptions(2));
  std::vector<std::vector<double>> got, targets;
  for (auto& batch : *loader)
    got.push_back(values(batch.data)), targets.push_back(values(batch.target));
  CHECK(got == std::vector<std::vector<double>>{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}});
  CHECK(targets == std::vector<std::vector<double>>{{100, 101}, {102, 103}, {104}});
  // tapegrad's DataLoader hands out the same rows as an Example (Batch derives from it).
  data::DataLoader plain(data::TableDataset(x, y), data::DataLoaderOptions(2));
  auto it = plain.begin();
  const data::Example<>& first = *it;
  CHECK(values(first.data) == std::vector<double>{0, 1, 2, 3});
}
