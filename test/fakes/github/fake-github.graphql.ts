import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, DocumentNode, executeSync, GraphQLError, GraphQLSchema, Kind, parse, SelectionSetNode, validate, ValueNode } from 'graphql';
import type { FakeGithubModel, FakeRepo, FakeRuleset, IssuedToken } from './fake-github.model';

let publishedSchema: GraphQLSchema | undefined;

/** GitHub's published GraphQL schema (@octokit/graphql-schema); the package exports no CommonJS path, so find the file. */
export function githubGraphqlSchema(): GraphQLSchema {
  if (publishedSchema) return publishedSchema;
  const dirs = require.resolve.paths('@octokit/graphql-schema') ?? [];
  const file = dirs.map((d) => join(d, '@octokit', 'graphql-schema', 'schema.graphql')).find((f) => existsSync(f));
  if (!file) throw new Error('@octokit/graphql-schema is not installed');
  publishedSchema = buildSchema(readFileSync(file, 'utf8'), { assumeValidSDL: true });
  return publishedSchema;
}

const FORBIDDEN = 'Resource not accessible by integration';
const errorType = (message: string) => (message === FORBIDDEN ? 'FORBIDDEN' : message.startsWith('Could not resolve to') ? 'NOT_FOUND' : 'INTERNAL');
const PAGE_MAX = 100;

const encodeCursor = (offset: number) => Buffer.from(`cursor:v2:${offset}`).toString('base64');
function decodeCursor(cursor: unknown): number {
  if (typeof cursor !== 'string') return 0;
  const m = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m) throw new GraphQLError('`after` is not a valid cursor.');
  return Number(m[1]);
}

/**
 * Executes queries with graphql-js against GitHub's published schema, so anything the hub sends that GitHub would
 * refuse is refused here too. Resolvers cover what an org scan reads: repository owners and their repositories
 * (visibility, archived, fork, default branch protection rule, rulesets, files through `object(expression:)`,
 * collaborators, vulnerability alerts), each gated on the installation token's permissions as GitHub does.
 */
export class FakeGithubGraphql {
  private readonly documents = new Map<string, { doc: DocumentNode } | { errors: readonly GraphQLError[] }>();

  constructor(private readonly model: FakeGithubModel) {}

  /** Runs a query; `cost` is what GitHub would charge for it in points (0 when it is refused before running). */
  execute(token: IssuedToken, query: unknown, variables: unknown): { data?: unknown; errors?: unknown[]; cost: number } {
    if (typeof query !== 'string') return { errors: [{ message: 'A query attribute must be specified and must be a string.' }], cost: 0 };
    const compiled = this.compile(query);
    if ('errors' in compiled) return { errors: compiled.errors.map((e) => ({ message: e.message, locations: e.locations, extensions: { code: 'undefinedField' } })), cost: 0 };
    const vars = (variables ?? {}) as Record<string, unknown>;
    const cost = queryCost(compiled.doc, vars);
    const result = executeSync({
      schema: githubGraphqlSchema(),
      document: compiled.doc,
      rootValue: this.root(token, cost),
      variableValues: vars,
    });
    const out: { data?: unknown; errors?: unknown[]; cost: number } = { data: result.data ?? null, cost };
    if (result.errors?.length) {
      out.errors = result.errors.map((e) => ({ type: errorType(e.message), path: e.path, locations: e.locations, message: e.message }));
    }
    return out;
  }

  private compile(query: string) {
    let hit = this.documents.get(query);
    if (!hit) {
      try {
        const doc = parse(query);
        const errors = validate(githubGraphqlSchema(), doc);
        hit = errors.length ? { errors } : { doc };
      } catch (err) {
        hit = { errors: [err as GraphQLError] };
      }
      if (this.documents.size < 100) this.documents.set(query, hit);
    }
    return hit;
  }

  private root(token: IssuedToken, cost: number) {
    const installation = this.model.installations.get(token.installationId ?? -1);
    const visible = (login: string) =>
      installation
        ? this.model.installationRepos(installation).filter((r) => r.owner.login.toLowerCase() === login.toLowerCase() && (!token.repoIds || token.repoIds.includes(r.id)))
        : [];
    const owner = (args: { login: string }) => {
      const account = [...this.model.accounts.values()].find((a) => a.login.toLowerCase() === args.login.toLowerCase());
      if (!account) return null;
      return {
        __typename: account.type === 'Organization' ? 'Organization' : 'User',
        id: Buffer.from(`${account.type}:${account.id}`).toString('base64'),
        login: account.login,
        repositories: (a: { first?: number; after?: string }) => this.connection(visible(account.login), a, token),
        repository: (a: { name: string }) => {
          const repo = visible(account.login).find((r) => r.name.toLowerCase() === a.name.toLowerCase());
          if (!repo) throw new GraphQLError(`Could not resolve to a Repository with the name '${account.login}/${a.name}'.`);
          return this.repository(repo, token);
        },
      };
    };
    return {
      repositoryOwner: owner,
      organization: (args: { login: string }) => {
        const found = owner(args);
        if (!found || found.__typename !== 'Organization') throw new GraphQLError(`Could not resolve to an Organization with the login of '${args.login}'.`);
        return found;
      },
      rateLimit: () => ({ limit: 5000, cost, remaining: 5000 - cost, used: cost, resetAt: new Date(Date.now() + 3600_000).toISOString(), nodeCount: 0 }),
    };
  }

  private connection(repos: FakeRepo[], args: { first?: number; after?: string }, token: IssuedToken) {
    const first = args.first ?? PAGE_MAX;
    if (first < 1 || first > PAGE_MAX) throw new GraphQLError(`Requesting ${first} records on the \`repositories\` connection exceeds the \`first\` limit of 100 records.`);
    const start = decodeCursor(args.after);
    const slice = repos.slice(start, start + first);
    return {
      totalCount: repos.length,
      pageInfo: { hasNextPage: start + first < repos.length, endCursor: slice.length ? encodeCursor(start + slice.length) : null, hasPreviousPage: start > 0, startCursor: slice.length ? encodeCursor(start + 1) : null },
      nodes: slice.map((r) => this.repository(r, token)),
    };
  }

  private repository(r: FakeRepo, token: IssuedToken) {
    const can = (permission: string) => !!token.permissions?.[permission];
    const p = r.defaultBranchProtection;
    return {
      __typename: 'Repository',
      id: Buffer.from(`Repository:${r.id}`).toString('base64'),
      databaseId: r.id,
      name: r.name,
      nameWithOwner: `${r.owner.login}/${r.name}`,
      visibility: r.visibility.toUpperCase(),
      isPrivate: r.visibility !== 'public',
      isArchived: r.archived,
      isFork: r.fork,
      updatedAt: r.updatedAt,
      pushedAt: r.pushedAt,
      defaultBranchRef: {
        __typename: 'Ref',
        name: r.defaultBranch,
        branchProtectionRule: () => {
          if (!can('administration')) throw new GraphQLError(FORBIDDEN);
          return p
            ? {
                pattern: r.defaultBranch,
                requiresApprovingReviews: p.requiredReviews > 0,
                requiredApprovingReviewCount: p.requiredReviews,
                requiresCodeOwnerReviews: !!p.requireCodeOwnerReviews,
                dismissesStaleReviews: !!p.dismissStaleReviews,
                requiresStatusChecks: p.requireStatusChecks.length > 0,
                requiredStatusCheckContexts: p.requireStatusChecks,
                requiresStrictStatusChecks: !!p.strictStatusChecks,
                isAdminEnforced: p.enforceAdmins,
                allowsForcePushes: !!p.allowForcePushes,
                allowsDeletions: !!p.allowDeletions,
                requiresLinearHistory: !!p.requireLinearHistory,
                requiresCommitSignatures: !!p.requireSignedCommits,
                requiresConversationResolution: !!p.requireConversationResolution,
                requireLastPushApproval: !!p.requireLastPushApproval,
                restrictsPushes: !!p.restrictPushes,
              }
            : null;
        },
      },
      refs: (args: { refPrefix: string; query?: string; first?: number }) => {
        if (!can('contents')) throw new GraphQLError(FORBIDDEN);
        const branches: Array<[string, unknown]> = [[r.defaultBranch, p], ...(r.branches ?? []).filter((b) => b !== r.defaultBranch).map((b): [string, unknown] => [b, r.branchRules?.[b] ?? null])];
        const names = args.refPrefix === 'refs/heads/' ? branches.filter(([name]) => !args.query || name.includes(args.query)) : [];
        return {
          totalCount: names.length,
          nodes: names.slice(0, args.first ?? PAGE_MAX).map(([name, rule]) => ({
            __typename: 'Ref',
            name,
            prefix: 'refs/heads/',
            branchProtectionRule: () => {
              if (!can('administration')) throw new GraphQLError(FORBIDDEN);
              return rule ? { id: Buffer.from(`BranchProtectionRule:${r.id}:${name}`).toString('base64'), pattern: name } : null;
            },
          })),
        };
      },
      deployKeys: (args: { first?: number }) => {
        if (!can('administration')) throw new GraphQLError(FORBIDDEN);
        const keys = r.deployKeys ?? [];
        return { totalCount: keys.length, nodes: keys.slice(0, args.first ?? PAGE_MAX).map((k, i) => ({ id: Buffer.from(`DeployKey:${r.id}:${i}`).toString('base64'), title: k.title, readOnly: k.readOnly, enabled: true, verified: true })) };
      },
      rulesets: (args: { first?: number; targets?: string[] | null }) => {
        if (!can('administration')) throw new GraphQLError(FORBIDDEN);
        // Every fake ruleset targets branches.
        const all = args.targets && !args.targets.includes('BRANCH') ? [] : r.rulesets;
        return { totalCount: all.length, nodes: all.slice(0, args.first ?? PAGE_MAX).map((x) => rulesetNode(x)) };
      },
      object: (args: { expression?: string }) => {
        if (!can('contents')) throw new GraphQLError(FORBIDDEN);
        const path = /^(?:HEAD|[^:]+):(.+)$/.exec(args.expression ?? '')?.[1];
        const text = path === undefined ? undefined : r.files[path];
        if (text !== undefined) return blob(text);
        // A directory: the tree of the files (and subdirectories) under it.
        const dir = path === undefined ? [] : Object.keys(r.files).filter((f) => f.startsWith(`${path}/`));
        if (!dir.length) return null;
        const entries = new Map<string, { name: string; type: string; object: unknown }>();
        for (const f of dir) {
          const [name, ...rest] = f.slice(path!.length + 1).split('/');
          if (!entries.has(name)) entries.set(name, rest.length ? { name, type: 'tree', object: { __typename: 'Tree', oid: 'e'.repeat(40) } } : { name, type: 'blob', object: blob(r.files[f]) });
        }
        return { __typename: 'Tree', oid: 'e'.repeat(40), entries: [...entries.values()].sort((a, b) => a.name.localeCompare(b.name)).map((e) => ({ ...e, path: `${path}/${e.name}`, mode: e.type === 'tree' ? 16384 : 33188, oid: 'f'.repeat(40) })) };
      },
      hasVulnerabilityAlertsEnabled: r.openVulnerabilityAlerts !== null,
      vulnerabilityAlerts: (args: { first?: number }) => {
        if (!can('vulnerability_alerts')) throw new GraphQLError(FORBIDDEN);
        const open = Array.from({ length: r.openVulnerabilityAlerts ?? 0 }, (_, i) => r.vulnerabilitySeverities?.[i] ?? 'HIGH');
        return { totalCount: open.length, nodes: open.slice(0, args.first ?? PAGE_MAX).map((severity, i) => ({ number: i + 1, state: 'OPEN', securityVulnerability: { severity } })) };
      },
      collaborators: (args: { affiliation?: string; first?: number }) => {
        if (!can('administration')) throw new GraphQLError(FORBIDDEN);
        const outside = r.outsideCollaborators.map((login) => ({ login, permission: r.outsideCollaboratorPermissions?.[login] ?? 'WRITE' }));
        const direct = [...r.admins.map((login) => ({ login, permission: 'ADMIN' })), ...outside];
        // ALL (GitHub's default) adds those with access through the organization: its owners administer every repository.
        const owners = (r.owner.owners ?? []).filter((login) => !r.admins.includes(login)).map((login) => ({ login, permission: 'ADMIN' }));
        const people = args.affiliation === 'OUTSIDE' ? outside : args.affiliation === 'DIRECT' ? direct : [...direct, ...owners];
        return { totalCount: people.length, edges: people.slice(0, args.first ?? 100).map((x) => ({ permission: x.permission, node: { login: x.login } })) };
      },
    };
  }
}

/** A file as a GraphQL Blob (GitHub truncates `text` of large files: the fake's files are small). */
const blob = (text: string) => ({ __typename: 'Blob', byteSize: Buffer.byteLength(text), oid: 'f'.repeat(40), isBinary: false, isTruncated: false, text });

const PARAMETER_TYPES: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
  pull_request: (p) => ({
    __typename: 'PullRequestParameters',
    requiredApprovingReviewCount: p.required_approving_review_count ?? 0,
    requireCodeOwnerReview: !!p.require_code_owner_review,
    dismissStaleReviewsOnPush: !!p.dismiss_stale_reviews_on_push,
    requireLastPushApproval: !!p.require_last_push_approval,
    requiredReviewThreadResolution: !!p.required_review_thread_resolution,
  }),
  required_status_checks: (p) => ({
    __typename: 'RequiredStatusChecksParameters',
    requiredStatusChecks: (p.required_status_checks as Array<{ context: string }> | undefined) ?? [],
    strictRequiredStatusChecksPolicy: !!p.strict_required_status_checks_policy,
    doNotEnforceOnCreate: false,
  }),
};

/** A fake ruleset in the GraphQL shape (`RepositoryRuleset`), rule types upper-cased as GitHub's enum spells them. */
function rulesetNode(x: FakeRuleset) {
  return {
    id: Buffer.from(`RepositoryRuleset:${x.id}`).toString('base64'),
    databaseId: x.id,
    name: x.name,
    enforcement: x.enforcement.toUpperCase(),
    target: 'BRANCH',
    source: { __typename: x.source === 'organization' ? 'Organization' : 'Repository' },
    conditions: { refName: { include: x.include, exclude: x.exclude } },
    bypassActors: () => ({ totalCount: x.bypassActors, nodes: [] }),
    rules: (args: { first?: number }) => ({
      totalCount: x.rules.length,
      nodes: x.rules.slice(0, args.first ?? PAGE_MAX).map((rule) => ({ type: rule.type.toUpperCase(), parameters: PARAMETER_TYPES[rule.type]?.(rule.parameters ?? {}) ?? null })),
    }),
  };
}

function intValue(node: ValueNode, variables: Record<string, unknown>): number | null {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) return typeof variables[node.name.value] === 'number' ? (variables[node.name.value] as number) : null;
  return null;
}

/**
 * GitHub's GraphQL point cost: every connection (a field taking `first`/`last`) needs as many requests as its parent
 * connections can return nodes (each assumed full); the sum divided by 100, rounded, is the cost (at least 1).
 */
export function queryCost(doc: DocumentNode, variables: Record<string, unknown>): number {
  let requests = 0;
  const walk = (set: SelectionSetNode | undefined, multiplier: number) => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, multiplier);
      if (sel.kind !== Kind.FIELD) continue;
      const limitArg = sel.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
      const limit = limitArg ? intValue(limitArg.value, variables) : null;
      if (limit !== null) {
        requests += multiplier;
        walk(sel.selectionSet, multiplier * limit);
      } else walk(sel.selectionSet, multiplier);
    }
  };
  for (const def of doc.definitions) if (def.kind === Kind.OPERATION_DEFINITION) walk(def.selectionSet, 1);
  return Math.max(1, Math.round(requests / 100));
}
