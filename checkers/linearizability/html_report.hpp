// `verdict lincheck --html`: a self-contained page (inline SVG and CSS, no
// script, nothing fetched) drawing each checked history the way Porcupine's
// visualiser does, which is how people find the bug in a history: a lane per
// process, each operation a bar from its call to its return on a time axis
// of events; for a history that is not linearizable, the longest
// linearizable prefix the search found in green (numbered in linearization
// order, the specification's state after each in its tooltip) and the
// operations that could not come next in red. A partitioned history gets a
// section per key.
#pragma once

#include <string>

#include "checkers/linearizability/history_file.hpp"

namespace verdict::lincheck {

// The page's sections, one per file: a checked history, or the reason a file
// could not be read. Every text from the file is HTML-escaped.
std::string html_history_section(const std::string& file, const LoadedHistory& loaded,
                                 const Result& result, const CheckOptions& options);
std::string html_error_section(const std::string& file, const std::string& error);
// The whole page around the sections.
std::string html_page(const std::string& title, const std::string& sections);
// For a page of another tool that shows sections too (`verdict export`): the
// sections' CSS, every selector under `scope` (e.g. "#history"; "" for none),
// and the paragraph that explains the colours.
std::string html_styles(const std::string& scope);
std::string html_legend();

}  // namespace verdict::lincheck
