// tg::save / tg::load for tg::data's samplers and stateful datasets (libtorch's
// torch/data/samplers/serialize.h, datasets/stateful.h and the generic torch::save): the
// object's save() writes its position into an archive, saved wherever OutputArchive::save_to
// can write (a path, a std::ostream, ...); load() reads it back.
//
//   tg::data::samplers::SequentialSampler sampler(10);
//   sampler.next(3);
//   std::stringstream stream;
//   tg::save(sampler, stream);
//   tg::data::samplers::SequentialSampler resumed(10);
//   tg::load(resumed, stream);                            // resumed.index() == 3
#pragma once

#include <utility>

#include "archive.hpp"
#include "data_datasets.hpp"
#include "data_samplers.hpp"

namespace tg {
namespace data::samplers {
template <typename BatchRequest>
serialize::OutputArchive& operator<<(serialize::OutputArchive& archive,
                                     const Sampler<BatchRequest>& sampler) {
  sampler.save(archive);
  return archive;
}
template <typename BatchRequest>
serialize::InputArchive& operator>>(serialize::InputArchive& archive,
                                    Sampler<BatchRequest>& sampler) {
  sampler.load(archive);
  return archive;
}
}  // namespace data::samplers

namespace data::datasets {
template <typename Self, typename Batch, typename BatchRequest>
serialize::OutputArchive& operator<<(serialize::OutputArchive& archive,
                                     const StatefulDataset<Self, Batch, BatchRequest>& dataset) {
  dataset.save(archive);
  return archive;
}
template <typename Self, typename Batch, typename BatchRequest>
serialize::InputArchive& operator>>(serialize::InputArchive& archive,
                                    StatefulDataset<Self, Batch, BatchRequest>& dataset) {
  dataset.load(archive);
  return archive;
}
}  // namespace data::datasets

template <typename BatchRequest, typename... SaveToArgs>
void save(const data::samplers::Sampler<BatchRequest>& sampler, SaveToArgs&&... args) {
  serialize::OutputArchive archive;
  sampler.save(archive);
  archive.save_to(std::forward<SaveToArgs>(args)...);
}
template <typename BatchRequest, typename... LoadFromArgs>
void load(data::samplers::Sampler<BatchRequest>& sampler, LoadFromArgs&&... args) {
  serialize::InputArchive archive;
  archive.load_from(std::forward<LoadFromArgs>(args)...);
  sampler.load(archive);
}
template <typename Self, typename Batch, typename BatchRequest, typename... SaveToArgs>
void save(const data::datasets::StatefulDataset<Self, Batch, BatchRequest>& dataset,
          SaveToArgs&&... args) {
  serialize::OutputArchive archive;
  dataset.save(archive);
  archive.save_to(std::forward<SaveToArgs>(args)...);
}
template <typename Self, typename Batch, typename BatchRequest, typename... LoadFromArgs>
void load(data::datasets::StatefulDataset<Self, Batch, BatchRequest>& dataset,
          LoadFromArgs&&... args) {
  serialize::InputArchive archive;
  archive.load_from(std::forward<LoadFromArgs>(args)...);
  dataset.load(archive);
}
}  // namespace tg
