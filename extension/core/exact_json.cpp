#include "exact_json.hpp"

#include <iterator>
#include <map>
#include <vector>

namespace costops {

namespace {

// The type the SAX parser runs on: Json with long double floats, so that the float the lexer
// computes (and the builder ignores) for a literal such as 1e400 does not overflow.
using ParseJson = nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t,
                                       std::uint64_t, long double>;

// Input iterator over a streambuf that counts the newlines it has passed, so that errors and
// records can name their line. A newline counts only when the next character is asked for,
// so the lexer's look-ahead past the end of a number does not put the number on the next line.
class LineCountingIterator {
  public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = char;

    LineCountingIterator() = default;
    LineCountingIterator(std::streambuf* buf, size_t* line) : buf_(buf), line_(line) {}

    char operator*() const { return std::char_traits<char>::to_char_type(buf_->sgetc()); }
    LineCountingIterator& operator++() {
        after_newline_ = buf_->sbumpc() == '\n';
        return *this;
    }
    bool operator==(const LineCountingIterator& other) const { return at_end() == other.at_end(); }
    bool operator!=(const LineCountingIterator& other) const { return !(*this == other); }

  private:
    // The lexer compares with the end before it reads each character: count a passed newline.
    bool at_end() const {
        if (buf_ == nullptr) return true;
        if (after_newline_) {
            ++*line_;
            after_newline_ = false;
        }
        return std::char_traits<char>::eq_int_type(buf_->sgetc(), std::char_traits<char>::eof());
    }
    std::streambuf* buf_ = nullptr;
    size_t* line_ = nullptr;
    mutable bool after_newline_ = false;
};

// SAX handler that builds an exact DOM; in streaming mode the elements of a top-level array
// are handed to a callback one by one instead of being kept.
class ExactDomBuilder : public nlohmann::json_sax<ParseJson> {
  public:
    using Callback = std::function<void(Json&&, size_t, size_t)>;

    ExactDomBuilder(const Callback* on_element, const size_t* line)
        : on_element_(on_element), line_(line) {}

    Json& root() { return root_; }
    bool streamed() const { return streaming_; }

    bool null() override { return put(Json(nullptr)); }
    bool boolean(bool v) override { return put(Json(v)); }
    bool number_integer(number_integer_t v) override { return put(Json(v)); }
    bool number_unsigned(number_unsigned_t v) override { return put(Json(v)); }
    bool number_float(number_float_t, const string_t& literal) override {
        return put(Json::binary(Json::binary_t::container_type(literal.begin(), literal.end()),
                                kNumberLiteralSubtype));
    }
    bool string(string_t& v) override { return put(Json(std::move(v))); }
    bool binary(binary_t& v) override { return put(Json::binary(std::move(v))); }
    bool start_object(std::size_t) override { return open(Json::object()); }
    bool key(string_t& k) override {
        key_ = std::move(k);
        return true;
    }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override {
        if (stack_.empty() && on_element_ != nullptr) {
            streaming_ = true;
            root_ = Json::array();
            stack_.push_back(&root_);
            return true;
        }
        return open(Json::array());
    }
    bool end_array() override { return close(); }
    bool parse_error(std::size_t, const std::string&,
                     const nlohmann::detail::exception& ex) override {
        throw JsonSyntaxError(*line_, strip_prefix(ex.what()));
    }

  private:
    // nlohmann's messages start with "[json.exception.parse_error.101] "; users need the rest.
    static std::string strip_prefix(const std::string& what) {
        size_t at = what.find("] ");
        return at == std::string::npos ? what : what.substr(at + 2);
    }

    bool at_stream_level() const { return streaming_ && stack_.size() == 1; }

    // Places a finished value where the DOM cursor is and returns a pointer to it.
    Json* place(Json&& value) {
        if (stack_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        if (at_stream_level()) {
            element_ = std::move(value);
            element_line_ = *line_;
            return &element_;
        }
        Json* parent = stack_.back();
        if (parent->is_array()) {
            parent->push_back(std::move(value));
            return &parent->back();
        }
        // A repeated key is ambiguous data (which value counts?): an error, not "last wins".
        if (parent->contains(key_)) throw JsonSyntaxError(*line_, "duplicate key \"" + key_ + "\"");
        Json& slot = (*parent)[key_];
        slot = std::move(value);
        return &slot;
    }

    bool put(Json&& value) {
        bool emit = at_stream_level();
        place(std::move(value));
        if (emit) emit_element();
        return true;
    }

    bool open(Json&& container) {
        stack_.push_back(place(std::move(container)));
        return true;
    }

    bool close() {
        stack_.pop_back();
        if (at_stream_level()) emit_element();
        return true;
    }

    void emit_element() {
        ++index_;
        (*on_element_)(std::move(element_), index_, element_line_);
        element_ = Json();
    }

    const Callback* on_element_;
    const size_t* line_;
    Json root_;
    Json element_;
    size_t element_line_ = 0;
    size_t index_ = 0;
    bool streaming_ = false;
    std::vector<Json*> stack_;
    std::string key_;
};

}  // namespace

namespace {

// A read-only streambuf over a string_view, so whole-text parsing shares the stream path.
class ViewStreambuf : public std::streambuf {
  public:
    explicit ViewStreambuf(std::string_view text) {
        char* begin = const_cast<char*>(text.data());
        setg(begin, begin, begin + text.size());
    }
};

}  // namespace

Json parse_json_exact(std::string_view text) {
    size_t line = 1;
    ExactDomBuilder builder(nullptr, &line);
    ViewStreambuf buf(text);
    LineCountingIterator first(&buf, &line), last;
    ParseJson::sax_parse(first, last, &builder);
    return std::move(builder.root());
}

void read_json_stream(std::istream& in,
                      const std::function<void(Json&&, size_t, size_t)>& on_element,
                      size_t first_line) {
    size_t line = first_line;
    ExactDomBuilder builder(&on_element, &line);
    LineCountingIterator first(in.rdbuf(), &line), last;
    ParseJson::sax_parse(first, last, &builder);
    if (!builder.streamed()) on_element(std::move(builder.root()), 0, first_line);
}

bool is_number_literal(const Json& value) {
    return value.is_binary() && value.get_binary().has_subtype() &&
           value.get_binary().subtype() == kNumberLiteralSubtype;
}

bool is_json_number(const Json& value) {
    return value.is_number_integer() || is_number_literal(value);
}

std::string json_scalar_text(const Json& value) {
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer()) return value.dump();
    if (is_number_literal(value)) {
        const auto& bytes = value.get_binary();
        return std::string(bytes.begin(), bytes.end());
    }
    return std::string();
}

namespace {

// Appends the exact serialization of `value` to `out`.
void dump_into(const Json& value, std::string& out) {
    if (is_number_literal(value)) {
        out += json_scalar_text(value);
    } else if (value.is_object()) {
        out += '{';
        bool first = true;
        for (auto it = value.begin(); it != value.end(); ++it) {
            if (!first) out += ',';
            first = false;
            out += json_quoted(it.key());
            out += ':';
            dump_into(it.value(), out);
        }
        out += '}';
    } else if (value.is_array()) {
        out += '[';
        for (size_t i = 0; i < value.size(); ++i) {
            if (i > 0) out += ',';
            dump_into(value[i], out);
        }
        out += ']';
    } else {
        out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
    }
}

}  // namespace

std::string json_quoted(std::string_view text) {
    return Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string dump_exact(const Json& value) {
    std::string out;
    dump_into(value, out);
    return out;
}

}  // namespace costops
