#ifndef MLC_COPENSSL_SHIM_H
#define MLC_COPENSSL_SHIM_H
/* For mlc_sha256 below: the low-level SHA-256 interface is deprecated in OpenSSL 3, not removed. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/sha.h>

/* Macros Swift cannot import as constants, as functions. */
static inline int mlc_evp_gcm_set_ivlen(EVP_CIPHER_CTX *ctx, int len) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, len, NULL);
}
static inline int mlc_evp_gcm_get_tag(EVP_CIPHER_CTX *ctx, unsigned char *tag, int len) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, len, tag);
}
static inline int mlc_evp_gcm_set_tag(EVP_CIPHER_CTX *ctx, unsigned char *tag, int len) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, len, tag);
}

/* SHA-256 through the low-level interface rather than EVP: the first EVP digest of a process loads the default
   provider and fetches the method, about 6 million instructions (callgrind) — a third of a whole business-event
   request, which hashes one key per process. The digest code underneath is the same. */
static inline int mlc_sha256(const unsigned char *data, size_t count, unsigned char *out) {
    SHA256_CTX context;
    return SHA256_Init(&context) && SHA256_Update(&context, data, count) && SHA256_Final(out, &context);
}
#endif
