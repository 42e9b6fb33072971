#ifndef MLC_CDYNAMICCURL_H
#define MLC_CDYNAMICCURL_H
/* libcurl bound at run time: dlopen("libcurl.so.4") and dlsym of the few curl_easy_* / curl_slist_* functions the
   Lambda runtime client needs, so a binary that links this target does not load libcurl until it asks for it
   (handle-business-event serves CGI, FastCGI and function events without it, DESIGN.md §1). No curl type appears
   here: handles are opaque pointers, results are CURLcode values as int (0 is CURLE_OK). */
#include <stddef.h>

/* Receives response bytes (body or one header line); returns `size * count` to go on, anything else to abort. */
typedef size_t (*mlc_dcurl_receiver)(char *data, size_t size, size_t count, void *context);

/* Loads libcurl once per process (thread-safe) and runs curl_global_init. NULL when it is usable, else why not. */
const char *mlc_dcurl_load(void);

/* A new easy handle for plain-HTTP calls to a local endpoint: no signals, HTTP only, no proxy, `connect_timeout_ms`
   to connect and no limit on the whole transfer. NULL when out of memory. Only after mlc_dcurl_load succeeded. */
void *mlc_dcurl_easy_new(long connect_timeout_ms);
void mlc_dcurl_easy_free(void *easy);

int mlc_dcurl_set_url(void *easy, const char *url);
/* The next transfer is a GET. */
int mlc_dcurl_set_get(void *easy);
/* The next transfer is a POST of `count` bytes, copied. */
int mlc_dcurl_set_post(void *easy, const void *body, long count);
/* Request header lines (a list from mlc_dcurl_list_append, owned by the caller until the transfer is done). */
int mlc_dcurl_set_headers(void *easy, void *list);
int mlc_dcurl_set_receivers(void *easy, mlc_dcurl_receiver body, mlc_dcurl_receiver header, void *context);

int mlc_dcurl_perform(void *easy);
/* The last response's HTTP status, 0 when none. */
long mlc_dcurl_status(void *easy);
const char *mlc_dcurl_describe(int code);

/* curl_slist_append / curl_slist_free_all. NULL from append means out of memory (the list is unchanged). */
void *mlc_dcurl_list_append(void *list, const char *line);
void mlc_dcurl_list_free(void *list);
#endif
