#!/usr/bin/env bash
# Checks that every C++ source file is formatted as .clang-format says (clang-format 19, Debian's
# clang-format-19). Run by the test command; `scripts/check_format.sh --fix` reformats in place.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cc' '*.hh' '*.h' '*.cpp')
if [ "${1:-}" = "--fix" ]; then
  clang-format-19 -i "${files[@]}"
  exit 0
fi
if ! clang-format-19 --dry-run -Werror "${files[@]}" 2>/tmp/airwasm-format.$$; then
  grep -o '^[^:]*' /tmp/airwasm-format.$$ | sort -u | sed 's/^/not formatted: /'
  rm -f /tmp/airwasm-format.$$
  echo "run scripts/check_format.sh --fix" >&2
  exit 1
fi
rm -f /tmp/airwasm-format.$$
echo "format: ${#files[@]} files formatted"
