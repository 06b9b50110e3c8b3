#!/usr/bin/env bash
# Debian packages the tests need: chromium (browser tests), postgresql (the shared audit
# store's tests run against a real server), prometheus (its promtool checks and unit-tests
# deploy/prometheus/alerts.yml), nginx (the multi-replica stack, triage stack up, and its
# tests; the stack runs its own nginx master, configuration and ports, whether or not the
# package's own service runs) and valgrind (callgrind counts the instructions of the predictor
# for the regression guard, tests/test_instruction_budget.py). Installs only what is missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v callgrind_control >/dev/null 2>&1 || need+=(valgrind)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
