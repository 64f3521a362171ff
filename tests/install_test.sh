#!/bin/sh
# The installed library, as a C user builds against it: cmake --install into
# a scratch prefix, then the README's example built with pkg-config (shared,
# and static with --static's Libs.private alone), and with find_package.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -u
build=$1
src=$2
pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check() { # NAME COMMAND...
    name=$1; shift
    if "$@" >"$tmp/out" 2>"$tmp/err"; then pass=$((pass + 1)); else
        echo "FAIL: $name"; sed 's/^/  /' "$tmp/err" "$tmp/out" | head -12; fail=$((fail + 1)); fi
}
prefix=$tmp/prefix
check "cmake --install" cmake --install "$build" --prefix "$prefix"
libdir=$(dirname "$(find "$prefix" -name khabar.pc | head -1)")/..
export PKG_CONFIG_PATH=$libdir/pkgconfig
check "khabar.pc" pkg-config --exists khabar
check "example, shared (pkg-config)" sh -c "cc '$src/examples/example.c' \$(pkg-config --cflags --libs khabar) -o '$tmp/example'"
check "  runs, and finds the seed's entities" sh -c "LD_LIBRARY_PATH='$libdir' '$tmp/example' '$src/examples/article.txt' | grep -q 'PER فرانك ماكنزي'"
check "  and a quote's speaker" sh -c "LD_LIBRARY_PATH='$libdir' '$tmp/example' '$src/examples/article.txt' | grep -q '^quote by '"
# Static: without the shared library, -lkhabar is the archive, and
# Libs.private must name everything it needs.
cp -r "$prefix" "$tmp/static"
rm -f "$(dirname "$(find "$tmp/static" -name khabar.pc)")"/../libkhabar.so*
check "example, static (pkg-config --static)" sh -c "PKG_CONFIG_PATH='$(dirname "$(find "$tmp/static" -name khabar.pc)")' && export PKG_CONFIG_PATH && cc '$src/examples/example.c' \$(pkg-config --static --cflags --libs khabar) -o '$tmp/example_static'"
check "  runs" sh -c "'$tmp/example_static' '$src/examples/article.txt' | grep -q 'LOC أفغانستان'"
check "find_package(khabar)" sh -c "cmake -S '$src/tests/cmake_consumer' -B '$tmp/consumer' -DCMAKE_PREFIX_PATH='$prefix' >/dev/null && cmake --build '$tmp/consumer' >/dev/null"
check "  the shared example runs" sh -c "LD_LIBRARY_PATH='$libdir' '$tmp/consumer/example_shared' '$src/examples/article.txt' | grep -q 'LOC أفغانستان'"
check "  the static example runs" sh -c "'$tmp/consumer/example_static' '$src/examples/article.txt' | grep -q 'LOC أفغانستان'"
echo "install: $pass passed, $fail failed"
[ "$fail" = 0 ]
