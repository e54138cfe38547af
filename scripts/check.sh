#!/usr/bin/env bash
# Every check of `make test`, in order.  Each step runs even when an earlier one failed, so one
# run shows every problem; the exit status is non-zero if any step failed.  Extra arguments
# go to pytest.  pytest's exit status 5 ("no tests ran") counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

passed=()
failed=()

step() {
    local name=$1
    shift
    echo
    echo ">>> $name: $*"
    local start=$SECONDS
    "$@"
    local rc=$?
    if [ "$rc" -eq 0 ]; then
        passed+=("$name ($((SECONDS - start))s)")
    else
        failed+=("$name (exit $rc, $((SECONDS - start))s)")
    fi
}

step "ruff check" "$BIN/ruff" check .
step "ruff format" "$BIN/ruff" format --check .
# The layers of docs/ARCHITECTURE.md: contracts in pyproject.toml ([tool.importlinter]).
step "import layers" "$BIN/lint-imports"
step "mypy" "$BIN/mypy" pledgebook
step "migrations" "$BIN/python" manage.py makemigrations --check --dry-run
step "pytest" "$BIN/pytest" "$@"

echo
for s in "${passed[@]}"; do echo "ok     $s"; done
for s in "${failed[@]+"${failed[@]}"}"; do echo "FAILED $s"; done
[ "${#failed[@]}" -eq 0 ]
