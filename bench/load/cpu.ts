import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds (user + system) used so far by each named process and its descendants (Linux
 * /proc), a descendant that is named itself being counted under its own name only.
 */
export function cpuSeconds(pids: Record<string, number>): Record<string, number> {
  const tick = clockTicks();
  const children = childrenByParent();
  const named = new Set(Object.values(pids));
  const out: Record<string, number> = {};
  for (const [name, pid] of Object.entries(pids)) {
    let total = 0;
    const stack = [pid];
    const seen = new Set<number>();
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p) || (p !== pid && named.has(p))) continue;
      seen.add(p);
      total += ticksOf(p);
      stack.push(...(children.get(p) ?? []));
    }
    out[name] = total / tick;
  }
  return out;
}

/** % of one core each process used between two `cpuSeconds` readings `wallMs` apart. */
export function cpuPercent(before: Record<string, number>, after: Record<string, number>, wallMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(after)) {
    if (before[name] === undefined) continue;
    out[name] = Math.round(((after[name] - before[name]) / (wallMs / 1000)) * 1000) / 10;
  }
  return out;
}

let ticks: number | undefined;
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; everything after its closing parenthesis splits cleanly.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function ticksOf(pid: number): number {
  const fields = statFields(pid);
  // After the name: state(3) ppid(4) ... utime(14) stime(15), i.e. indexes 11 and 12 here.
  return fields ? Number(fields[11]) + Number(fields[12]) : 0;
}

function childrenByParent(): Map<number, number[]> {
  const map = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return map;
  }
  for (const entry of entries) {
    const fields = statFields(Number(entry));
    if (!fields) continue;
    const parent = Number(fields[1]);
    map.set(parent, [...(map.get(parent) ?? []), Number(entry)]);
  }
  return map;
}

/** CPU seconds the whole machine spent busy (all cores, every process), from /proc/stat. */
export function machineBusySeconds(): number {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + (steal || 0)) / clockTicks();
  } catch {
    return NaN;
  }
}
