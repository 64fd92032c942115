#!/bin/bash
# bench/load/run.sh DIR PORT LABEL [ENV=VALUE...]: starts DIR's Release build of the service (dotnet build -c Release
# src/Api) with the settings given, uploads Pride and Prejudice, waits until it is ready, and runs wrk over distinct
# questions (bench/load/questions.txt, written by questions.py; QUESTIONS=FILE for another list).
export HERE=$(cd "$(dirname "$0")" && pwd)
DIR=$1; PORT=$2; LABEL=$3; shift 3; EXTRA="$@"
mkdir -p /tmp/rag-load; rm -rf /tmp/rag-load/data-$LABEL
cd $DIR/src/Api/bin/Release/net10.0
env $EXTRA Rag__DataPath=/tmp/rag-load/data-$LABEL Rag__Models__BuiltInPath=/tmp/rag-tests/models dotnet Rag.Api.dll --urls http://127.0.0.1:$PORT > /tmp/rag-load/$LABEL.log 2>&1 &
PID=$!
for i in $(seq 1 60); do curl -s http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 1; done
curl -s -F file=@$HERE/../../../shared/data/niah-haystack/pride_and_prejudice.txt http://127.0.0.1:$PORT/v1/collections/pp/documents > /dev/null
for i in $(seq 1 300); do s=$(curl -s "http://127.0.0.1:$PORT/v1/collections/pp/documents?limit=1" | python3 -c "import json,sys; d=json.load(sys.stdin); print(d['documents'][0]['state'])"); [ "$s" = ready ] && break; sleep 2; done
echo "$LABEL ingested: $s"
for spec in "lexical 32 /v1/collections/pp/search" "hybrid 8 /v1/collections/pp/search" "hybrid 32 /v1/collections/pp/search" "hybrid 64 /v1/collections/pp/search" "x 16 /v1/collections/pp/ask"; do
  set -- $spec
  r=$(wrk -t2 -c$2 -d15s -s $HERE/q.lua http://127.0.0.1:$PORT -- $1 $3 | grep REQS)
  echo "$LABEL | $3 $1 | c=$2 | $r"
done
kill $PID
