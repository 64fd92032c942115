"""Writes questions.txt: the distinct questions of NQ, SQuAD and HotpotQA in ../shared/data, one per line."""
import glob, gzip, json, os, sys

data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data")
seen, questions = set(), []

def add(q):
    q = q.strip().replace("\n", " ")
    if q and len(q) < 300 and q not in seen:
        seen.add(q)
        questions.append(q)

for line in gzip.open(os.path.join(data, "nq-lost-in-the-middle", "nq-open-oracle.jsonl.gz"), "rt"):
    add(json.loads(line)["question"])

def walk(o):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "question" and isinstance(v, str):
                add(v)
            else:
                walk(v)
    elif isinstance(o, list):
        for x in o:
            walk(x)

walk(json.load(open(os.path.join(data, "squad-expmrc", "expmrc-squad-dev.json"))))
walk(json.load(open(os.path.join(data, "hotpotqa-hipporag", "hotpotqa_train.json"))))
open(os.path.join(os.path.dirname(__file__), "questions.txt"), "w").write("\n".join(questions) + "\n")
print(len(questions), "questions")
