"""`make bench`: every benchmark in bench/, each printing its figures."""

import importlib
import sys

SECTIONS = ["bench.foundation", "bench.documents", "bench.payments", "bench.seals", "bench.intake",
            "bench.offline_browser", "bench.pages", "bench.offline", "bench.agencies", "bench.cluster"]


def main() -> int:
    for name in SECTIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"[{name}] not present")
            continue
        print(f"[{name}]", flush=True)
        for line in module.run():
            print(f"  {line}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
