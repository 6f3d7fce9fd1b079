#!/usr/bin/env python3
"""Median [min-max] over seeds of lab results folders (results/<ts>-<workload>/).

usage: seed_table.py [--skip-first-step] FOLDER...

Per policy and folder: "mean of steps" = the unweighted mean of the steps' output tok/s (llm-d's
"Output toks/s" across QPS is that mean over its 16 stages), "whole run" = output tokens delivered
during the steps / their duration, p90 TTFT over every request of those steps (timed-out requests at
their censored TTFT), cache hit of served requests. --skip-first-step leaves out step 0 (the
warm-up of the shared-prefix-llmd ladder, which llm-d's figures leave out too).
"""
import csv, json, statistics, sys
from collections import defaultdict

def p90(values):
    values = sorted(values)
    if not values:
        return float('nan')
    return values[min(len(values) - 1, int(round(0.9 * len(values) + 0.5)) - 1)]

def folder_rows(folder, skip):
    summary = json.load(open(folder + '/summary.json'))
    first = 1 if skip else 0
    steps = defaultdict(dict)
    for s in summary['steps']:
        if s['class'] == 'all' and s['step'] >= first:
            steps[s['policy']][s['step']] = s
    reqs = defaultdict(list)
    hits = defaultdict(lambda: [0, 0])
    with open(folder + '/requests.csv') as f:
        for r in csv.DictReader(f):
            if int(r['step']) < first:
                continue
            reqs[r['policy']].append(float(r['ttft_s']))
            if r['status'] == '200':
                hits[r['policy']][0] += int(r['cached_tokens'])
                hits[r['policy']][1] += int(r['prompt_tokens'])
    out = {}
    for policy, by_step in steps.items():
        tps = [by_step[k]['outputTokensPerSecond'] for k in sorted(by_step)]
        dur = [by_step[k]['durationSeconds'] for k in sorted(by_step)]
        whole = sum(t * d for t, d in zip(tps, dur)) / sum(dur)
        h = hits[policy]
        out[policy] = (statistics.mean(tps), whole, p90(reqs[policy]), h[0] / h[1] if h[1] else 0)
    return summary, out

def fmt(values, digits=0):
    values = sorted(values)
    m = statistics.median(values)
    f = (lambda v: f'{v:,.{digits}f}')
    return f'{f(m)} [{f(values[0])}–{f(values[-1])}]' if len(values) > 1 else f(m)

def main(argv):
    skip = '--skip-first-step' in argv
    folders = [a for a in argv if not a.startswith('--')]
    table = defaultdict(lambda: defaultdict(list))
    order = []
    for folder in folders:
        summary, rows = folder_rows(folder.rstrip('/'), skip)
        print(f'<!-- {folder}: {summary["command"]}; {summary["setup"][-1]} -->')
        for policy, values in rows.items():
            if policy not in order:
                order.append(policy)
            for i, v in enumerate(values):
                table[policy][i].append(v)
    print('| policy | seeds | output tok/s, mean of steps | output tok/s, whole run | p90 TTFT s | cache hit |')
    print('|---|---:|---|---|---|---|')
    for policy in order:
        t = table[policy]
        print(f'| `{policy}` | {len(t[0])} | {fmt(t[0])} | {fmt(t[1])} | {fmt(t[2], 2)} | {fmt([100 * x for x in t[3]])} % |')

if __name__ == '__main__':
    main(sys.argv[1:])
