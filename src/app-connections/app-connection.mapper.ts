import { AppConnectionDto } from './dto/app-connection.dto';
import type { AppConnectionEntity } from './app-connection.entity';
import type { GithubConnectionCredentials } from './github-connection-credentials.service';

/** Infisical projects have a type; ours are integration projects. */
const PROJECT_TYPE = 'integrations';

const slugify = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/** A row as Infisical renders it; credentials redacted to where the instance is. */
export function toAppConnectionDto(row: AppConnectionEntity, credentials: GithubConnectionCredentials): AppConnectionDto {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    version: row.version,
    orgId: row.organizationId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    isPlatformManagedCredentials: row.isPlatformManagedCredentials,
    gatewayId: row.gatewayId,
    projectId: row.projectId,
    credentialsHash: row.credentialsHash,
    project: row.project ? { name: row.project.name, id: row.project.id, type: PROJECT_TYPE, slug: slugify(row.project.name) } : null,
    app: row.app,
    method: row.method,
    credentials: { instanceType: credentials.instanceType, ...(credentials.host ? { host: credentials.host } : {}) },
  };
}
