/**
 * A five-field cron expression (minute hour day-of-month month day-of-week, in UTC) as used for scheduled scans:
 * `*`, numbers, ranges `a-b`, lists `a,b` and steps `*\/n` or `a-b/n`. Day-of-week 0 or 7 is Sunday. As in cron,
 * when both day fields are restricted a day matching either one runs.
 */
export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const FIELDS: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

/** Parses a cron expression; null when it is not one. */
export function parseCron(expression: string): CronSchedule | null {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) return null;
  const sets: Array<Set<number>> = [];
  for (let i = 0; i < 5; i++) {
    const set = parseField(parts[i], FIELDS[i][0], FIELDS[i][1]);
    if (!set) return null;
    sets.push(set);
  }
  if (sets[4].has(7)) sets[4].add(0);
  return { minutes: sets[0], hours: sets[1], days: sets[2], months: sets[3], weekdays: sets[4], daysRestricted: parts[2] !== '*', weekdaysRestricted: parts[4] !== '*' };
}

function parseField(field: string, min: number, max: number): Set<number> | null {
  const out = new Set<number>();
  for (const item of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) return null;
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) return null;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

/** The first minute strictly after `after` that the schedule selects (UTC); null if none within four years. */
export function nextRun(cron: CronSchedule, after: Date): Date | null {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + 4 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!cron.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
      continue;
    }
    const dayOk = cron.daysRestricted && cron.weekdaysRestricted ? cron.days.has(t.getUTCDate()) || cron.weekdays.has(t.getUTCDay()) : cron.days.has(t.getUTCDate()) && cron.weekdays.has(t.getUTCDay());
    if (!dayOk) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
      continue;
    }
    if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
      continue;
    }
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      continue;
    }
    return t;
  }
  return null;
}
