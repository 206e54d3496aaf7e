// tg::OrderedDict: an insertion-ordered map, as libtorch's torch::OrderedDict.
//
// Modules keep their parameters, buffers and children in these so that iteration follows
// registration order (parameters() must list `weight` before `bias`, and children in the order
// they were added, for printing and for optimizers to see a stable order). Iterating yields
// items with key() and value():
//   for (auto& p : model->named_parameters()) std::cout << p.key() << " " << p.value().sizes();
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../autograd/core.hpp"

namespace tg {

template <typename Key, typename Value>
class OrderedDict {
 public:
  class Item {
   public:
    Item(Key key, Value value) : pair_(std::move(key), std::move(value)) {}
    Value& operator*() { return value(); }
    const Value& operator*() const { return value(); }
    Value* operator->() { return &value(); }
    const Value* operator->() const { return &value(); }
    const Key& key() const noexcept { return pair_.first; }
    Value& value() noexcept { return pair_.second; }
    const Value& value() const noexcept { return pair_.second; }
    const std::pair<Key, Value>& pair() const noexcept { return pair_; }

   private:
    std::pair<Key, Value> pair_;
  };
  using Iterator = typename std::vector<Item>::iterator;
  using ConstIterator = typename std::vector<Item>::const_iterator;

  // `key_description` names the keys in error messages ("Parameter 'w' is already defined").
  explicit OrderedDict(std::string key_description = "Key")
      : key_description_(std::move(key_description)) {}
  OrderedDict(std::initializer_list<Item> items) {
    for (const Item& item : items) insert(item.key(), item.value());
  }

  const std::string& key_description() const noexcept { return key_description_; }

  Item& front() {
    check_nonempty("front");
    return items_.front();
  }
  const Item& front() const {
    check_nonempty("front");
    return items_.front();
  }
  Item& back() {
    check_nonempty("back");
    return items_.back();
  }
  const Item& back() const {
    check_nonempty("back");
    return items_.back();
  }

  Item& operator[](size_t index) {
    check_index(index);
    return items_[index];
  }
  const Item& operator[](size_t index) const {
    check_index(index);
    return items_[index];
  }
  Value& operator[](const Key& key) {
    if (Value* v = find(key)) return *v;
    throw Error(key_description_ + " '" + describe(key) + "' is not defined");
  }
  const Value& operator[](const Key& key) const {
    if (const Value* v = find(key)) return *v;
    throw Error(key_description_ + " '" + describe(key) + "' is not defined");
  }

  Value* find(const Key& key) noexcept {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  const Value* find(const Key& key) const noexcept {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &items_[it->second].value();
  }
  bool contains(const Key& key) const noexcept { return index_.count(key) != 0; }

  Iterator begin() { return items_.begin(); }
  ConstIterator begin() const { return items_.begin(); }
  Iterator end() { return items_.end(); }
  ConstIterator end() const { return items_.end(); }
  size_t size() const noexcept { return items_.size(); }
  bool is_empty() const noexcept { return items_.empty(); }
  void reserve(size_t n) {
    items_.reserve(n);
    index_.reserve(n);
  }

  // Throws tg::Error if the key exists: registering `weight` twice is always a bug.
  template <typename K, typename V>
  Value& insert(K&& key, V&& value) {
    if (index_.count(key) != 0)
      throw Error(key_description_ + " '" + describe(Key(key)) + "' already defined");
    items_.emplace_back(Key(std::forward<K>(key)), Value(std::forward<V>(value)));
    index_.emplace(items_.back().key(), items_.size() - 1);
    return items_.back().value();
  }
  Value& insert(Key key, Value&& value) {
    return insert<Key, Value>(std::move(key), std::move(value));
  }

  // Inserts every item of `other`; throws tg::Error, as insert() does, on a key already here
  // (libtorch's update; ParameterDict::update is the one that overwrites).
  void update(const OrderedDict& other) {
    reserve(size() + other.size());
    for (const Item& item : other) insert(item.key(), item.value());
  }
  void update(OrderedDict&& other) {
    reserve(size() + other.size());
    for (Item& item : other) insert(std::move(item.key()), std::move(item.value()));
  }
  void erase(const Key& key) {
    auto it = index_.find(key);
    if (it == index_.end())
      throw Error(key_description_ + " '" + describe(key) + "' is not defined");
    size_t pos = it->second;
    items_.erase(items_.begin() + std::ptrdiff_t(pos));
    index_.erase(it);
    for (auto& kv : index_)
      if (kv.second > pos) --kv.second;
  }
  void clear() {
    items_.clear();
    index_.clear();
  }

  const std::vector<Item>& items() const noexcept { return items_; }
  std::vector<Key> keys() const {
    std::vector<Key> r;
    r.reserve(size());
    for (const Item& i : items_) r.push_back(i.key());
    return r;
  }
  std::vector<Value> values() const {
    std::vector<Value> r;
    r.reserve(size());
    for (const Item& i : items_) r.push_back(i.value());
    return r;
  }
  std::vector<std::pair<Key, Value>> pairs() const {
    std::vector<std::pair<Key, Value>> r;
    r.reserve(size());
    for (const Item& i : items_) r.push_back(i.pair());
    return r;
  }

 private:
  static std::string describe(const Key& key) {
    if constexpr (std::is_convertible_v<Key, std::string>)
      return std::string(key);
    else
      return "<key>";
  }
  void check_nonempty(const char* what) const {
    if (items_.empty()) throw Error(std::string("Called ") + what + "() on an empty OrderedDict");
  }
  void check_index(size_t index) const {
    if (index >= items_.size())
      throw Error("OrderedDict: index " + std::to_string(index) + " is out of bounds (size " +
                  std::to_string(items_.size()) + ")");
  }

  std::unordered_map<Key, size_t> index_;
  std::vector<Item> items_;
  std::string key_description_{"Key"};
};

}  // namespace tg
