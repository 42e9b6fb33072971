#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>
/// libFuzzer's entry point for a program with its own main (libclang_rt.fuzzer_no_main). Declared only: the
/// fuzz build (infra/fuzz/run.sh) links the archive that defines it; a normal build never calls it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
