// Header-only: LLVMFuzzerRunDriver comes from libclang_rt.fuzzer_no_main, linked by infra/fuzz/run.sh only.
#include "CFuzzDriver.h"
