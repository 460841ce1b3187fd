#include "packed_json.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

namespace costops::cli {

namespace {

// The tag that starts each packed value.
enum Tag : char {
    kNull = 'n',
    kTrue = 't',
    kFalse = 'f',
    kInteger = 'i',
    kUnsigned = 'u',
    kFloat = 'd',
    kString = 's',
    kBinary = 'x',
    kObject = 'o',
    kArray = 'a'
};

// Reads the next byte of `in` (advancing it).
char unpack_byte(std::string_view& in) {
    char c = in.front();
    in.remove_prefix(1);
    return c;
}

}  // namespace

void pack_text(std::string& out, std::string_view text) {
    uint32_t size = static_cast<uint32_t>(text.size());
    out.append(reinterpret_cast<const char*>(&size), sizeof size);
    out.append(text);
}

std::string_view unpack_text(std::string_view& in) {
    uint32_t size;
    std::memcpy(&size, in.data(), sizeof size);
    std::string_view text = in.substr(sizeof size, size);
    in.remove_prefix(sizeof size + size);
    return text;
}

void pack_number(std::string& out, uint64_t number) {
    out.append(reinterpret_cast<const char*>(&number), sizeof number);
}

uint64_t unpack_number(std::string_view& in) {
    uint64_t number;
    std::memcpy(&number, in.data(), sizeof number);
    in.remove_prefix(sizeof number);
    return number;
}

void pack_json(std::string& out, const Json& value) {
    switch (value.type()) {
        case Json::value_t::boolean:
            out += value.get<bool>() ? kTrue : kFalse;
            return;
        case Json::value_t::number_integer:
            out += kInteger;
            pack_number(out, static_cast<uint64_t>(value.get<int64_t>()));
            return;
        case Json::value_t::number_unsigned:
            out += kUnsigned;
            pack_number(out, value.get<uint64_t>());
            return;
        case Json::value_t::number_float: {
            double d = value.get<double>();
            uint64_t bits;
            std::memcpy(&bits, &d, sizeof bits);
            out += kFloat;
            pack_number(out, bits);
            return;
        }
        case Json::value_t::string:
            out += kString;
            pack_text(out, value.get_ref<const std::string&>());
            return;
        case Json::value_t::binary: {
            const Json::binary_t& bytes = value.get_binary();
            out += kBinary;
            out += bytes.has_subtype() ? '1' : '0';
            pack_number(out, bytes.has_subtype() ? bytes.subtype() : 0);
            pack_text(out,
                      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
            return;
        }
        case Json::value_t::object:
            out += kObject;
            pack_number(out, value.size());
            for (auto it = value.begin(); it != value.end(); ++it) {
                pack_text(out, it.key());
                pack_json(out, *it);
            }
            return;
        case Json::value_t::array:
            out += kArray;
            pack_number(out, value.size());
            for (const Json& element : value) pack_json(out, element);
            return;
        default:
            out += kNull;
    }
}

Json unpack_json(std::string_view& in) {
    switch (unpack_byte(in)) {
        case kTrue:
            return true;
        case kFalse:
            return false;
        case kInteger:
            return static_cast<int64_t>(unpack_number(in));
        case kUnsigned:
            return unpack_number(in);
        case kFloat: {
            uint64_t bits = unpack_number(in);
            double d;
            std::memcpy(&d, &bits, sizeof d);
            return d;
        }
        case kString:
            return std::string(unpack_text(in));
        case kBinary: {
            bool has_subtype = unpack_byte(in) == '1';
            uint64_t subtype = unpack_number(in);
            std::string_view text = unpack_text(in);
            std::vector<uint8_t> bytes(text.begin(), text.end());
            return has_subtype ? Json::binary(std::move(bytes), subtype)
                               : Json::binary(std::move(bytes));
        }
        case kObject: {
            Json object = Json::object();
            for (uint64_t n = unpack_number(in); n > 0; --n) {
                std::string key(unpack_text(in));
                object[key] = unpack_json(in);
            }
            return object;
        }
        case kArray: {
            Json array = Json::array();
            for (uint64_t n = unpack_number(in); n > 0; --n) array.push_back(unpack_json(in));
            return array;
        }
        default:
            return nullptr;
    }
}

}  // namespace costops::cli
