#include "tools/cli/csv_reader.h"

namespace sparbar::cli {

bool CsvReader::Next(std::vector<std::string>* fields) {
  fields->clear();
  record_line_ = next_line_;
  std::string field;
  bool quoted = false, any = false, after_quote = false;
  if (bytes_ == 0 && in_.peek() == 0xEF) {  // a UTF-8 byte order mark, as spreadsheets write
    char bom[3];
    if (in_.read(bom, 3) && std::string(bom, 3) == "\xEF\xBB\xBF") {
      bytes_ += 3;
    } else {
      in_.clear();
      in_.seekg(0);
    }
  }
  int c;
  while ((c = in_.get()) != EOF) {
    ++bytes_;
    any = true;
    const char ch = static_cast<char>(c);
    if (quoted) {
      if (ch == '"') {
        if (in_.peek() == '"') {
          in_.get();
          ++bytes_;
          field += '"';
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (ch == '\n') ++next_line_;
        field += ch;
      }
      continue;
    }
    if (ch == '"' && field.empty() && !after_quote) {
      quoted = true;
    } else if (ch == ',') {
      fields->push_back(std::move(field));
      field.clear();
      after_quote = false;
    } else if (ch == '\n') {
      ++next_line_;
      if (!after_quote && !field.empty() && field.back() == '\r') field.pop_back();
      fields->push_back(std::move(field));
      return true;
    } else if (ch == '\r' && after_quote && in_.peek() == '\n') {
      // the CR of a CRLF after a closing quote
    } else {
      field += ch;
    }
  }
  if (quoted) {
    error_ = "a quoted field opened on line " + std::to_string(record_line_) + " is not closed";
    return false;
  }
  if (!any) return false;
  if (!after_quote && !field.empty() && field.back() == '\r') field.pop_back();
  fields->push_back(std::move(field));
  return true;
}

}  // namespace sparbar::cli
