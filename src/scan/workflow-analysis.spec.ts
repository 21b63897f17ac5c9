import { analyseWorkflows } from './workflow-analysis';

const SHA = 'a'.repeat(40);
const one = (text: string, name = 'ci.yml') => analyseWorkflows([{ name, text }]);

describe('analyseWorkflows (Scorecard Dangerous-Workflow and Pinned-Dependencies)', () => {
  it('flags a pull_request_target or workflow_run checkout of the head, not a plain checkout or a pull_request one', () => {
    const head = (on: string, ref: string) => `on: ${on}\njobs:\n  t:\n    steps:\n      - uses: actions/checkout@${SHA}\n        with:\n          ref: ${ref}\n`;
    expect(one(head('pull_request_target', '${{ github.event.pull_request.head.sha }}')).untrustedCheckouts).toEqual(['ci.yml: t']);
    expect(one(head('[workflow_run]', '${{ github.event.workflow_run.head_branch }}')).untrustedCheckouts).toEqual(['ci.yml: t']);
    expect(one(head('pull_request_target', 'refs/pull/${{ github.event.number }}/merge')).untrustedCheckouts).toEqual(['ci.yml: t']);
    expect(one(head('pull_request', '${{ github.event.pull_request.head.sha }}')).untrustedCheckouts).toEqual([]);
    expect(one(head('pull_request_target', 'main')).untrustedCheckouts).toEqual([]);
  });

  it('flags attacker-controlled github.event text in run: and github-script, not numbers or env indirection', () => {
    const w = one(`on: [issue_comment]
jobs:
  a:
    steps:
      - run: echo "\${{ github.event.comment.body }} \${{ github.event.issue.number }}"
      - uses: actions/github-script@${SHA}
        with:
          script: console.log("\${{ github.event.pull_request.title }}")
      - env: { BODY: "\${{ github.event.comment.body }}" }
        run: echo "$BODY \${{ github.head_ref }}"
`);
    expect(w.scriptInjections).toEqual(['ci.yml: a: github.event.comment.body', 'ci.yml: a: github.event.pull_request.title', 'ci.yml: a: github.head_ref']);
  });

  it('flags actions and reusable workflows not pinned by a full SHA; local actions and docker digests are pinned', () => {
    const w = one(`on: push
jobs:
  call:
    uses: org/shared/.github/workflows/build.yml@v1
  b:
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@${SHA}
      - uses: ./local
      - uses: docker://alpine:3
      - uses: docker://alpine@sha256:${'b'.repeat(64)}
`);
    expect(w.unpinnedActions).toEqual(['ci.yml: org/shared/.github/workflows/build.yml@v1', 'ci.yml: actions/checkout@v4', 'ci.yml: docker://alpine:3']);
  });

  it('counts only YAML files, records unparsable or truncated ones and caps long lists', () => {
    const steps = Array.from({ length: 30 }, (_, i) => `      - uses: o/a${i}@v1`).join('\n');
    const w = analyseWorkflows([
      { name: 'README.md', text: '# not a workflow' },
      { name: 'bad.yml', text: 'on: [push\njobs: {' },
      { name: 'big.yaml', text: null, truncated: true },
      { name: 'many.yml', text: `on: push\njobs:\n  x:\n    steps:\n${steps}\n` },
    ]);
    expect(w).toMatchObject({ files: 3, unreadable: ['bad.yml', 'big.yaml'] });
    expect(w.unpinnedActions).toHaveLength(26);
    expect(w.unpinnedActions[25]).toBe('… 5 more');
  });
});
