#define _GNU_SOURCE
#include "CPosix.h"

#include <stddef.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>

int CPosix_ppoll(struct pollfd *fds, nfds_t count, int timeout_ms, const sigset_t *mask) {
    if (timeout_ms < 0) return ppoll(fds, count, NULL, mask);
    struct timespec timeout = {.tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000L};
    return ppoll(fds, count, &timeout, mask);
}

int CPosix_disable_core_dumps(void) {
    struct rlimit none = {0, 0};
    int limited = setrlimit(RLIMIT_CORE, &none);
    int undumpable = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return limited == 0 && undumpable == 0 ? 0 : -1;
}
