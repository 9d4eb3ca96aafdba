// Builds cpio "newc" archives for the UNIX emulator's host tests.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace unixemu {

class CpioBuilder {
 public:
  void directory(const std::string& name, uint32_t mode = 040755) { entry(name, mode, ""); }
  void file(const std::string& name, const std::string& data, uint32_t mode = 0100644) { entry(name, mode, data); }
  void symlink(const std::string& name, const std::string& target) { entry(name, 0120777, target); }
  void trailer() { entry("TRAILER!!!", 0, ""); }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  void entry(const std::string& name, uint32_t mode, const std::string& data) {
    char header[111];
    const uint32_t fields[13] = {ino_++,
                                 mode,
                                 0,
                                 0,
                                 1,
                                 0,
                                 static_cast<uint32_t>(data.size()),
                                 0,
                                 0,
                                 0,
                                 0,
                                 static_cast<uint32_t>(name.size() + 1),
                                 0};
    int n = std::snprintf(header, sizeof header, "070701");
    for (uint32_t f : fields) n += std::snprintf(header + n, sizeof header - n, "%08x", f);
    bytes_.insert(bytes_.end(), header, header + 110);
    bytes_.insert(bytes_.end(), name.begin(), name.end());
    bytes_.push_back(0);
    pad();
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    pad();
  }
  void pad() {
    while (bytes_.size() % 4 != 0) bytes_.push_back(0);
  }
  std::vector<uint8_t> bytes_;
  uint32_t ino_ = 1;
};

}  // namespace unixemu
