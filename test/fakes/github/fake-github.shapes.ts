import { createHash } from 'node:crypto';
import type { FakeAccount, FakeHook, FakeInstallation, FakeRepo, FakeTeam, FakeUser, TeamPermission } from './fake-github.model';

/** Renders the model in GitHub's REST shapes (checked against @octokit/openapi by the honesty test). */
export class FakeGithubShapes {
  constructor(
    private readonly apiUrl: string,
    private readonly webUrl: string,
    private readonly app: { id: number; slug: string; clientId: string },
  ) {}

  simpleUser(a: FakeAccount) {
    const u = `${this.apiUrl}/users/${a.login}`;
    return {
      login: a.login,
      id: a.id,
      node_id: Buffer.from(`${a.type}:${a.id}`).toString('base64'),
      avatar_url: `${this.webUrl}/avatars/u/${a.id}`,
      gravatar_id: '',
      url: u,
      html_url: `${this.webUrl}/${a.login}`,
      followers_url: `${u}/followers`,
      following_url: `${u}/following{/other_user}`,
      gists_url: `${u}/gists{/gist_id}`,
      starred_url: `${u}/starred{/owner}{/repo}`,
      subscriptions_url: `${u}/subscriptions`,
      organizations_url: `${u}/orgs`,
      repos_url: `${u}/repos`,
      events_url: `${u}/events{/privacy}`,
      received_events_url: `${u}/received_events`,
      type: a.type,
      site_admin: false,
    };
  }

  publicUser(user: FakeUser) {
    return {
      ...this.simpleUser(user),
      user_view_type: 'public',
      name: user.login,
      company: null,
      blog: '',
      location: null,
      email: null,
      hireable: null,
      bio: null,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
    };
  }

  installation(i: FakeInstallation) {
    return {
      id: i.id,
      client_id: this.app.clientId,
      account: this.simpleUser(i.account),
      repository_selection: i.repositorySelection,
      access_tokens_url: `${this.apiUrl}/app/installations/${i.id}/access_tokens`,
      repositories_url: `${this.apiUrl}/installation/repositories`,
      html_url: `${this.webUrl}/organizations/${i.account.login}/settings/installations/${i.id}`,
      app_id: this.app.id,
      app_slug: this.app.slug,
      target_id: i.account.id,
      target_type: i.account.type,
      permissions: i.permissions,
      events: i.events,
      created_at: i.createdAt,
      updated_at: i.createdAt,
      single_file_name: null,
      has_multiple_single_files: false,
      single_file_paths: [],
      suspended_by: i.suspendedAt ? this.simpleUser(i.account) : null,
      suspended_at: i.suspendedAt,
    };
  }

  repository(r: FakeRepo) {
    const u = `${this.apiUrl}/repos/${r.owner.login}/${r.name}`;
    const fullName = `${r.owner.login}/${r.name}`;
    return {
      id: r.id,
      node_id: Buffer.from(`Repository:${r.id}`).toString('base64'),
      name: r.name,
      full_name: fullName,
      owner: this.simpleUser(r.owner),
      private: r.visibility !== 'public',
      visibility: r.visibility,
      html_url: `${this.webUrl}/${fullName}`,
      description: null,
      fork: r.fork,
      url: u,
      archive_url: `${u}/{archive_format}{/ref}`,
      assignees_url: `${u}/assignees{/user}`,
      blobs_url: `${u}/git/blobs{/sha}`,
      branches_url: `${u}/branches{/branch}`,
      collaborators_url: `${u}/collaborators{/collaborator}`,
      comments_url: `${u}/comments{/number}`,
      commits_url: `${u}/commits{/sha}`,
      compare_url: `${u}/compare/{base}...{head}`,
      contents_url: `${u}/contents/{+path}`,
      contributors_url: `${u}/contributors`,
      deployments_url: `${u}/deployments`,
      downloads_url: `${u}/downloads`,
      events_url: `${u}/events`,
      forks_url: `${u}/forks`,
      git_commits_url: `${u}/git/commits{/sha}`,
      git_refs_url: `${u}/git/refs{/sha}`,
      git_tags_url: `${u}/git/tags{/sha}`,
      git_url: `git://${new URL(this.webUrl).host}/${fullName}.git`,
      hooks_url: `${u}/hooks`,
      issue_comment_url: `${u}/issues/comments{/number}`,
      issue_events_url: `${u}/issues/events{/number}`,
      issues_url: `${u}/issues{/number}`,
      keys_url: `${u}/keys{/key_id}`,
      labels_url: `${u}/labels{/name}`,
      languages_url: `${u}/languages`,
      merges_url: `${u}/merges`,
      milestones_url: `${u}/milestones{/number}`,
      notifications_url: `${u}/notifications{?since,all,participating}`,
      pulls_url: `${u}/pulls{/number}`,
      releases_url: `${u}/releases{/id}`,
      ssh_url: `git@${new URL(this.webUrl).host}:${fullName}.git`,
      stargazers_url: `${u}/stargazers`,
      statuses_url: `${u}/statuses/{sha}`,
      subscribers_url: `${u}/subscribers`,
      subscription_url: `${u}/subscription`,
      tags_url: `${u}/tags`,
      teams_url: `${u}/teams`,
      trees_url: `${u}/git/trees{/sha}`,
      clone_url: `${this.webUrl}/${fullName}.git`,
      mirror_url: null,
      svn_url: `${this.webUrl}/${fullName}`,
      homepage: null,
      language: null,
      forks: 0,
      forks_count: 0,
      stargazers_count: 0,
      watchers_count: 0,
      watchers: 0,
      size: 0,
      default_branch: r.defaultBranch,
      open_issues: 0,
      open_issues_count: 0,
      is_template: false,
      topics: [],
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_downloads: true,
      archived: r.archived,
      disabled: false,
      license: null,
      pushed_at: r.updatedAt,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    };
  }

  /** `organization-full`; the settings only an owner (or organization_administration:read) sees are left out otherwise. */
  organizationFull(a: FakeAccount, admin: boolean) {
    const u = `${this.apiUrl}/orgs/${a.login}`;
    const s = a.settings;
    return {
      login: a.login,
      id: a.id,
      node_id: Buffer.from(`Organization:${a.id}`).toString('base64'),
      url: u,
      repos_url: `${u}/repos`,
      events_url: `${u}/events`,
      hooks_url: `${u}/hooks`,
      issues_url: `${u}/issues`,
      members_url: `${u}/members{/member}`,
      public_members_url: `${u}/public_members{/member}`,
      avatar_url: `${this.webUrl}/avatars/u/${a.id}`,
      description: null,
      html_url: `${this.webUrl}/${a.login}`,
      has_organization_projects: true,
      has_repository_projects: true,
      public_repos: 0,
      public_gists: 0,
      followers: 0,
      following: 0,
      type: 'Organization',
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
      archived_at: null,
      ...(admin && s
        ? {
            two_factor_requirement_enabled: s.twoFactorRequired,
            default_repository_permission: s.defaultRepositoryPermission,
            members_can_create_repositories: true,
            members_can_create_public_repositories: s.membersCanCreatePublicRepositories,
            members_can_create_private_repositories: true,
            members_can_fork_private_repositories: s.membersCanForkPrivateRepositories,
            web_commit_signoff_required: false,
          }
        : {}),
    };
  }

  /** `minimal-repository` as `GET /orgs/{org}/repos` lists it; security_and_analysis only for administration:read. */
  minimalRepository(r: FakeRepo, admin: boolean) {
    const status = (on: boolean) => ({ status: on ? 'enabled' : 'disabled' });
    const ss = r.secretScanning ?? { enabled: true, pushProtection: true };
    return {
      ...this.repository(r),
      ...(admin ? { security_and_analysis: { secret_scanning: status(ss.enabled), secret_scanning_push_protection: status(ss.pushProtection) } } : {}),
    };
  }

  hook(r: FakeRepo, h: FakeHook) {
    const u = `${this.apiUrl}/repos/${r.owner.login}/${r.name}/hooks/${h.id}`;
    return {
      type: 'Repository',
      id: h.id,
      name: 'web',
      active: h.active ?? true,
      events: ['push'],
      config: { url: h.url, content_type: 'json', insecure_ssl: h.insecureSsl ? '1' : '0', ...(h.secret ? { secret: '********' } : {}) },
      updated_at: r.updatedAt,
      created_at: r.createdAt,
      url: u,
      test_url: `${u}/test`,
      ping_url: `${u}/pings`,
      deliveries_url: `${u}/deliveries`,
      last_response: { code: null, status: 'unused', message: null },
    };
  }

  team(t: FakeTeam) {
    const u = `${this.apiUrl}/organizations/${t.org.id}/team/${t.id}`;
    return {
      id: t.id,
      node_id: Buffer.from(`Team:${t.id}`).toString('base64'),
      url: u,
      html_url: `${this.webUrl}/orgs/${t.org.login}/teams/${t.slug}`,
      name: t.name,
      slug: t.slug,
      description: null,
      privacy: 'closed',
      notification_setting: 'notifications_enabled',
      permission: 'pull',
      members_url: `${u}/members{/member}`,
      repositories_url: `${u}/repos`,
      type: 'organization',
      organization_id: t.org.id,
      parent: null,
    };
  }

  /** GitHub's `short-branch`: a branch in a repository's branch list. */
  shortBranch(r: FakeRepo, name: string) {
    const sha = createHash('sha1').update(`${r.id}:${name}`).digest('hex');
    return {
      name,
      commit: { sha, url: `${this.apiUrl}/repos/${r.owner.login}/${r.name}/commits/${sha}` },
      protected: name === r.defaultBranch ? r.defaultBranchProtection !== null : !!r.branchRules?.[name],
      protection_url: `${this.apiUrl}/repos/${r.owner.login}/${r.name}/branches/${encodeURIComponent(name)}/protection`,
    };
  }

  /** A repository as a team's repository list shows it: with the team's role and the permissions it implies. */
  teamRepository(r: FakeRepo, role: TeamPermission) {
    const rank = ['pull', 'triage', 'push', 'maintain', 'admin'].indexOf(role);
    return {
      ...this.repository(r),
      role_name: role,
      permissions: { admin: rank >= 4, maintain: rank >= 3, push: rank >= 2, triage: rank >= 1, pull: true },
    };
  }

  secretScanningAlert(r: FakeRepo, n: number) {
    const u = `${this.apiUrl}/repos/${r.owner.login}/${r.name}/secret-scanning/alerts/${n}`;
    return {
      number: n,
      created_at: r.updatedAt,
      updated_at: r.updatedAt,
      url: u,
      html_url: `${this.webUrl}/${r.owner.login}/${r.name}/security/secret-scanning/${n}`,
      locations_url: `${u}/locations`,
      state: 'open',
      resolution: null,
      resolved_at: null,
      resolved_by: null,
      secret_type: 'github_personal_access_token',
      secret_type_display_name: 'GitHub Personal Access Token',
      secret: `ghp_${'x'.repeat(36)}`,
      repository: this.simpleRepository(r),
      push_protection_bypassed: false,
      push_protection_bypassed_by: null,
      push_protection_bypassed_at: null,
      resolution_comment: null,
      validity: 'unknown',
      publicly_leaked: false,
      multi_repo: false,
    };
  }

  /** `simple-repository`: the repository without its counts, dates and settings. */
  simpleRepository(r: FakeRepo) {
    const full = this.repository(r) as Record<string, unknown>;
    const keep = Object.keys(full).filter((k) => k === 'id' || k === 'node_id' || k === 'name' || k === 'full_name' || k === 'owner' || k === 'private' || k === 'html_url' || k === 'description' || k === 'fork' || k === 'url' || (k.endsWith('_url') && !['git_url', 'ssh_url', 'clone_url', 'mirror_url', 'svn_url'].includes(k)));
    return Object.fromEntries(keep.map((k) => [k, full[k]]));
  }
}
