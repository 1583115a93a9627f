"""Print the benchmark's results (the JSON of `keguan bench`, one file per database) as one
Markdown table with the targets beside them.

    python -m keguan.bench.table var/bench/sqlite.json var/bench/postgresql.json
"""

import json
import sys

# (what, the value of one result, target text, met?)
LIST_TARGET = 50
RANKED_TARGET = 200
STATISTICS_TARGET = 300


def _page(results, prefix):
    return next((p for p in results["pages"] if p["name"].startswith(prefix)), None)


def rows(results: dict) -> list[tuple[str, str, str, bool | None]]:
    out = []
    for page in results["pages"]:
        name = page["name"]
        if name.startswith(("applications", "projects", "audit")):
            target = LIST_TARGET
        elif name.startswith("ranked"):
            target = RANKED_TARGET
        elif name.startswith("statistics"):
            target = STATISTICS_TARGET
        else:
            target = None
        value = f"{page['median_ms']} / {page['p95_ms']} ms, {'/'.join(page['queries'])} q" + (
            "" if set(page["statuses"]) == {"200"} else f" HTTP {page['statuses']}"
        )
        ok = set(page["statuses"]) == {"200"}
        met = None if target is None else ok and page["p95_ms"] <= target
        out.append((name, value, f"p95 ≤ {target} ms" if target else "", met))
    rush, check = results.get("rush"), results.get("rush_check")
    if rush:
        out.append(
            (
                f"rush: {rush['applicants']} applicants, {rush['seconds']} s",
                f"{rush['per_second']}/s ({rush['submissions']}), requests p50 "
                f"{rush['request_p50_ms']} / p99 {rush['request_p99_ms']} ms, "
                f"errors {sum(rush['errors'].values())}",
                "≥ 100/s, p99 ≤ 1000 ms",
                rush["per_second"] >= 100 and rush["request_p99_ms"] <= 1000,
            )
        )
    if check:
        out.append(
            (
                "rush check",
                f"lost {check['lost']}, duplicated {check['duplicated_titles']}, "
                f"chain {'ok' if check['chain_ok'] else 'BROKEN'} ({check['chain_events']:,})",
                "0 lost, 0 duplicated, chain ok",
                check["lost"] == 0 and check["duplicated_titles"] == 0 and check["chain_ok"],
            )
        )
    rss = results.get("rss_after_mb") or []
    out.append(
        (
            "server processes RSS",
            " / ".join(f"{mb:.0f}" for mb in rss) + " MB",
            "≤ 300 MB each",
            all(mb <= 300 for mb in rss),
        )
    )
    return out


def table(all_results: list[dict]) -> str:
    labels = [r["label"] for r in all_results]
    per = [rows(r) for r in all_results]
    lines = [
        "| measurement | " + " | ".join(labels) + " | target |",
        "|---|" + "---|" * len(labels) + "---|",
    ]
    for index, (name, _value, target, _met) in enumerate(per[0]):
        cells = []
        for result_rows in per:
            _n, value, _t, met = result_rows[index]
            mark = "" if met is None else (" ✓" if met else " ✗")
            cells.append(value + mark)
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {target} |")
    scale = ", ".join(
        f"{r['label']}: {r['rows']['applications']:,} applications" for r in all_results
    )
    lines.append("")
    lines.append(f"Latency: median / p95 of one signed-in client, queries per page. {scale}.")
    return "\n".join(lines)


if __name__ == "__main__":
    results = []
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as handle:
            results.append(json.load(handle))
    print(table(results))
