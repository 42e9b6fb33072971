#define _GNU_SOURCE
#include "CPosix.h"

#include <stddef.h>
#include <time.h>

int CPosix_ppoll(struct pollfd *fds, nfds_t count, int timeout_ms, const sigset_t *mask) {
    if (timeout_ms < 0) return ppoll(fds, count, NULL, mask);
    struct timespec timeout = {.tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000L};
    return ppoll(fds, count, &timeout, mask);
}
