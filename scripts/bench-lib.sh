# Shared by scripts/bench-api and scripts/bench-pipeline (sourced): builds the generated
# organisation once per backend, serves it, signs the demo admin in for an API token and runs wrk.
# Expects LADDER_BIN, DIR, EMPLOYEES, SEED, THROUGH, PASSWORD, ADMIN, PG_ADMIN, PG_NAME,
# THREADS, CONNECTIONS and DURATION to be set, and ROWS to be an array.

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=
}
trap stop_server EXIT

# SQL against the benchmark database, one value per line.
query() { # backend url sql
  if [ "$1" = sqlite ]; then sqlite3 "${2#sqlite://}" "$3"; else psql -qtA "$2" -c "$3"; fi
}

build() { # backend url
  local backend=$1 url=$2 fresh=${BENCH_REBUILD:-0}
  if [ "$backend" = sqlite ]; then
    if [ "$fresh" = 1 ] || [ ! -s "${url#sqlite://}" ]; then
      rm -f "${url#sqlite://}"*
      fresh=1
    fi
  else
    local exists
    exists=$(psql -qtA "$PG_ADMIN" -c "SELECT 1 FROM pg_database WHERE datname = '$PG_NAME'")
    if [ "$fresh" = 1 ] || [ "$exists" != 1 ]; then
      psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_NAME WITH (FORCE)" -c "CREATE DATABASE $PG_NAME" >/dev/null
      fresh=1
    fi
  fi
  if [ "$fresh" = 1 ]; then
    echo "== $backend: building $EMPLOYEES people (seed $SEED, through $THROUGH)" >&2
    local started=$SECONDS
    "$LADDER_BIN" demo --no-serve --database "$url" --employees "$EMPLOYEES" --seed "$SEED" --through "$THROUGH" \
      --password "$PASSWORD" >"$DIR/demo-$backend.txt"
    echo "   built in $((SECONDS - started)) s: $(grep 'rows written' "$DIR/demo-$backend.txt" | xargs)" >&2
  else
    echo "== $backend: reusing the organisation built earlier (BENCH_REBUILD=1 to rebuild)" >&2
  fi
}

serve() { # backend url
  local log=$DIR/serve-$1.txt
  RUST_LOG=warn "$LADDER_BIN" serve --database "$2" --bind 127.0.0.1:0 >"$log" 2>"$DIR/serve-$1.err" &
  SERVER_PID=$!
  for _ in $(seq 1 600); do
    BASE=$(sed -n 's/^Ladder is listening on //p' "$log" | head -n1)
    [ -n "$BASE" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$DIR/serve-$1.err" >&2; exit 1; }
    sleep 0.1
  done
  echo "the server did not start" >&2
  exit 1
}

token() {
  local jar=$DIR/cookies
  rm -f "$jar"
  local csrf
  csrf=$(curl -sf -c "$jar" -H 'content-type: application/json' \
    -d "{\"email\":\"$ADMIN\",\"password\":\"$PASSWORD\"}" "$BASE/api/v1/session" | jq -r .csrf_token)
  curl -sf -b "$jar" -H 'content-type: application/json' -H "x-csrf-token: $csrf" \
    -d '{"name":"bench-api"}' "$BASE/api/v1/me/tokens" | jq -r .token
}

# A wrk script requesting PATH_PREFIX{id}PATH_SUFFIX for a random id of the file each time.
lua() { # ids-file prefix suffix out
  {
    echo "local ids = {"
    paste -sd, "$1"
    echo "}"
    echo "local prefix, suffix = \"$2\", \"$3\""
    cat <<'LUA'
math.randomseed(42)
request = function()
  return wrk.format("GET", prefix .. ids[math.random(#ids)] .. suffix)
end
LUA
  } >"$4"
}

measure() { # backend label path-or-script
  local backend=$1 label=$2 target=$3 out=$DIR/wrk.txt
  local args=(-t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -H "Authorization: Bearer $TOKEN")
  if [[ $target == *.lua ]]; then
    wrk "${args[@]}" -s "$target" "$BASE" >"$out"
  else
    wrk "${args[@]}" "$BASE$target" >"$out"
  fi
  local rps p50 p99 total errors
  rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  total=$(awk '/requests in/ {print $1}' "$out")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")
  errors=${errors:-0}
  echo "   $label: $rps req/s, p50 $p50, p99 $p99 ($total requests, $errors not 2xx)" >&2
  ROWS+=("| $(date +%F) | $backend | $label | $rps | $p50 | $p99 | $total | $errors |")
}

