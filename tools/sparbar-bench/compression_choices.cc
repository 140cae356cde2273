#include "compression_choices.h"

#include <rocksdb/sst_file_reader.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <utility>

#include "eventstore/log_db.h"
#include "report_format.h"

namespace sparbar::bench {
namespace {

struct Choice {
  const char* name;
  rocksdb::CompressionType type;
  size_t block_bytes;
  uint32_t dictionary_bytes;
};

void Check(const rocksdb::Status& s, const std::string& doing) {
  if (!s.ok()) throw std::runtime_error(doing + ": " + s.ToString());
}

}  // namespace

std::vector<CompressionChoice> MeasureCompressionChoices(const std::string& data_dir, const std::string& work_dir,
                                                         size_t events) {
  auto db = LogDb::Open(data_dir, LogDb::Mode::kReadOnly);
  if (!db.ok()) throw std::runtime_error("opening " + data_dir + ": " + db.status().ToString());
  std::vector<std::pair<std::string, std::string>> kv;
  {
    std::unique_ptr<rocksdb::Iterator> it((*db)->db()->NewIterator(rocksdb::ReadOptions(), (*db)->events()));
    for (it->SeekToFirst(); it->Valid() && kv.size() < events; it->Next()) {
      kv.emplace_back(it->key().ToString(), it->value().ToString());
    }
    Check(it->status(), "reading the events");
  }
  if (kv.empty()) throw std::runtime_error(data_dir + " holds no events");
  const std::vector<Choice> choices = {
      {"Snappy, 4 KiB (RocksDB's default)", rocksdb::kSnappyCompression, 4096, 0},
      {"LZ4, 4 KiB", rocksdb::kLZ4Compression, 4096, 0},
      {"ZSTD, 4 KiB", rocksdb::kZSTD, 4096, 0},
      {"ZSTD, 8 KiB", rocksdb::kZSTD, 8192, 0},
      {"ZSTD, 16 KiB", rocksdb::kZSTD, 16384, 0},
      {"ZSTD, 4 KiB, 16 KiB dictionary", rocksdb::kZSTD, 4096, 16384},
  };
  std::filesystem::create_directories(work_dir);
  const std::string path = work_dir + "/compression-choice.sst";
  std::vector<CompressionChoice> out;
  for (const Choice& c : choices) {
    rocksdb::Options o;
    o.compression = o.bottommost_compression = c.type;
    if (c.dictionary_bytes != 0) {
      o.compression_opts.max_dict_bytes = c.dictionary_bytes;
      o.compression_opts.zstd_max_train_bytes = 100 * c.dictionary_bytes;
    }
    rocksdb::BlockBasedTableOptions table;
    table.block_size = c.block_bytes;
    o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));

    CompressionChoice r;
    r.name = c.name;
    rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), o);
    const auto w0 = std::chrono::steady_clock::now();
    Check(writer.Open(path), "creating " + path);
    for (const auto& [k, v] : kv) Check(writer.Put(k, v), "writing " + path);
    rocksdb::ExternalSstFileInfo info;
    Check(writer.Finish(&info), "finishing " + path);
    r.write_us = SecondsSince(w0) * 1e6 / static_cast<double>(kv.size());
    r.bytes_per_event = static_cast<double>(info.file_size) / static_cast<double>(kv.size());

    rocksdb::SstFileReader reader(o);
    Check(reader.Open(path), "opening " + path);
    rocksdb::ReadOptions uncached;
    uncached.fill_cache = false;  // every read decompresses its block, as a cache miss does
    r.scan_us = 1e9;
    for (int pass = 0; pass < 3; ++pass) {
      const auto s0 = std::chrono::steady_clock::now();
      std::unique_ptr<rocksdb::Iterator> it(reader.NewIterator(uncached));
      size_t n = 0, bytes = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next(), ++n) bytes += it->value().size();
      Check(it->status(), "scanning " + path);
      if (n != kv.size() || bytes == 0) throw std::runtime_error("the scan of " + path + " lost events");
      r.scan_us = std::min(r.scan_us, SecondsSince(s0) * 1e6 / static_cast<double>(n));
    }
    // Positions spread over the file by a stride prime to its size: each read
    // lands in another block.
    constexpr size_t kReads = 20'000, kStride = 7919;
    std::unique_ptr<rocksdb::Iterator> it(reader.NewIterator(uncached));
    const auto p0 = std::chrono::steady_clock::now();
    size_t found = 0;
    for (size_t i = 0; i < kReads; ++i) {
      const std::string& key = kv[(i * kStride) % kv.size()].first;
      it->Seek(key);
      found += it->Valid() && it->key() == key;
    }
    if (found != kReads) throw std::runtime_error("point reads in " + path + " missed events");
    r.point_read_us = SecondsSince(p0) * 1e6 / kReads;
    out.push_back(r);
  }
  std::filesystem::remove(path);
  return out;
}

}  // namespace sparbar::bench
