// CsvReader: records of a CSV file (RFC 4180: comma-separated, fields in
// double quotes may hold commas, quotes doubled, and line breaks; CRLF or LF
// line ends), one at a time, with the line each starts on.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace sparbar::cli {

class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}

  // The next record into *fields; false at the end of the input. A quote
  // left open at the end sets error() and returns false.
  bool Next(std::vector<std::string>* fields);
  // The line the last record started on (1-based).
  uint64_t line() const { return record_line_; }
  // Bytes read so far, for a progress display.
  uint64_t bytes_read() const { return bytes_; }
  const std::string& error() const { return error_; }

 private:
  std::istream& in_;
  uint64_t next_line_ = 1, record_line_ = 0, bytes_ = 0;
  std::string error_;
};

}  // namespace sparbar::cli
