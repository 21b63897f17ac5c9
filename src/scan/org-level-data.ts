import type { OrgSnapshot } from './org-settings';
import type { RepoSnapshot } from './repo-snapshot';
import { RepoResultStatus } from './scan.enums';

/**
 * What a scan reads once per organization rather than per repository (GitHub's REST API lists it organization-wide,
 * so its cost grows with teams and alerts, not repositories). `null` means "not visible", with the reason.
 */
export interface OrgLevelData {
  /** Repository id → slugs of the teams administering it. */
  adminTeams: Record<string, string[]> | null;
  adminTeamsReason: string | null;
  /** Repository id → open secret scanning alerts (absent: none). */
  secretScanningAlerts: Record<string, number> | null;
  secretScanningReason: string | null;
  /** Repository id → secret scanning and push protection (`security_and_analysis` of `GET /orgs/{org}/repos`). */
  securityAnalysis: Record<string, SecurityAnalysis> | null;
  securityAnalysisReason: string | null;
  /** The organization's own settings (organization accounts only). */
  org: OrgSnapshot | null;
}

/** A repository's secret scanning settings; null where GitHub did not say (the field is absent). */
export interface SecurityAnalysis {
  secretScanning: boolean | null;
  pushProtection: boolean | null;
}

/** `security_and_analysis` of a repository as GitHub lists it (null or absent: not visible). */
export interface SecurityAndAnalysisField {
  secret_scanning?: { status?: string };
  secret_scanning_push_protection?: { status?: string };
}

const enabled = (f: { status?: string } | undefined) => (f?.status === 'enabled' ? true : f?.status === 'disabled' ? false : null);

export function securityAnalysisOf(field: SecurityAndAnalysisField | null | undefined): SecurityAnalysis {
  return { secretScanning: enabled(field?.secret_scanning), pushProtection: enabled(field?.secret_scanning_push_protection) };
}

/** A team's repositories as the scan keeps them (`GET /orgs/{org}/teams/{team_slug}/repos`, reduced). */
export interface TeamRepositories {
  slug: string;
  repos: Array<{ id: number; admin: boolean }>;
}

/** Repository id → admin team slugs (sorted), from every team's repository list. */
export function adminTeamsByRepo(teams: TeamRepositories[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const team of teams) for (const repo of team.repos) if (repo.admin) (out[String(repo.id)] ??= []).push(team.slug);
  for (const slugs of Object.values(out)) slugs.sort();
  return out;
}

/** Repository id → number of open alerts, from the organization's alert list (`repository.id` of each alert). */
export function openAlertsByRepo(repositoryIds: number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of repositoryIds) out[String(id)] = (out[String(id)] ?? 0) + 1;
  return out;
}

/** A repository's snapshot completed with the organization-level data (and its reasons when not visible). */
export function withOrgLevelData(repo: RepoSnapshot, org: OrgLevelData): RepoSnapshot {
  const id = String(repo.id);
  const reasons = [...repo.reasons, ...[org.adminTeamsReason, org.secretScanningReason, org.securityAnalysisReason].filter((r): r is string => !!r)];
  const analysis = org.securityAnalysis ? org.securityAnalysis[id] : undefined;
  // A repository the organization list did not show (created since it was read) is unknown, not disabled.
  if (org.securityAnalysis && !analysis) reasons.push("secret scanning coverage: the repository was not in the organization's repository list");
  else if (analysis && analysis.secretScanning === null) reasons.push('secret scanning coverage: GitHub did not report security_and_analysis for the repository');
  return {
    ...repo,
    adminTeams: org.adminTeams ? (org.adminTeams[id] ?? []) : null,
    openSecretScanningAlerts: org.secretScanningAlerts ? (org.secretScanningAlerts[id] ?? 0) : null,
    secretScanning: analysis?.secretScanning ?? null,
    pushProtection: analysis?.pushProtection ?? null,
    reasons,
    status: reasons.length && repo.status === RepoResultStatus.Ok ? RepoResultStatus.Partial : repo.status,
  };
}
