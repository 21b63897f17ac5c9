/**
 * The fake GitHub's world: accounts, repositories, installations and users. Repositories carry what an
 * org scan needs (visibility, archived, fork, default branch protection, admins, files) so a GraphQL
 * endpoint (fake-github.graphql.ts) serves the same model.
 */
export type AccountType = 'Organization' | 'User';

export interface FakeAccount {
  id: number;
  login: string;
  type: AccountType;
  /** Organization owners (admin on every repository, through the organization rather than directly). */
  owners?: string[];
  /** Organization settings (`GET /orgs/{org}`, shown with organization_administration:read). */
  settings?: FakeOrgSettings;
  /** Organization Actions defaults (`GET /orgs/{org}/actions/permissions` and `.../workflow`). */
  actions?: FakeActionsDefaults;
}

export interface FakeOrgSettings {
  twoFactorRequired: boolean;
  defaultRepositoryPermission: 'none' | 'read' | 'write' | 'admin';
  membersCanCreatePublicRepositories: boolean;
  membersCanForkPrivateRepositories: boolean;
}

export interface FakeActionsDefaults {
  enabledRepositories: 'all' | 'none' | 'selected';
  allowedActions: 'all' | 'local_only' | 'selected';
  defaultWorkflowPermissions: 'read' | 'write';
  canApprovePullRequestReviews: boolean;
}

/** A repository webhook (GitHub shows `secret` as a mask when one is set). */
export interface FakeHook {
  id: number;
  url: string;
  secret: boolean;
  insecureSsl?: boolean;
  active?: boolean;
}

/** The secure defaults the fake gives every organization (tests change them to trip a check). */
export const SECURE_ORG_SETTINGS: FakeOrgSettings = { twoFactorRequired: true, defaultRepositoryPermission: 'read', membersCanCreatePublicRepositories: false, membersCanForkPrivateRepositories: false };
export const SECURE_ACTIONS: FakeActionsDefaults = { enabledRepositories: 'all', allowedActions: 'selected', defaultWorkflowPermissions: 'read', canApprovePullRequestReviews: false };

export type AdvisorySeverity = 'CRITICAL' | 'HIGH' | 'MODERATE' | 'LOW';

export interface FakeBranchProtection {
  requiredReviews: number;
  enforceAdmins: boolean;
  requireStatusChecks: string[];
  requireCodeOwnerReviews?: boolean;
  dismissStaleReviews?: boolean;
  strictStatusChecks?: boolean;
  allowForcePushes?: boolean;
  allowDeletions?: boolean;
  requireLinearHistory?: boolean;
  requireSignedCommits?: boolean;
  requireConversationResolution?: boolean;
  requireLastPushApproval?: boolean;
  restrictPushes?: boolean;
}

/** A ruleset rule in GitHub's REST shape (`pull_request`, `required_status_checks`, `non_fast_forward`, `deletion`, ...). */
export interface FakeRule {
  type: string;
  parameters?: Record<string, unknown>;
}

/** A branch ruleset that applies to a repository (its own, or its organization's). */
export interface FakeRuleset {
  id: number;
  name: string;
  enforcement: 'active' | 'evaluate' | 'disabled';
  source: 'repository' | 'organization';
  /** Ref-name condition: `~DEFAULT_BRANCH`, `~ALL` or `refs/heads/...` patterns. */
  include: string[];
  exclude: string[];
  bypassActors: number;
  rules: FakeRule[];
}

export type TeamPermission = 'admin' | 'maintain' | 'push' | 'triage' | 'pull';

/** An organization team and its permission on repositories (GitHub's role names). */
export interface FakeTeam {
  id: number;
  slug: string;
  name: string;
  org: FakeAccount;
  repos: Map<number, TeamPermission>;
}

export interface FakeRepo {
  id: number;
  name: string;
  owner: FakeAccount;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  fork: boolean;
  defaultBranch: string;
  /** Branch names besides the default branch (GET /repos/{owner}/{repo}/branches lists both, sorted by name). */
  branches?: string[];
  /** Protection of the default branch; null when unprotected. */
  defaultBranchProtection: FakeBranchProtection | null;
  /** Logins with admin permission on the repository. */
  admins: string[];
  /** Collaborators who are not members of the owning organization. */
  outsideCollaborators: string[];
  /** Their permission (GitHub's GraphQL spelling); WRITE when not given. */
  outsideCollaboratorPermissions?: Record<string, 'READ' | 'TRIAGE' | 'WRITE' | 'MAINTAIN' | 'ADMIN'>;
  /** Last push (GraphQL pushedAt); the fake's repositories were pushed to when created. */
  pushedAt: string;
  /** Open Dependabot alerts; null when vulnerability alerts are disabled. */
  openVulnerabilityAlerts: number | null;
  /** Severities of the open alerts, in order (alerts beyond the list are HIGH). */
  vulnerabilitySeverities?: AdvisorySeverity[];
  /** Branch rulesets applying to the repository. */
  rulesets: FakeRuleset[];
  /** Open secret scanning alerts. */
  openSecretScanningAlerts: number;
  /** Path → content of files on the default branch (SECURITY.md, .github/CODEOWNERS, .github/workflows/ci.yml, ...). */
  files: Record<string, string>;
  /** Branch protection rules of branches besides the default one (listed in `branches`), by branch name. */
  branchRules?: Record<string, FakeBranchProtection>;
  deployKeys?: Array<{ title: string; readOnly: boolean }>;
  hooks?: FakeHook[];
  /** security_and_analysis; both enabled when not given. */
  secretScanning?: { enabled: boolean; pushProtection: boolean };
  createdAt: string;
  updatedAt: string;
}

export interface FakeInstallation {
  id: number;
  account: FakeAccount;
  repositorySelection: 'all' | 'selected';
  /** Repositories the installation can reach. */
  repoIds: number[];
  permissions: Record<string, 'read' | 'write' | 'admin'>;
  events: string[];
  suspendedAt: string | null;
  createdAt: string;
}

export interface FakeUser extends FakeAccount {
  /** Installations this user can see through GET /user/installations. */
  installationIds: number[];
}

export interface IssuedToken {
  token: string;
  kind: 'installation' | 'user';
  installationId?: number;
  userId?: number;
  expiresAt: number;
  permissions?: Record<string, string>;
  repoIds?: number[];
}

const BASE_TIME = Date.parse('2024-01-01T00:00:00Z');

/** The mutable state of one fake GitHub instance. */
export class FakeGithubModel {
  readonly accounts = new Map<number, FakeAccount>();
  readonly repos = new Map<number, FakeRepo>();
  readonly installations = new Map<number, FakeInstallation>();
  readonly users = new Map<number, FakeUser>();
  readonly teams = new Map<number, FakeTeam>();
  /** Organizations (logins, lower case) where secret scanning is not enabled: GitHub answers 404 to their alert list. */
  readonly secretScanningDisabled = new Set<string>();
  /** OAuth codes waiting to be exchanged: code → user id. */
  readonly codes = new Map<string, number>();
  readonly tokens = new Map<string, IssuedToken>();
  private nextId = 1000;

  id(): number {
    return this.nextId++;
  }

  addAccount(login: string, type: AccountType = 'Organization'): FakeAccount {
    const account: FakeAccount = { id: this.id(), login, type, ...(type === 'Organization' ? { settings: { ...SECURE_ORG_SETTINGS }, actions: { ...SECURE_ACTIONS } } : {}) };
    this.accounts.set(account.id, account);
    return account;
  }

  addRepos(owner: FakeAccount, count: number): FakeRepo[] {
    const created: FakeRepo[] = [];
    for (let i = 0; i < count; i++) {
      const n = this.repos.size;
      const repo: FakeRepo = {
        id: this.id(),
        name: `repo-${String(n).padStart(4, '0')}`,
        owner,
        visibility: n % 3 === 0 ? 'public' : 'private',
        archived: n % 17 === 16,
        fork: n % 11 === 10,
        defaultBranch: 'main',
        defaultBranchProtection: n % 2 === 0 ? { requiredReviews: 1, enforceAdmins: false, requireStatusChecks: ['ci'] } : null,
        admins: [`${owner.login}-admin`],
        outsideCollaborators: [],
        openVulnerabilityAlerts: n % 5 === 0 ? 1 : 0,
        rulesets: [],
        openSecretScanningAlerts: n % 50 === 7 ? 1 : 0,
        files: n % 4 === 0 ? { 'SECURITY.md': '# Security\n', '.github/CODEOWNERS': `* @${owner.login}/maintainers\n` } : {},
        createdAt: new Date(BASE_TIME + n * 60_000).toISOString(),
        updatedAt: new Date(BASE_TIME + n * 120_000).toISOString(),
        pushedAt: new Date().toISOString(),
      };
      this.repos.set(repo.id, repo);
      created.push(repo);
    }
    return created;
  }

  /** One hand-built repository (tests pick exactly what the scan should find). */
  addRepo(owner: FakeAccount, fields: Partial<Omit<FakeRepo, 'id' | 'owner'>> & { name: string }): FakeRepo {
    const repo: FakeRepo = {
      id: this.id(),
      owner,
      visibility: 'private',
      archived: false,
      fork: false,
      defaultBranch: 'main',
      defaultBranchProtection: null,
      admins: [],
      outsideCollaborators: [],
      openVulnerabilityAlerts: 0,
      rulesets: [],
      openSecretScanningAlerts: 0,
      files: {},
      createdAt: new Date(BASE_TIME).toISOString(),
      updatedAt: new Date(BASE_TIME).toISOString(),
      pushedAt: new Date().toISOString(),
      ...fields,
    };
    this.repos.set(repo.id, repo);
    return repo;
  }

  addInstallation(account: FakeAccount, repos: FakeRepo[], opts: Partial<Pick<FakeInstallation, 'permissions' | 'repositorySelection'>> = {}): FakeInstallation {
    const installation: FakeInstallation = {
      id: this.id(),
      account,
      repositorySelection: opts.repositorySelection ?? 'all',
      repoIds: repos.map((r) => r.id),
      permissions: opts.permissions ?? { contents: 'read', metadata: 'read', pull_requests: 'write', administration: 'read' },
      events: ['push', 'pull_request'],
      suspendedAt: null,
      createdAt: new Date(BASE_TIME).toISOString(),
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  /** A team of `org` with the given permission on repositories. */
  addTeam(org: FakeAccount, slug: string, repos: Array<[FakeRepo, TeamPermission]>): FakeTeam {
    const team: FakeTeam = { id: this.id(), slug, name: slug, org, repos: new Map(repos.map(([r, p]) => [r.id, p])) };
    this.teams.set(team.id, team);
    return team;
  }

  /** A ruleset (defaults: active, on the default branch, nobody may bypass). */
  ruleset(fields: Partial<Omit<FakeRuleset, 'id'>> & { name: string }): FakeRuleset {
    return { id: this.id(), enforcement: 'active', source: 'repository', include: ['~DEFAULT_BRANCH'], exclude: [], bypassActors: 0, rules: [], ...fields };
  }

  addUser(login: string, installationIds: number[] = []): FakeUser {
    const user: FakeUser = { id: this.id(), login, type: 'User', installationIds };
    this.accounts.set(user.id, user);
    this.users.set(user.id, user);
    return user;
  }

  installationRepos(installation: FakeInstallation): FakeRepo[] {
    return installation.repoIds.map((id) => this.repos.get(id)).filter((r): r is FakeRepo => !!r);
  }
}
