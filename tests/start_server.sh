# Sourced by the server's test scripts and bench/serve.sh (POSIX sh):
# start_server KHABAR LOG [SERVE OPTIONS...] starts `khabar serve` on a free
# port, its stderr in LOG, and sets $server_pid and $server_port; it returns
# 1 (LOG printed) when the server does not start within 5 s.
start_server() {
    _k=$1
    _log=$2
    shift 2
    # emptied first: a log of an earlier server, still holding its port,
    # must not be read before the new server's redirection empties it
    : >"$_log"
    "$_k" serve --port 0 "$@" 2>"$_log" &
    server_pid=$!
    server_port=
    for _ in $(seq 100); do
        server_port=$(sed -n 's/.*listening on http:\/\/[^ ]*:\([0-9]*\)\/.*/\1/p' "$_log")
        [ -n "$server_port" ] && return 0
        sleep 0.05
    done
    echo "khabar serve did not start:" >&2
    cat "$_log" >&2
    return 1
}
