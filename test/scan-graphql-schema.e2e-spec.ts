import { parse, validate } from 'graphql';
import { repositoriesQuery } from '../src/scan/github-org-query';
import { githubGraphqlSchema } from './fakes/github/fake-github.graphql';
import { FakeGithub } from './fakes/github/fake-github.server';
import { loadAppPrivateKey, signAppJwt } from '../src/github/github-app-jwt';

/** Every query the hub sends validates against GitHub's published GraphQL schema (@octokit/graphql-schema). */
describe('scan GraphQL queries (@octokit/graphql-schema)', () => {
  const combos = [false, true].flatMap((administration) => [false, true].flatMap((contents) => [false, true].map((vulnerabilityAlerts) => ({ administration, contents, vulnerabilityAlerts }))));

  it.each(combos)('validates with %o', (features) => {
    expect(validate(githubGraphqlSchema(), parse(repositoriesQuery(features))).map((e) => e.message)).toEqual([]);
  });

  it('the fake refuses what GitHub refuses and gates fields on the token permissions', async () => {
    const fake = await new FakeGithub({ repos: 120 }).start();
    try {
      const jwt = signAppJwt(loadAppPrivateKey(fake.privateKeyPem), String(fake.appId)).jwt;
      const minted = (await (await fetch(`${fake.url}/app/installations/${fake.installation.id}/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } })).json()) as { token: string };
      const gql = async (query: string, variables: Record<string, unknown> = {}) =>
        (await (await fetch(`${fake.url}/graphql`, { method: 'POST', headers: { authorization: `token ${minted.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })).json()) as { data?: any; errors?: Array<{ message: string; type?: string; path?: unknown[] }> };
      expect((await gql('{ repositoryOwner(login: "acme-org") { nonsense } }')).errors?.[0].message).toMatch(/Cannot query field "nonsense"/);
      const query = repositoriesQuery({ administration: true, contents: true, vulnerabilityAlerts: true });
      const [repo0] = fake.model.installationRepos(fake.installation);
      repo0.rulesets = [fake.model.ruleset({ name: 'org-main', source: 'organization', bypassActors: 1, rules: [{ type: 'pull_request', parameters: { required_approving_review_count: 2 } }, { type: 'deletion' }] })];
      const first = await gql(query, { login: 'acme-org', first: 100 });
      expect(first.data.repositoryOwner.repositories.nodes[0].rulesets).toEqual({
        totalCount: 1,
        nodes: [
          {
            name: 'org-main',
            enforcement: 'ACTIVE',
            source: { __typename: 'Organization' },
            conditions: { refName: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
            bypassActors: { totalCount: 1 },
            rules: {
              totalCount: 2,
              nodes: [
                { type: 'PULL_REQUEST', parameters: { __typename: 'PullRequestParameters', requiredApprovingReviewCount: 2, requireCodeOwnerReview: false, dismissStaleReviewsOnPush: false, requireLastPushApproval: false, requiredReviewThreadResolution: false } },
                { type: 'DELETION', parameters: null },
              ],
            },
          },
        ],
      });
      expect(first.data.repositoryOwner.repositories).toMatchObject({ totalCount: 120, pageInfo: { hasNextPage: true } });
      // Workflow files come as a tree with their text; release branches with the rule GitHub applies; deploy keys.
      const [, repo1] = fake.model.installationRepos(fake.installation);
      repo1.files = { ...repo1.files, '.github/workflows/ci.yml': 'on: push\n', '.github/workflows/lib/x.yml': 'a: 1\n' };
      repo1.branches = ['release/2'];
      repo1.deployKeys = [{ title: 'deploy', readOnly: false }];
      const again = await gql(query, { login: 'acme-org', first: 2 });
      expect(again.data.repositoryOwner.repositories.nodes[1]).toMatchObject({
        workflows: { entries: [{ name: 'ci.yml', type: 'blob', object: { text: 'on: push\n', isTruncated: false } }, { name: 'lib', type: 'tree', object: {} }] },
        releaseBranches: { totalCount: 1, nodes: [{ name: 'release/2', branchProtectionRule: null }] },
        deployKeys: { totalCount: 1, nodes: [{ title: 'deploy', readOnly: false }] },
        defaultBranchRef: { branchProtectionRule: null },
      });
      expect(again.data.repositoryOwner.repositories.nodes[0]).toMatchObject({ workflows: null, releaseBranches: { totalCount: 0, nodes: [] } });
      expect(first.data.repositoryOwner.repositories.nodes[0]).toMatchObject({ nameWithOwner: 'acme-org/repo-0000', visibility: 'PUBLIC', defaultBranchRef: { name: 'main', branchProtectionRule: { requiredApprovingReviewCount: 1 } }, securityPolicy: { __typename: 'Blob' } });
      // The default fake installation has no vulnerability_alerts permission: GitHub answers FORBIDDEN per repository.
      expect(first.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'FORBIDDEN', path: ['repositoryOwner', 'repositories', 'nodes', 0, 'vulnerabilityAlerts'] }),
          // The organization has no `.github` repository (its default community health files): NOT_FOUND, as on GitHub.
          expect.objectContaining({ type: 'NOT_FOUND', path: ['repositoryOwner', 'healthFiles'] }),
        ]),
      );
      const second = await gql(query, { login: 'acme-org', first: 100, after: first.data.repositoryOwner.repositories.pageInfo.endCursor });
      expect(second.data.repositoryOwner.repositories.nodes).toHaveLength(20);
      const tooMany = (await gql(query, { login: 'acme-org', first: 101 })).errors ?? [];
      expect(tooMany.map((e: { message: string }) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/exceeds the `first` limit of 100/)]));
    } finally {
      await fake.stop();
    }
  });
});
