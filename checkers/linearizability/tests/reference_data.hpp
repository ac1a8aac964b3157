// Where the tests find the reference histories (a copy of Porcupine's and
// Jepsen's, see histories/README.md) and their expected verdicts.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace verdict::lincheck::testing {

inline std::filesystem::path histories_dir() {
  if (const char* root = std::getenv("VERDICT_SOURCE_DIR")) {
    return std::filesystem::path(root) / "checkers/linearizability/tests/histories";
  }
  return std::filesystem::path(__FILE__).parent_path() / "histories";
}

struct ExpectedVerdict {
  std::string file;  // relative to histories_dir()
  std::size_t operations = 0;
  bool linearizable = false;
};

inline std::vector<ExpectedVerdict> expected_verdicts() {
  std::ifstream in(histories_dir() / "expected.csv");
  std::vector<ExpectedVerdict> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    ExpectedVerdict row;
    std::string operations, verdict;
    std::getline(fields, row.file, ',');
    std::getline(fields, operations, ',');
    std::getline(fields, verdict, ',');
    row.operations = std::stoul(operations);
    row.linearizable = verdict == "linearizable";
    rows.push_back(row);
  }
  return rows;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace verdict::lincheck::testing
