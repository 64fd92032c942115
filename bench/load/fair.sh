#!/bin/bash
# bench/load/fair.sh DIR PORT LABEL: a 40 MB text (/tmp/big40.txt) and hostile documents (/tmp/brackets.md …, made as
# bench/README.md says), then three small uploads timed to ready.
DIR=$1; PORT=$2; LABEL=$3
rm -rf /tmp/fair-$LABEL
cd $DIR/src/Api/bin/Release/net10.0
Rag__DataPath=/tmp/fair-$LABEL Rag__Models__BuiltInPath=/tmp/rag-tests/models dotnet Rag.Api.dll --urls http://127.0.0.1:$PORT > /tmp/fair-$LABEL.log 2>&1 &
PID=$!
for i in $(seq 1 60); do curl -s http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 1; done
U=http://127.0.0.1:$PORT/v1/collections/f/documents
curl -s -F file=@/tmp/big40.txt $U > /dev/null
for f in brackets.md braces.c braces.js nested.md links.md indent.py; do curl -s -F file=@/tmp/$f $U > /dev/null; done
sleep 15
for k in 1 2 3; do
  printf 'Note %s: the pier lamp %s is lit at dusk.\n' $k $k > /tmp/small-$k.txt
  start=$(date +%s.%N)
  url=$(curl -s -F file=@/tmp/small-$k.txt $U | python3 -c "import json,sys; print(json.load(sys.stdin)['status_url'])")
  for i in $(seq 1 600); do s=$(curl -s http://127.0.0.1:$PORT$url | python3 -c "import json,sys; print(json.load(sys.stdin)['state'])"); [ "$s" = ready ] && break; sleep 0.2; done
  end=$(date +%s.%N)
  echo "$LABEL small $k: $s after $(python3 -c "print(round($end-$start,1))") s"
  sleep 10
done
curl -s "$U?limit=20" | python3 -c "import json,sys; d=json.load(sys.stdin); print('$LABEL', [(x['file_name'],x['state'][:5],x['progress']) for x in d['documents']])"
kill $PID
