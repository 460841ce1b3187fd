// Provider ids are stored in lower case (ingest folds them): commands fold what users type.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>

namespace costops::cli {

// `text` in ASCII lower case.
inline std::string lower_case(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace costops::cli
