#include "sha256.hpp"

#include <openssl/evp.h>

#include "../cli_error.hpp"

namespace costops::cli {

struct Sha256::State {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~State() { EVP_MD_CTX_free(ctx); }
};

namespace {

// Starts (or restarts) the digest of `ctx`; OpenSSL fails only when out of memory.
void start(EVP_MD_CTX* ctx) {
    if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1) {
        throw CliError("cannot compute SHA-256 (OpenSSL failed)");
    }
}

}  // namespace

Sha256::Sha256() : state_(std::make_unique<State>()) {
    start(state_->ctx);
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, size_t size) {
    EVP_DigestUpdate(state_->ctx, data, size);
}

std::array<uint8_t, 32> Sha256::finish() {
    std::array<uint8_t, 32> digest{};
    unsigned int size = 0;
    EVP_DigestFinal_ex(state_->ctx, digest.data(), &size);
    start(state_->ctx);
    return digest;
}

std::string Sha256::peek_hex(const void* more, size_t size) const {
    Sha256 copy;
    EVP_MD_CTX_copy_ex(copy.state_->ctx, state_->ctx);
    copy.update(more, size);
    return copy.finish_hex();
}

std::string Sha256::finish_hex() {
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (uint8_t byte : finish()) {
        out += kHex[byte >> 4];
        out += kHex[byte & 15];
    }
    return out;
}

}  // namespace costops::cli
