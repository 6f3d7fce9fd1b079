#!/usr/bin/env python3
"""Median [min-max] over seeds of lab results folders (results/<ts>-<workload>/).

usage: seed_table.py [--skip-first-step] [--steps] [--ratio NUM:DEN]... [--class C] FOLDER...

Per policy and folder: "mean of steps" = the unweighted mean of the steps' output tok/s (llm-d's
"Output toks/s" across QPS is that mean over its 16 stages), "whole run" = output tokens delivered
during the steps / their duration, p90 TTFT over every request of those steps (timed-out requests at
their censored TTFT), cache hit of served requests. --skip-first-step leaves out step 0 (the
warm-up of the shared-prefix-llmd ladder, which llm-d's figures leave out too). --steps adds, per
step, output tok/s and p90 TTFT (steps.csv, class "all"); --ratio NUM:DEN adds, per step, NUM's
output tok/s over DEN's and DEN's p90 TTFT over NUM's, each taken per seed, then median [min-max].
--class critical|sheddable reads one priority class (steps.csv class, requests by priority >= 0 or
< 0) and adds the shares of its requests shed (429) and failed otherwise. Requests without a first
token (shed ones) are left out of the p90 TTFT.
"""
import csv, json, statistics, sys
from collections import defaultdict

def p90(values):
    values = sorted(values)
    if not values:
        return float('nan')
    return values[min(len(values) - 1, int(round(0.9 * len(values) + 0.5)) - 1)]

def in_class(priority, klass):
    return klass == 'all' or (klass == 'critical') == (int(priority) >= 0)

def folder_rows(folder, skip, klass='all'):
    summary = json.load(open(folder + '/summary.json'))
    first = 1 if skip else 0
    steps = defaultdict(dict)
    for s in summary['steps']:
        if s['class'] == klass and s['step'] >= first:
            steps[s['policy']][s['step']] = s
    reqs = defaultdict(list)
    hits = defaultdict(lambda: [0, 0])
    outcomes = defaultdict(lambda: [0, 0, 0])
    with open(folder + '/requests.csv') as f:
        for r in csv.DictReader(f):
            if int(r['step']) < first or not in_class(r['priority'], klass):
                continue
            o = outcomes[r['policy']]
            o[0] += 1
            if r['status'] == '429':
                o[1] += 1
            elif r['status'] != '200':
                o[2] += 1
            if r['ttft_s'] != '':
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
        o = outcomes[policy]
        out[policy] = (statistics.mean(tps), whole, p90(reqs[policy]), h[0] / h[1] if h[1] else 0,
                       o[1] / o[0] if o[0] else 0, o[2] / o[0] if o[0] else 0)
    return summary, out

def fmt(values, digits=0):
    values = sorted(values)
    m = statistics.median(values)
    f = (lambda v: f'{v:,.{digits}f}')
    return f'{f(m)} [{f(values[0])}–{f(values[-1])}]' if len(values) > 1 else f(m)

def step_rows(folder, klass='all'):
    """{policy: {step: (offered_qps, output tok/s, p90 TTFT)}} of steps.csv, one class."""
    out = defaultdict(dict)
    with open(folder + '/steps.csv') as f:
        for r in csv.DictReader(f):
            if r['class'] == klass:
                out[r['policy']][int(r['step'])] = (
                    float(r['offered_qps']), float(r['output_tok_per_s']), float(r['ttft_p90_s']))
    return out

def fmt_ratio(values):
    values = sorted(values)
    m = statistics.median(values)
    f = lambda v: f'{v:.2f}' if v < 100 else f'{v:,.0f}'
    return f'{f(m)} [{f(values[0])}–{f(values[-1])}]' if len(values) > 1 else f(m)

def steps_tables(folders, order, ratios, klass):
    per_folder = [step_rows(f.rstrip('/'), klass) for f in folders]
    steps = sorted({k for rows in per_folder for p in rows for k in rows[p]})
    qps = {}
    for rows in per_folder:
        for p in rows:
            for k, v in rows[p].items():
                qps[k] = v[0]
    for title, index, digits in (('output tok/s', 1, 0), ('p90 TTFT s', 2, 2)):
        print()
        print(f'{title} by step:')
        print()
        print('| step | QPS | ' + ' | '.join(f'`{p}`' for p in order) + ' |')
        print('|---:|---:|' + '---|' * len(order))
        for k in steps:
            cells = []
            for p in order:
                vals = [rows[p][k][index] for rows in per_folder if p in rows and k in rows[p]]
                cells.append(fmt(vals, digits) if vals else '')
            print(f'| {k} | {qps[k]:g} | ' + ' | '.join(cells) + ' |')
    for ratio in ratios:
        num, den = ratio.split(':')
        print()
        print(f'`{num}` against `{den}` by step (per seed, then median [min–max]):')
        print()
        print(f'| step | QPS | tok/s {num} / {den} | p90 TTFT {den} / {num} |')
        print('|---:|---:|---|---|')
        for k in steps:
            tok, ttft = [], []
            for rows in per_folder:
                if num in rows and den in rows and k in rows[num] and k in rows[den]:
                    a, b = rows[num][k], rows[den][k]
                    tok.append(a[1] / b[1] if b[1] else float('nan'))
                    ttft.append(b[2] / a[2] if a[2] else float('nan'))
            if tok:
                print(f'| {k} | {qps[k]:g} | {fmt_ratio(tok)} | {fmt_ratio(ttft)} |')

def main(argv):
    skip = '--skip-first-step' in argv
    by_step = '--steps' in argv
    ratios = [argv[i + 1] for i, a in enumerate(argv) if a == '--ratio']
    klass = next((argv[i + 1] for i, a in enumerate(argv) if a == '--class'), 'all')
    folders = [a for i, a in enumerate(argv)
               if not a.startswith('--') and (i == 0 or argv[i - 1] not in ('--ratio', '--class'))]
    table = defaultdict(lambda: defaultdict(list))
    order = []
    for folder in folders:
        summary, rows = folder_rows(folder.rstrip('/'), skip, klass)
        print(f'<!-- {folder}: {summary["command"]}; {summary["setup"][-1]} -->')
        for policy, values in rows.items():
            if policy not in order:
                order.append(policy)
            for i, v in enumerate(values):
                table[policy][i].append(v)
    extra = klass != 'all'
    print('| policy | seeds | output tok/s, mean of steps | output tok/s, whole run | p90 TTFT s | cache hit |'
          + (' shed | failed |' if extra else ''))
    print('|---|---:|---|---|---|---|' + ('---|---|' if extra else ''))
    for policy in order:
        t = table[policy]
        row = f'| `{policy}` | {len(t[0])} | {fmt(t[0])} | {fmt(t[1])} | {fmt(t[2], 2)} | {fmt([100 * x for x in t[3]])} % |'
        if extra:
            row += f' {fmt([100 * x for x in t[4]], 1)} % | {fmt([100 * x for x in t[5]], 1)} % |'
        print(row)
    if by_step or ratios:
        steps_tables(folders, order, ratios, klass)

if __name__ == '__main__':
    main(sys.argv[1:])
