#ifndef MLC_CPROCESS_SHIM_H
#define MLC_CPROCESS_SHIM_H
#include <sys/prctl.h>
#include <sys/resource.h>

/* No core dump, whatever core_pattern says (a pipe helper ignores RLIMIT_CORE; a non-dumpable process is never
   dumped): returns 0 when both took effect. prctl is variadic, which Swift cannot call. */
static inline int mlc_disable_core_dumps(void) {
    struct rlimit none = {0, 0};
    int limited = setrlimit(RLIMIT_CORE, &none);
    int undumpable = prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    return limited == 0 && undumpable == 0 ? 0 : -1;
}
#endif
