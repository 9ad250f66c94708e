#!/usr/bin/env python3
"""Judge a run of tests/security/run-scanners.sh: read its work directory, print every
finding and a summary, exit 1 when anything of medium severity or higher (or an incomplete
scan) was found, 0 otherwise.

    python3 tests/security/report.py WORK_DIR

Severities (see README.md, "How findings are judged"):
  sqlmap   an injection point sqlmap confirmed ........................ high
           a heuristic hint of a database error in the page ........... medium
           a heuristic hint of reflected XSS / file inclusion ......... low (printed, not failing)
  wapiti   vulnerabilities and anomalies at wapiti's own level: 4 critical, 3 high,
           2 medium, 1 low, 0 info; "Open Redirect" (which 3.0.4 rates low) is raised to medium
  server   any response with status >= 500, grouped by scanner, method and path, with up to
           three of the requests (URL and body as the app received them) .......... medium
           (wapiti's "Internal Server Error" anomalies are folded into these)
           any request that reached the SSRF canary ............................... critical
  open-redirect  a login redirectTo that sent the browser off the site ........ high
                 one that gave no redirect at all .............................. error
  harness  a scan that did not finish (timeout, crash, lost session) ....... error (failing)
"""
import json
import os
import re
import sys
from collections import Counter, defaultdict
from urllib.parse import unquote_plus

SEVERITIES = ["critical", "high", "medium", "low", "info", "error"]
FAILING = {"critical", "high", "medium", "error"}
WAPITI_LEVELS = {4: "critical", 3: "high", 2: "medium", 1: "low", 0: "info"}
RAISED = {"Open Redirect": "medium"}
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except FileNotFoundError:
        return default


def read_json(path, default=None):
    text = read(path)
    if not text.strip():
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def read_tsv(path):
    return [line.rstrip("\n").split("\t") for line in read(path).splitlines() if line.strip()]


def short(text, limit=600):
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


class Findings:
    def __init__(self):
        self.items = []

    def add(self, severity, source, title, details=""):
        self.items.append({"severity": severity, "source": source, "title": title, "details": details})

    def by_severity(self):
        return Counter(item["severity"] for item in self.items)


def decode_form(body):
    return "&".join(f"{unquote_plus(k)}={unquote_plus(v)}" for k, _, v in (pair.partition("=") for pair in body.split("&")))


def judge_sqlmap(work, findings, summary):
    base = os.path.join(work, "sqlmap")
    rows = read_tsv(os.path.join(base, "runs.tsv"))
    summary["sqlmap_targets"] = len(rows)
    summary["sqlmap_clean"] = 0
    for row in rows:
        name, auth, method, url, rc, seconds = row[:6]
        level = row[6] if len(row) > 6 else "?"
        folder = os.path.join(base, name)
        out = ANSI.sub("", read(os.path.join(folder, "stdout.txt")))
        where = f"{method} {url}" + (f"  [{auth}]" if auth != "none" else "")
        log = read(os.path.join(folder, "out", "127.0.0.1", "log"))
        injectable = "identified the following injection point" in out or log.strip()
        if injectable:
            block = log.strip() or out.split("identified the following injection point", 1)[1].split("\n\n[", 1)[0]
            findings.add("high", f"sqlmap:{name}", f"SQL injection confirmed: {where}", short(block, 2000))
        for line in sorted(set(re.findall(r"^.*\bappears to be '.*' injectable.*$", out, re.M))):
            findings.add("info", f"sqlmap:{name}", "sqlmap's first impression (later checks decide): " + line.split("] ", 2)[-1])
        for param, dbms in sorted(set(re.findall(r"heuristic \(basic\) test shows that (.+?) might be injectable \(possible DBMS: '([^']+)'\)", out))):
            findings.add("medium", f"sqlmap:{name}", f"database error text in the page for {param} (possible DBMS {dbms}): {where}")
        for param in sorted(set(re.findall(r"heuristic \(XSS\) test shows that (.+?) might be vulnerable to cross-site scripting", out))):
            findings.add("low", f"sqlmap:{name}", f"{param} is reflected with its <'\"> characters somewhere in the response (sqlmap heuristic; React escapes HTML, JSON echoes are not markup): {where}")
        for param in sorted(set(re.findall(r"heuristic \(FI\) test shows that (.+?) might be vulnerable to file inclusion", out))):
            findings.add("low", f"sqlmap:{name}", f"{param} might be vulnerable to file inclusion (sqlmap heuristic): {where}")
        codes = re.search(r"HTTP error codes detected during run:\n(.+)", out)
        codes = codes.group(1).strip() if codes else ""
        finished = "all tested parameters do not appear to be injectable" in out or injectable
        if rc == "124":
            findings.add("error", f"sqlmap:{name}", f"sqlmap ran out of its time ({seconds} s) before finishing: {where}")
        elif not finished:
            critical = "\n".join(sorted(set(re.findall(r"^.*\[CRITICAL\].*$", out, re.M)))) or out.strip()[-800:]
            findings.add("error", f"sqlmap:{name}", f"sqlmap did not finish its tests (exit {rc}): {where}", short(critical, 1500))
        elif not injectable:
            summary["sqlmap_clean"] += 1
        summary.setdefault("sqlmap_rows", []).append((name, level, seconds, codes or "-"))


def judge_wapiti(work, findings, summary):
    base = os.path.join(work, "wapiti")
    rows = read_tsv(os.path.join(base, "runs.tsv"))
    examples = defaultdict(list)
    summary["wapiti_runs"] = []
    for user, rc, seconds in rows:
        source = f"wapiti:{user}"
        out = ANSI.sub("", read(os.path.join(base, f"{user}.out")))
        report = read_json(os.path.join(base, f"{user}.json"))
        crawled = re.search(r"Wapiti found (\d+) URLs and forms", out)
        summary["wapiti_runs"].append((user, crawled.group(1) if crawled else "?", seconds))
        if report is None:
            findings.add("error", source, f"wapiti wrote no report (exit {rc})", short(out.strip()[-1500:], 1500))
            continue
        if rc == "124":
            findings.add("error", source, f"wapiti ran out of its time ({seconds} s); the report covers what it did before")
        for kind in ("vulnerabilities", "anomalies"):
            for category, items in sorted((report.get(kind) or {}).items()):
                for item in items:
                    level = WAPITI_LEVELS.get(int(item.get("level") or 0), "info")
                    if category in RAISED and SEVERITIES.index(RAISED[category]) < SEVERITIES.index(level):
                        level = RAISED[category]
                    where = f"{item.get('method')} {item.get('path')}" + (f" parameter {item.get('parameter')}" if item.get("parameter") else "")
                    if kind == "anomalies" and category == "Internal Server Error":
                        http_request = item.get("http_request", "")
                        body = http_request.strip().splitlines()[-1] if "\n\n" in http_request.strip() else ""
                        decoded = f"decoded: {decode_form(body)}" if "=" in body else ""
                        examples[(source, item.get("method"), item.get("path"))].append(short(http_request, 1200) + ("\n" + short(decoded, 1200) if decoded else ""))
                        continue
                    details = short(item.get("info", ""), 600) + "\n" + short(item.get("http_request", ""), 1200)
                    findings.add(level, source, f"{category} ({kind[:-1] if kind != 'vulnerabilities' else 'vulnerability'}): {where}", details)
    return examples


def judge_server(work, findings, summary, wapiti_examples):
    groups = defaultdict(list)
    for line in read(os.path.join(work, "5xx.jsonl")).splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        path = entry["url"].split("?", 1)[0]
        groups[(entry["target"], entry["method"], path)].append(entry)
    summary["server_5xx"] = sum(len(v) for v in groups.values())
    for (target, method, path), entries in sorted(groups.items()):
        statuses = Counter(str(e["status"]) for e in entries)
        lines = [f"{len(entries)} response(s) {dict(statuses)}; first at {entries[0]['at']}"]
        seen = set()
        for entry in entries:
            body = entry.get("body") or ""
            if "urlencoded" in (entry.get("contentType") or "") and body:
                body = decode_form(body)
            example = f"{entry['method']} {unquote_plus(entry['url'])}" + (f"\n  body: {short(body, 1500)}" if body else "")
            if example not in seen and len(seen) < 3:
                seen.add(example)
                lines.append(f"--- e.g. {example}")
        if not any(entry.get("body") for entry in entries):
            for request in wapiti_examples.get((target, method, path), [])[:2]:
                lines.append(f"--- wapiti's request (its 'Internal Server Error' anomaly):\n{request}")
        findings.add("medium", f"server ({target})", f"HTTP {'/'.join(sorted(statuses))} from {method} {path}", "\n".join(lines))
    stack = re.findall(r"^(\w*Error: .*)$", read(os.path.join(work, "server.log")), re.M)
    summary["server_errors"] = Counter(stack).most_common(5)
    hits = [json.loads(line) for line in read(os.path.join(work, "ssrf-hits.jsonl")).splitlines() if line.strip()]
    for hit in hits:
        findings.add("critical", "server (SSRF canary)", f"the app made an outgoing {hit.get('method')} request to the canary: {hit.get('path')}", json.dumps(hit))


def judge_redirects(work, findings, summary):
    rows = read_tsv(os.path.join(work, "redirects.tsv"))
    summary["redirects"] = (len(rows), sum(1 for row in rows if row[0] == "on-site"))
    for row in rows:
        verdict, name, status, location, value = (row + [""] * 5)[:5]
        if verdict == "OFF-SITE":
            findings.add("high", "open-redirect", f"POST /login with redirectTo {value} ({name}) sent the browser off the site: HTTP {status}, Location {location}")
        elif verdict != "on-site":
            findings.add("error", "open-redirect", f"POST /login with redirectTo {value} ({name}) gave no redirect: HTTP {status}, {location}")


def judge_harness(work, findings):
    for row in read_tsv(os.path.join(work, "harness.tsv")):
        severity, source, message = (row + ["", "", ""])[:3]
        findings.add(severity or "error", source, message)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    work = sys.argv[1]
    findings = Findings()
    summary = {}
    judge_sqlmap(work, findings, summary)
    wapiti_examples = judge_wapiti(work, findings, summary)
    judge_server(work, findings, summary, wapiti_examples)
    judge_redirects(work, findings, summary)
    judge_harness(work, findings)
    meta = read_json(os.path.join(work, "run.json"), {}) or {}
    requests = read_json(os.path.join(work, "requests.json"), {}) or {}

    print("\n================ Findings ================")
    ordered = sorted(findings.items, key=lambda f: SEVERITIES.index(f["severity"]) if f["severity"] != "error" else -1)
    shown = [f for f in ordered if f["severity"] != "info"]
    if not shown:
        print("none")
    for item in shown:
        print(f"\n[{item['severity'].upper()}] {item['source']}: {item['title']}")
        if item["details"].strip():
            print("    " + item["details"].strip().replace("\n", "\n    "))
    info = [f for f in ordered if f["severity"] == "info"]
    if info:
        print(f"\n({len(info)} informational note(s) in the scanners' own output, e.g. sqlmap's first impressions that its later checks rejected)")

    print("\n================ Summary ================")
    print(f"mode: {meta.get('mode', '?')}   app: {meta.get('origin', '?')} ({meta.get('database', '?')})   sqlmap level {meta.get('level', '?')} risk {meta.get('risk', '?')}")
    if "sqlmap_rows" in summary:
        print(f"sqlmap: {summary['sqlmap_targets']} targets, {summary['sqlmap_clean']} clean")
        for name, level, seconds, codes in summary["sqlmap_rows"]:
            print(f"    {name:<24} level {level} {seconds:>5} s   HTTP errors: {codes}")
    for user, crawled, seconds in summary.get("wapiti_runs", []):
        print(f"wapiti as {user}: {crawled} URLs and forms crawled and attacked, {seconds} s (modules: {meta.get('wapiti_modules', '?')})")
    if requests:
        per_scanner = Counter()
        for target, counts in requests.items():
            per_scanner[target.split(":", 1)[0]] += sum(counts.values())
        print("requests served: " + ", ".join(f"{k} {v}" for k, v in sorted(per_scanner.items())))
    if summary.get("redirects", (0, 0))[0]:
        print(f"open redirects: {summary['redirects'][0]} forms of login's redirectTo, {summary['redirects'][1]} stayed on the site")
    print(f"server 5xx responses: {summary.get('server_5xx', 0)}")
    for text, count in summary.get("server_errors", []):
        print(f"    server log: {count} x {text}")
    counts = findings.by_severity()
    print("findings: " + ", ".join(f"{s} {counts.get(s, 0)}" for s in SEVERITIES))
    if meta.get("seconds"):
        print(f"time: {meta['seconds']} s (setup {meta.get('setup_seconds', '?')} s, sqlmap {meta.get('sqlmap_seconds', '-')} s, wapiti {meta.get('wapiti_seconds', '-')} s)")
    failing = sum(counts.get(s, 0) for s in FAILING)
    print(f"RESULT: {'FAIL' if failing else 'PASS'} ({failing} finding(s) of medium severity or higher, or incomplete scans)")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
