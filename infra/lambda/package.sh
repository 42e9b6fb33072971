#!/usr/bin/env bash
# Packages one deployable zip per handler for the AWS Lambda OS-only runtime provided.al2023 (DESIGN.md §5.3 item 1):
#   bootstrap   the handler binary itself, renamed (it serves the Lambda runtime loop when AWS_LAMBDA_RUNTIME_API is set)
#   lib/        the shared libraries it needs that Amazon Linux 2023 does not have, found with ldd
#               (Lambda puts /var/task/lib on LD_LIBRARY_PATH, after /lib64 and /usr/lib64)
# and checks, with objdump -T, the glibc symbol versions the binary and the bundled libraries need against
# AL2023's glibc 2.34.
#
#   infra/lambda/package.sh [--bin-dir DIR] [--out DIR]
#     --bin-dir  built binaries (default: a release build, swift build -c release)
#     --out      where the zips go (default: .build/lambda)
# Exit status: 0 when the zips run on provided.al2023; 3 when they were written but need a newer glibc than
# AL2023 has (then build on glibc <= 2.34, e.g. in an Amazon Linux 2023 container with Swift's AL2023 toolchain,
# and package again); other non-zero values for other failures.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin_dir="" out=".build/lambda"
while [ $# -gt 0 ]; do
  case $1 in
    --bin-dir) bin_dir=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--bin-dir DIR] [--out DIR]" >&2; exit 64 ;;
  esac
done
for tool in ldd objdump zip; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run infra/install-deps.sh" >&2; exit 69; }
done
if [ -z "$bin_dir" ]; then
  swift build -c release --product handle-business-event >/dev/null
  swift build -c release --product handle-slack-interaction >/dev/null
  bin_dir=$(swift build -c release --show-bin-path)
fi

# What provided.al2023 (the AL2023 minimal container image) already has: glibc, libgcc, OpenSSL 3, libcurl
# (loaded by the Lambda mode with dlopen, so ldd does not list it), zlib. Everything else ldd lists is bundled.
# libpq is not on AL2023, nor are the Kerberos, LDAP, SASL and GnuTLS libraries Debian's libpq pulls in.
present_on_al2023='^(linux-vdso\.so\.1|ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libresolv\.so\.2|libutil\.so\.1|libgcc_s\.so\.1|libcrypto\.so\.3|libssl\.so\.3|libcurl\.so\.4|libz\.so\.1)$'
al2023_glibc="2.34"

mkdir -p "$out"
verdict=0
for handler in handle-business-event handle-slack-interaction; do
  binary="$bin_dir/$handler"
  [ -x "$binary" ] || { echo "$binary is not built" >&2; exit 66; }
  stage=$(mktemp -d)
  mkdir -p "$stage/lib"
  cp "$binary" "$stage/bootstrap"
  chmod 755 "$stage/bootstrap"
  bundled=()
  while read -r soname path; do
    if [ "$path" = "not" ]; then echo "$handler: $soname is not found by ldd" >&2; exit 69; fi
    [[ $soname =~ $present_on_al2023 ]] && continue
    cp -L "$path" "$stage/lib/$soname"
    bundled+=("$soname")
  done < <(ldd "$binary" | awk '/=>/ { print $1, $3 }')

  # The glibc versions of the symbols the binary and the bundled libraries import (UND); the libraries AL2023
  # provides are its own and match its glibc.
  newest="" too_new=()
  for file in "$stage/bootstrap" "$stage"/lib/*; do
    [ -e "$file" ] || continue
    while read -r version symbol; do
      [ -n "$version" ] || continue
      if [ -z "$newest" ] || [ "$(printf '%s\n%s\n' "$newest" "$version" | sort -V | tail -1)" = "$version" ]; then newest=$version; fi
      if [ "$(printf '%s\n%s\n' "$al2023_glibc" "$version" | sort -V | tail -1)" != "$al2023_glibc" ]; then
        too_new+=("$(basename "$file"): $symbol@GLIBC_$version")
      fi
    done < <(objdump -T "$file" | awk '/\*UND\*/ && /\(GLIBC_[0-9.]+\)/ { v = $0; sub(/.*\(GLIBC_/, "", v); sub(/\).*/, "", v); print v, $NF }')
  done

  zip_path="$(cd "$out" && pwd)/$handler.zip"
  rm -f "$zip_path"
  (cd "$stage" && zip -q -X -r "$zip_path" bootstrap lib)
  rm -rf "$stage"
  echo "$handler: $zip_path ($(du -k "$zip_path" | cut -f1) KiB)"
  echo "  bundled (not on AL2023): ${bundled[*]:-none}"
  echo "  newest glibc symbol version needed: GLIBC_$newest (AL2023 has $al2023_glibc)"
  if [ ${#too_new[@]} -gt 0 ]; then
    verdict=3
    echo "  needs more than GLIBC_$al2023_glibc:"
    printf '    %s\n' "${too_new[@]}"
  fi
done
if [ $verdict -eq 0 ]; then
  echo "verdict: this build runs on provided.al2023 (glibc $al2023_glibc)"
else
  echo "verdict: this build (glibc $(ldd --version | awk 'NR == 1 { print $NF }')) does NOT run on provided.al2023: build on glibc <= $al2023_glibc (an Amazon Linux 2023 container with Swift's AL2023 toolchain) and package again"
fi
exit $verdict
