#!/usr/bin/env bash
# Conformance run: CPython 3.11's own socket/select/... test suites, natively and on Netty.PySocket.
#   interop/conformance.sh                 full run  -> artifacts/conformance/report.md, junit/{native,ours}/*.xml
#   interop/conformance.sh --quick         CI subset; prints "ours: N passed, N failed, N skipped", exits 0 if the run completed
#   interop/conformance.sh --modules test_socket --match 'BasicTCPTest*'
# Installs python3.11, libpython3.11 and libpython3.11-testsuite with apt-get when no suitable CPython 3.11 is found.
set -euo pipefail
cd "$(dirname "$0")/.."

usable() {  # $1 = interpreter: CPython 3.11 with the test package and a libpython3.11 shared library
    "$1" - <<'PY' >/dev/null 2>&1
import sys, os, sysconfig, glob
assert sys.version_info[:2] == (3, 11)
import test.support.socket_helper, test.libregrtest.main  # noqa: F401  (libpython3.11-testsuite)
libdir = sysconfig.get_config_var("LIBDIR") or ""
names = [sysconfig.get_config_var("LDLIBRARY") or "", sysconfig.get_config_var("INSTSONAME") or ""]
multi = sysconfig.get_config_var("MULTIARCH") or ""
cands = [os.path.join(d, n) for d in (libdir, os.path.join(libdir, multi)) for n in names if n]
cands += glob.glob("/usr/lib/*-linux-gnu/libpython3.11.so*")
assert any(os.path.exists(c) for c in cands)
PY
}

if [[ -n "${NETTY_PYSOCKET_PYTHON:-}" ]]; then
    PY="$NETTY_PYSOCKET_PYTHON"
elif command -v python3 >/dev/null && usable "$(command -v python3)"; then
    PY="$(command -v python3)"
elif [[ -x /usr/bin/python3.11 ]] && usable /usr/bin/python3.11; then
    PY=/usr/bin/python3.11
else
    echo "conformance.sh: installing python3.11 libpython3.11 libpython3.11-testsuite (apt-get)" >&2
    SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3.11 libpython3.11 libpython3.11-testsuite
    PY=/usr/bin/python3.11
    usable "$PY" || { echo "conformance.sh: $PY still lacks the test package or libpython3.11" >&2; exit 3; }
fi
export NETTY_PYSOCKET_PYTHON="$PY"

command -v dotnet >/dev/null || { echo "conformance.sh: the .NET 10 SDK (dotnet) is required" >&2; exit 3; }
exec dotnet run --project interop/Netty.PySocket.Host -c Release -- conformance "$@"
