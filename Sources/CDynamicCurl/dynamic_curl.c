#include "CDynamicCurl.h"
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* The functions bound from libcurl. The variadic ones are called through variadic pointer types, so each call
   passes its argument exactly as a call to the real declaration would. */
static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *easy);
    CURLcode (*easy_setopt)(CURL *easy, CURLoption option, ...);
    CURLcode (*easy_getinfo)(CURL *easy, CURLINFO info, ...);
    CURLcode (*easy_perform)(CURL *easy);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *line);
    void (*slist_free_all)(struct curl_slist *list);
    int loaded;
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_failure[512];

static int bind_symbol(void *library, const char *name, void **slot) {
    *slot = dlsym(library, name);
    if (*slot == NULL) snprintf(load_failure, sizeof load_failure, "libcurl.so.4 has no %s", name);
    return *slot != NULL;
}

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(load_failure, sizeof load_failure, "cannot load libcurl.so.4: %s", reason ? reason : "unknown reason");
        return;
    }
    /* The library stays loaded for the life of the process: it is never dlclose'd. */
    if (!bind_symbol(library, "curl_global_init", (void **)&curl.global_init) ||
        !bind_symbol(library, "curl_easy_init", (void **)&curl.easy_init) ||
        !bind_symbol(library, "curl_easy_cleanup", (void **)&curl.easy_cleanup) ||
        !bind_symbol(library, "curl_easy_setopt", (void **)&curl.easy_setopt) ||
        !bind_symbol(library, "curl_easy_getinfo", (void **)&curl.easy_getinfo) ||
        !bind_symbol(library, "curl_easy_perform", (void **)&curl.easy_perform) ||
        !bind_symbol(library, "curl_easy_strerror", (void **)&curl.easy_strerror) ||
        !bind_symbol(library, "curl_slist_append", (void **)&curl.slist_append) ||
        !bind_symbol(library, "curl_slist_free_all", (void **)&curl.slist_free_all)) {
        return;
    }
    CURLcode initialized = curl.global_init(CURL_GLOBAL_DEFAULT);
    if (initialized != CURLE_OK) {
        snprintf(load_failure, sizeof load_failure, "curl_global_init failed: %s", curl.easy_strerror(initialized));
        return;
    }
    curl.loaded = 1;
}

const char *mlc_dcurl_load(void) {
    pthread_once(&load_once, load);
    return curl.loaded ? NULL : load_failure;
}

void *mlc_dcurl_easy_new(long connect_timeout_ms) {
    CURL *easy = curl.easy_init();
    if (easy == NULL) return NULL;
    if (curl.easy_setopt(easy, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
        curl.easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http") != CURLE_OK ||
        curl.easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http") != CURLE_OK ||
        curl.easy_setopt(easy, CURLOPT_NOPROXY, "*") != CURLE_OK ||
        curl.easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms) != CURLE_OK ||
        curl.easy_setopt(easy, CURLOPT_TIMEOUT_MS, 0L) != CURLE_OK) {
        curl.easy_cleanup(easy);
        return NULL;
    }
    return easy;
}

void mlc_dcurl_easy_free(void *easy) { curl.easy_cleanup(easy); }

int mlc_dcurl_set_url(void *easy, const char *url) { return curl.easy_setopt(easy, CURLOPT_URL, url); }

int mlc_dcurl_set_get(void *easy) { return curl.easy_setopt(easy, CURLOPT_HTTPGET, 1L); }

int mlc_dcurl_set_post(void *easy, const void *body, long count) {
    CURLcode code = curl.easy_setopt(easy, CURLOPT_POST, 1L);
    /* The size first: COPYPOSTFIELDS copies that many bytes (the body may hold NUL bytes). */
    if (code == CURLE_OK) code = curl.easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)count);
    if (code == CURLE_OK) code = curl.easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, count > 0 ? body : "");
    return code;
}

int mlc_dcurl_set_headers(void *easy, void *list) {
    return curl.easy_setopt(easy, CURLOPT_HTTPHEADER, (struct curl_slist *)list);
}

int mlc_dcurl_set_receivers(void *easy, mlc_dcurl_receiver body, mlc_dcurl_receiver header, void *context) {
    curl_write_callback write = body, headers = header;
    CURLcode code = curl.easy_setopt(easy, CURLOPT_WRITEFUNCTION, write);
    if (code == CURLE_OK) code = curl.easy_setopt(easy, CURLOPT_WRITEDATA, context);
    if (code == CURLE_OK) code = curl.easy_setopt(easy, CURLOPT_HEADERFUNCTION, headers);
    if (code == CURLE_OK) code = curl.easy_setopt(easy, CURLOPT_HEADERDATA, context);
    return code;
}

int mlc_dcurl_perform(void *easy) { return curl.easy_perform(easy); }

long mlc_dcurl_status(void *easy) {
    long status = 0;
    return curl.easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK ? status : 0;
}

const char *mlc_dcurl_describe(int code) { return curl.easy_strerror((CURLcode)code); }

void *mlc_dcurl_list_append(void *list, const char *line) {
    return curl.slist_append((struct curl_slist *)list, line);
}

void mlc_dcurl_list_free(void *list) { curl.slist_free_all((struct curl_slist *)list); }
