#!/usr/bin/env bash
# Ingestion throughput of the server deployment: one `--role api` process, N `--role worker`
# processes, documents and jobs in PostgreSQL (a throwaway cluster from .ci/postgres).
#
#   bench/server-ingest.sh [WORKER_PROCESSES] [DOCUMENTS] [THREADS_PER_WORKER]   (defaults 1, 200, 1)
#
# Documents are the chapters of the public-domain novel in ../shared/data (or generated prose),
# each with a distinct first line, uploaded over HTTP as Markdown while no worker runs; then the
# workers start. Prints documents/s from the first document a worker picks up to the last one
# ready (worker start-up and upload time excluded, and reported apart).
set -euo pipefail
cd "$(dirname "$0")/.."
processes=${1:-1}
documents=${2:-200}
threads=${3:-1}

dotnet build -c Release src/Api/Rag.Api.csproj -nologo -v q >/dev/null
dll=$PWD/src/Api/bin/Release/net10.0/Rag.Api.dll
work=$(mktemp -d)
pg_folder=$(mktemp)
connection=$(bash .ci/postgres start 2>"$pg_folder")
port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$connection")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  bash .ci/postgres stop "$(tail -1 "$pg_folder")"
  rm -rf "$work" "$pg_folder"
}
trap cleanup EXIT
psql() { command psql -h 127.0.0.1 -p "$port" -U rag -d postgres -Atq "$@"; }

# The corpus: one Markdown file per chapter.
haystack=$(ls ../shared/data/niah-haystack/pride_and_prejudice.txt 2>/dev/null || true)
mkdir -p "$work/chapters"
if [ -n "$haystack" ]; then
  awk -v dir="$work/chapters" '/^(CHAPTER|Chapter) [IVXLC0-9]+/ {n++} n > 0 {print > (dir "/" n ".md")}' "$haystack"
else
  for n in $(seq 1 60); do
    for s in $(seq 1 120); do echo "The keeper trims the lantern while the tide turns at the pier, sentence $s."; done > "$work/chapters/$n.md"
  done
fi
chapters=$(ls "$work/chapters" | wc -l)

export Rag__Storage__Documents=Postgres
export Rag__Storage__Postgres__ConnectionString="$connection"
export Rag__DataPath="$work/data"
export Rag__Ingestion__Workers="$threads"
export Logging__Console__FormatterName=simple

api_port=$((port + 1000))
dotnet "$dll" --role api --urls "http://127.0.0.1:$api_port" >"$work/api.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$api_port/healthz" >/dev/null; do sleep 0.2; done

bytes=0
upload_started=$(date +%s.%N)
for i in $(seq 0 $((documents - 1))); do
  file="$work/doc-$i.md"
  { echo "# Document $i"; echo; cat "$work/chapters/$(( i % chapters + 1 )).md"; } >"$file"
  bytes=$((bytes + $(stat -c %s "$file")))
  curl -sf -o /dev/null -F "file=@$file;type=text/markdown" "http://127.0.0.1:$api_port/v1/collections/bench/documents"
done
uploaded=$(date +%s.%N)

# CPU seconds (user + system) of a set of processes, from /proc.
cpu_of() { local total=0; for pid in "$@"; do [ -r "/proc/$pid/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done; echo "$total"; }
postgres_cpu() { cpu_of $(pgrep -u postgres -d ' ' postgres); }
pg_before=$(postgres_cpu)
launched=$(date +%s.%N)
for i in $(seq 1 "$processes"); do
  dotnet "$dll" --role worker >"$work/worker-$i.log" 2>&1 &
  pids+=($!)
done
until [ "$(psql -c "SELECT count(*) FROM documents WHERE state <> 'Queued'")" -gt 0 ]; do sleep 0.05; done
started=$(date +%s.%N)
until [ "$(psql -c "SELECT count(*) FROM documents WHERE state IN ('Ready','Failed')")" -ge "$documents" ]; do sleep 0.1; done
ended=$(date +%s.%N)
ticks=$(getconf CLK_TCK)
worker_cpu=$(cpu_of "${pids[@]:1}")
pg_cpu=$(( $(postgres_cpu) - pg_before ))

failed=$(psql -c "SELECT count(*) FROM documents WHERE state = 'Failed'")
chunks=$(psql -c "SELECT count(*) FROM chunks")
awk -v p="$processes" -v t="$threads" -v d="$documents" -v b="$bytes" -v c="$chunks" -v f="$failed" -v wc="$worker_cpu" -v pc="$pg_cpu" -v hz="$ticks" -v us="$upload_started" -v u="$uploaded" -v l="$launched" -v s="$started" -v e="$ended" 'BEGIN {
  printf "| %d worker process(es) x %d thread(s) | %d documents (%.1f MB, %d chunks, %d failed) | upload %.1f s, worker start %.1f s | ingested in %.1f s | %.1f documents/s, %.2f MB/s | CPU: workers %.1f s, PostgreSQL %.1f s |\n",
    p, t, d, b / 1e6, c, f, u - us, s - l, e - s, d / (e - s), b / 1e6 / (e - s), wc / hz, pc / hz }'
