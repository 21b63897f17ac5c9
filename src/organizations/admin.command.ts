import type { Pool } from 'pg';
import { generateApiKey, hashApiKey, maskApiKey } from '../auth/api-key.util';
import { ApiScope } from '../auth/roles';
import { loadConfig } from '../config/hub-config';
import { withCliDatabase } from '../database/cli-database';

type Print = (line: string) => void;

const USAGE = `Usage: npm run cli -- admin <command>
  organizations                          list organizations (id, name, members, created)
  users [--organization <id>]            list users and their roles
  keys <user id or email>                list a user's keys (id, label, mask, default organization, last use)
  owner-key <user id or email> [--organization <id>] [--label <text>]
                                         create an all-scope key for an owner (recovery of a lost bootstrap key);
                                         the key is printed once
  revoke-key <key id>                    revoke one key
  revoke-keys <user id or email>         revoke every key of a user`;

/** `npm run cli -- admin ...`: recovery and administration without an API key, for whoever runs the hub. */
export async function runAdmin(args: string[], env: NodeJS.ProcessEnv, out: Print): Promise<number> {
  if (!args[0] || args[0] === 'help' || args[0] === '--help') {
    out(USAGE);
    return args[0] ? 0 : 2;
  }
  const config = loadConfig(env);
  return withCliDatabase(config, out, { name: 'admin', args }, (pool) => adminCommand(pool, args, out));
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The commands themselves, on any pool: the CLI's own, or the running hub's (over the control socket). */
export async function adminCommand(pool: Pool, args: string[], out: Print): Promise<number> {
  const [command, target] = args;
  switch (command) {
    case 'organizations': {
      const { rows } = await pool.query(
        `SELECT o.id, o.name, o.created_at, count(m.id)::int AS members FROM organizations o LEFT JOIN memberships m ON m.organization_id = o.id
          GROUP BY o.id ORDER BY o.created_at`,
      );
      out(['id', 'name', 'members', 'created_at'].join('\t'));
      for (const r of rows) out([r.id, r.name, r.members, iso(r.created_at)].join('\t'));
      return 0;
    }
    case 'users': {
      const organization = option(args, '--organization');
      if (organization !== undefined && !UUID.test(organization)) return fail(out, `--organization must be an organization id, got "${organization}"`);
      const { rows } = await pool.query(
        `SELECT u.id, u.email, u.name, coalesce(string_agg(m.organization_id || ':' || m.role, ',' ORDER BY m.created_at), '') AS roles
           FROM users u LEFT JOIN memberships m ON m.user_id = u.id
          WHERE $1::uuid IS NULL OR EXISTS (SELECT 1 FROM memberships x WHERE x.user_id = u.id AND x.organization_id = $1::uuid)
          GROUP BY u.id ORDER BY u.created_at`,
        [organization ?? null],
      );
      out(['id', 'email', 'name', 'organization:role'].join('\t'));
      for (const r of rows) out([r.id, r.email, r.name, r.roles].join('\t'));
      return 0;
    }
    case 'keys': {
      const user = await findUser(pool, target);
      if (!user) return fail(out, `no user ${target ?? '(missing)'}`);
      const { rows } = await pool.query(
        `SELECT id, label, mask_value, scopes, default_organization_id, scoped_organization_id, last_used_at, revoked_at FROM personal_api_keys
          WHERE user_id = $1 ORDER BY created_at`,
        [user.id],
      );
      out(['id', 'label', 'mask', 'scopes', 'organization', 'last_used_at', 'state'].join('\t'));
      for (const r of rows) {
        out([r.id, r.label, r.mask_value, r.scopes.join(','), r.scoped_organization_id ? `pinned ${r.scoped_organization_id}` : (r.default_organization_id ?? '-'), iso(r.last_used_at), r.revoked_at ? 'revoked' : 'active'].join('\t'));
      }
      return 0;
    }
    case 'owner-key': {
      const user = await findUser(pool, target);
      if (!user) return fail(out, `no user ${target ?? '(missing)'}`);
      const wanted = option(args, '--organization');
      const { rows: owned } = await pool.query<{ organization_id: string }>(
        `SELECT organization_id FROM memberships WHERE user_id = $1 AND role = 'owner' ORDER BY created_at`,
        [user.id],
      );
      const organizationId = wanted ?? (owned.length === 1 ? owned[0].organization_id : undefined);
      if (!organizationId) {
        return fail(out, owned.length === 0 ? `${user.email} owns no organization` : `${user.email} owns ${owned.length} organizations: choose one with --organization <id>`);
      }
      if (!owned.some((o) => o.organization_id === organizationId)) return fail(out, `${user.email} is not an owner of organization ${organizationId}`);
      const value = generateApiKey();
      const label = option(args, '--label') ?? `Recovery key (${new Date().toISOString().slice(0, 10)})`;
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO personal_api_keys (user_id, label, secure_value, mask_value, scopes, default_organization_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [user.id, label.slice(0, 128), hashApiKey(value), maskApiKey(value), [ApiScope.All], organizationId],
      );
      await auditCli(pool, organizationId, user.id, 'personal_api_key.create', `personal_api_key:${rows[0].id}`, { label, scopes: [ApiScope.All], via: 'cli admin owner-key' });
      out(`created key ${rows[0].id} for ${user.email} (owner of ${organizationId}), all scopes`);
      out(`API key (shown once, store it now): ${value}`);
      return 0;
    }
    case 'revoke-key':
    case 'revoke-keys': {
      let revoked: Array<{ id: string; user_id: string; default_organization_id: string | null; scoped_organization_id: string | null }>;
      if (command === 'revoke-key') {
        if (!target || !UUID.test(target)) return fail(out, `revoke-key needs a key id (see \`admin keys <user>\`), got "${target ?? ''}"`);
        ({ rows: revoked } = await pool.query(
          `UPDATE personal_api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id, user_id, default_organization_id, scoped_organization_id`,
          [target],
        ));
        if (revoked.length === 0) return fail(out, `no active key ${target}`);
      } else {
        const user = await findUser(pool, target);
        if (!user) return fail(out, `no user ${target ?? '(missing)'}`);
        ({ rows: revoked } = await pool.query(
          `UPDATE personal_api_keys SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id, user_id, default_organization_id, scoped_organization_id`,
          [user.id],
        ));
      }
      for (const key of revoked) {
        const organizationId = key.scoped_organization_id ?? key.default_organization_id;
        if (organizationId) await auditCli(pool, organizationId, key.user_id, 'personal_api_key.revoke', `personal_api_key:${key.id}`, { via: `cli admin ${command}` });
      }
      out(`revoked ${revoked.length} key(s)${revoked.length ? `: ${revoked.map((k) => k.id).join(', ')}` : ''}; running hubs stop accepting them within API_KEY_CACHE_SECONDS`);
      return 0;
    }
    default:
      out(USAGE);
      return 2;
  }
}

async function findUser(pool: Pool, idOrEmail: string | undefined): Promise<{ id: string; email: string } | null> {
  if (!idOrEmail) return null;
  const { rows } = UUID.test(idOrEmail)
    ? await pool.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE id = $1', [idOrEmail])
    : await pool.query<{ id: string; email: string }>('SELECT id, email FROM users WHERE email = lower($1)', [idOrEmail]);
  return rows[0] ?? null;
}

/** What the CLI does is audited like the API: the actor is the user concerned, the key `cli`, no address. */
async function auditCli(pool: Pool, organizationId: string, userId: string, action: string, target: string, changes: Record<string, unknown>): Promise<void> {
  await pool.query(`INSERT INTO audit_log (organization_id, actor_user_id, key_id, action, target, changes) VALUES ($1, $2, 'cli', $3, $4, $5)`, [
    organizationId,
    userId,
    action,
    target,
    JSON.stringify(changes),
  ]);
}

function fail(out: Print, message: string): number {
  out(`error: ${message}`);
  return 1;
}

function iso(value: Date | string | null): string {
  if (!value) return '-';
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}
