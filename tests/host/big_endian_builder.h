// Builds big-endian byte images (bootinfo lists, exception frames) for host tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ck::test {

class BigEndianBuilder {
 public:
  BigEndianBuilder& u16(std::uint16_t v) {
    bytes_.push_back(static_cast<std::uint8_t>(v >> 8));
    bytes_.push_back(static_cast<std::uint8_t>(v));
    return *this;
  }
  BigEndianBuilder& u32(std::uint32_t v) {
    return u16(static_cast<std::uint16_t>(v >> 16)).u16(static_cast<std::uint16_t>(v));
  }
  BigEndianBuilder& zeros(std::size_t n) {
    bytes_.insert(bytes_.end(), n, 0);
    return *this;
  }

  // One bootinfo record whose payload is the given longwords.
  BigEndianBuilder& record(std::uint16_t tag, std::initializer_list<std::uint32_t> payload) {
    u16(tag).u16(static_cast<std::uint16_t>(4 + 4 * payload.size()));
    for (std::uint32_t v : payload) u32(v);
    return *this;
  }
  // A string record as QEMU writes it: NUL-terminated, padded to 4 bytes.
  BigEndianBuilder& string_record(std::uint16_t tag, const std::string& s) {
    const std::size_t size = (4 + s.size() + 1 + 3) & ~std::size_t{3};
    u16(tag).u16(static_cast<std::uint16_t>(size));
    for (char c : s) bytes_.push_back(static_cast<std::uint8_t>(c));
    for (std::size_t i = 4 + s.size(); i < size; ++i) bytes_.push_back(0);
    return *this;
  }

  BigEndianBuilder& drop_last(std::size_t n) {
    for (std::size_t i = 0; i < n && !bytes_.empty(); ++i) bytes_.pop_back();
    return *this;
  }

  const std::uint8_t* data() const { return bytes_.data(); }
  std::size_t size() const { return bytes_.size(); }

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace ck::test
