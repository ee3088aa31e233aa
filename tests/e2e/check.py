"""Prints the sets an audit JSON asserts on, one sorted line each.

    python check.py static  audit.json   # covered / setup_only / missing / unmatched
    python check.py runtime audit.json   # exercised / failing / declared_not_run / not_run / unattributed
    python check.py spec    live.json committed.json   # exit 1 unless the two specs are equal
"""

import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def static(audit):
    for e in audit["endpoints"]:
        yield f"{e['status']} {e['method']} {e['path']}"
    for u in audit["unmatched"]:
        yield f"unmatched {u['method']} {u['url']}"


def runtime(audit):
    for e in audit["endpoints"]:
        if "runtime" not in e:
            yield f"no-runtime {e['method']} {e['path']}"
        yield f"{e.get('runtime_status')} {e['method']} {e['path']}"
    for u in audit.get("unattributed_stats", []):
        yield f"unattributed {u['method']} {u['name']}"


def main(argv):
    mode = argv[1]
    if mode == "spec":
        return 0 if load(argv[2]) == load(argv[3]) else 1
    lines = {"static": static, "runtime": runtime}[mode](load(argv[2]))
    for line in sorted(lines):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
