#ifndef CPOSIX_H
#define CPOSIX_H

#include <poll.h>
#include <signal.h>

/* ppoll(2), which Swift's Glibc module hides behind _GNU_SOURCE: waits on `fds` for at most `timeout_ms`
 * milliseconds (-1: no limit) with the signal mask `mask` in place for the wait only, so a signal blocked
 * everywhere else wakes exactly this wait (EINTR) and can never slip in between a check and the wait. */
int CPosix_ppoll(struct pollfd *fds, nfds_t count, int timeout_ms, const sigset_t *mask);

/* No core dump, whatever core_pattern says (a pipe helper ignores RLIMIT_CORE; a non-dumpable process is never
 * dumped): the core size limit 0, soft and hard, and PR_SET_DUMPABLE 0. Returns 0 when both took effect. */
int CPosix_disable_core_dumps(void);

#endif
