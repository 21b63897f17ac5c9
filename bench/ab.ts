/**
 * `node dist/bench/ab.js <checkout A> <checkout B>`: the hot paths of two builds of the hub side by side, for a
 * before/after on a machine whose speed drifts within minutes. Each checkout must have run `npm run build:tools`;
 * each hub runs from its own checkout's `dist` with its own database and fake GitHub. Both are warmed up, then loaded
 * alternately (A B, then B A, ...) for SECS seconds a run, ROUNDS rounds per path, and the medians and minimums of
 * their CPU per request are printed with B/A. MODES picks the paths (`me`, `plain`, `narrowed`; default all three).
 * FLAGS_A and FLAGS_B give each side's hub its own Node flags, written as BENCH_NODE_FLAGS is (`none`, `npm-start`
 * or a list; BENCH_NODE_FLAGS otherwise), so the same checkout twice compares two flag sets:
 * `FLAGS_A=none FLAGS_B=--max-semi-space-size=16 node dist/bench/ab.js . .`
 */
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import type * as Support from './support';
import type { FakeGithub as FakeGithubClass } from '../test/fakes/github/fake-github.server';

type Mode = 'me' | 'plain' | 'narrowed';
type Target = { url: string; method?: 'GET' | 'POST'; body?: string; headers: Record<string, string> };

interface Side {
  name: string;
  hub: Support.HubProcess;
  targets: Record<Mode, Target>;
  stop(): Promise<void>;
}

async function start(name: string, checkout: string, flags: string | undefined): Promise<Side> {
  const support = require(join(checkout, 'dist/bench/support.js')) as typeof Support;
  const { FakeGithub } = require(join(checkout, 'dist/test/fakes/github/fake-github.server.js')) as { FakeGithub: typeof FakeGithubClass };
  const db = await support.benchDatabase();
  const fake = await new FakeGithub({ repos: 20, installations: 2 }).start();
  const key = support.benchApiKey();
  // The side's flags are read as BENCH_NODE_FLAGS is (`none`, `npm-start` or a list), by that checkout's own support.
  const saved = process.env.BENCH_NODE_FLAGS;
  if (flags !== undefined) process.env.BENCH_NODE_FLAGS = flags;
  const hub = await support.startHubProcess(support.benchHubEnv(db.url, key, { ...fake.env, OUTBOUND_ALLOW_PRIVATE: 'true' })).finally(() => {
    if (saved === undefined) delete process.env.BENCH_NODE_FLAGS;
    else process.env.BENCH_NODE_FLAGS = saved;
  });
  const installations = [...fake.model.installations.values()];
  await support.linkInstallations(db.url, installations);
  const repo = fake.model.installationRepos(installations[0])[0].name;
  const json = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
  const mint = `${hub.url}/api/installations/${installations[0].id}/access_tokens`;
  return {
    name,
    hub,
    targets: {
      me: { url: `${hub.url}/api/users/@me`, headers: { authorization: `Bearer ${key}` } },
      plain: { url: mint, method: 'POST', body: '{}', headers: json },
      narrowed: { url: mint, method: 'POST', body: JSON.stringify({ repositories: [repo], permissions: { contents: 'read' } }), headers: json },
    },
    stop: async () => {
      await hub.stop();
      await fake.stop();
      await db.drop();
    },
  };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const [a, b] = process.argv.slice(2).map((p) => resolve(p));
  if (!a || !b) throw new Error('usage: node dist/bench/ab.js <checkout A> <checkout B>');
  const modes = (process.env.MODES ?? 'me,plain,narrowed').split(',') as Mode[];
  const rounds = Number(process.env.ROUNDS ?? 6);
  const seconds = Number(process.env.SECS ?? 3);
  const warmup = Number(process.env.BENCH_WARMUP ?? 8);
  const sides = [await start('A', a, process.env.FLAGS_A), await start('B', b, process.env.FLAGS_B)];
  try {
    for (const side of sides) for (const mode of modes) await autocannon({ ...side.targets[mode], connections: 50, duration: warmup });
    const cpu = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const mode of modes) {
        for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
          const before = side.hub.cpuMicros();
          const r = await autocannon({ ...side.targets[mode], connections: 50, duration: seconds });
          const key = `${mode} ${side.name}`;
          cpu.set(key, [...(cpu.get(key) ?? []), (side.hub.cpuMicros() - before) / r.requests.total]);
        }
      }
    }
    console.log(`A ${a} ${process.env.FLAGS_A ?? ""}\nB ${b} ${process.env.FLAGS_B ?? ""}\nhub CPU per request, ${rounds} alternating runs of ${seconds} s each after ${warmup} s of warm-up (µs)`);
    for (const mode of modes) {
      const [ra, rb] = [cpu.get(`${mode} A`) as number[], cpu.get(`${mode} B`) as number[]];
      console.log(
        `${mode.padEnd(9)} A median ${median(ra).toFixed(1)} min ${Math.min(...ra).toFixed(1)} | B median ${median(rb).toFixed(1)} min ${Math.min(...rb).toFixed(1)} | B/A ${(median(rb) / median(ra)).toFixed(3)}`,
      );
    }
    console.log(`RSS after: A ${sides[0].hub.memory().rssMb} MB, B ${sides[1].hub.memory().rssMb} MB`);
  } finally {
    for (const side of sides) await side.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
