# shellcheck shell=bash
# Shared shell for benchmarks against a private nginx with the echo module on loopback (sourced, not run).
# The caller sets SCRIPT_DIR (holding nginx.conf.in), WORK (a temp dir) and RESPONSE_BODY, and defines log() and
# die(). Functions:
#   bench_install_packages PKG...  installs the Debian packages that are missing (apt-get, with sudo if not root)
#   nginx_start                    starts nginx from nginx.conf.in on a free port: sets PORT and NGINX_PID
#   nginx_stop                     stops it (fast shutdown, then KILL after 5 s)

bench_install_packages() {
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing: ${missing[*]}"
    local sudo=()
    if (($(id -u) != 0)); then
        command -v sudo >/dev/null || die "need root or sudo to install: ${missing[*]}"
        sudo=(sudo)
    fi
    "${sudo[@]}" apt-get update -qq || die "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        || die "apt-get install ${missing[*]} failed"
}

PORT=""
NGINX_PID=""

nginx_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

nginx_start() {
    local module
    module=$(dpkg -L libnginx-mod-http-echo 2>/dev/null | grep '/ngx_http_echo_module\.so$' | head -n 1 || true)
    [[ -n $module && -f $module ]] || die "ngx_http_echo_module.so not found in libnginx-mod-http-echo"
    local prefix="$WORK/nginx" template attempt conf
    mkdir -p "$prefix"/{client_body,proxy,fastcgi,uwsgi,scgi}
    template=$(<"$SCRIPT_DIR/nginx.conf.in")
    for attempt in 1 2 3 4 5 6 7 8; do
        PORT=$((20000 + RANDOM % 40000))
        nginx_port_in_use "$PORT" && continue
        conf=${template//@PREFIX@/"$prefix"}
        conf=${conf//@PORT@/"$PORT"}
        conf=${conf//@ECHO_MODULE@/"$module"}
        conf=${conf//@BODY@/"$RESPONSE_BODY"}
        printf '%s\n' "$conf" >"$prefix/nginx.conf"
        nginx -t -q -p "$prefix" -c "$prefix/nginx.conf" 2>"$prefix/configtest.log" \
            || die "nginx rejected the generated config: $(cat "$prefix/configtest.log")"
        nginx -p "$prefix" -c "$prefix/nginx.conf" 2>>"$prefix/stderr.log" &
        NGINX_PID=$!
        for _ in $(seq 1 50); do
            kill -0 "$NGINX_PID" 2>/dev/null || break
            if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/nope"; then
                log "nginx (pid $NGINX_PID, 1 worker) on 127.0.0.1:$PORT, prefix $prefix"
                return 0
            fi
            sleep 0.1
        done
        log "nginx did not come up on port $PORT (attempt $attempt): $(tail -n 2 "$prefix/error.log" 2>/dev/null)"
        kill -TERM "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
        NGINX_PID=""
    done
    die "could not start nginx on a free loopback port"
}

nginx_stop() {
    [[ -n $NGINX_PID ]] || return 0
    if kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -TERM "$NGINX_PID" 2>/dev/null || true # nginx master: fast shutdown, takes its worker down
        for _ in $(seq 1 50); do
            kill -0 "$NGINX_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$NGINX_PID" 2>/dev/null || true
    fi
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
}
