#!/usr/bin/env bash
# Validates infra/lambda/template.yaml offline with cfn-lint (it expands the SAM transform itself). Uses cfn-lint
# from PATH, else installs it with pip into a virtual environment of its own (.build/cfn-lint-venv).
#   infra/lambda/lint.sh [--install-only]
# Exit status: cfn-lint's, or 77 when cfn-lint is missing and pip cannot install it.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=.build/cfn-lint-venv
lint=$(command -v cfn-lint || true)
if [ -z "$lint" ]; then
  if [ ! -x "$venv/bin/cfn-lint" ]; then
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q cfn-lint; } >&2; then
      echo "cfn-lint is not installed and pip could not install it (python3-venv missing, or PyPI unreachable)" >&2
      exit 77
    fi
  fi
  lint=$venv/bin/cfn-lint
fi
[ "${1:-}" = "--install-only" ] && exit 0
"$lint" infra/lambda/template.yaml
