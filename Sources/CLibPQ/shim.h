#ifndef MLC_CLIBPQ_SHIM_H
#define MLC_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
