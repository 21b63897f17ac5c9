import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getMetadataArgsStorage } from 'typeorm';
import { sealContextOf } from './sealed-column';
import { GithubUserLinkEntity } from '../github/github-user-link.entity';

function entityFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? entityFiles(join(dir, e.name)) : e.name.endsWith('.entity.ts') ? [join(dir, e.name)] : []));
}

describe('@Sealed entity columns', () => {
  beforeAll(() => {
    for (const file of entityFiles(join(__dirname, '..'))) require(file);
  });

  const columns = () =>
    getMetadataArgsStorage().columns.map((c) => {
      const table = getMetadataArgsStorage().tables.find((t) => t.target === c.target)?.name as string;
      const name = c.options.name ?? c.propertyName;
      let sealed: string | null;
      try {
        sealed = sealContextOf(c.target as new () => unknown, c.propertyName as never, 'row').field;
      } catch {
        sealed = null;
      }
      return { table, name, type: c.options.type, sealed };
    });

  it('declares every sealed_* column (and the outbox body) @Sealed, and nothing else', () => {
    const all = columns();
    const mustBeSealed = all.filter((c) => c.name.startsWith('sealed_') || (c.table === 'outbox_emails' && c.name === 'body_text'));
    expect(mustBeSealed.length).toBeGreaterThanOrEqual(6);
    for (const c of mustBeSealed) expect({ ...c, sealed: c.sealed !== null }).toEqual({ ...c, sealed: true });
    expect(all.filter((c) => c.sealed !== null).map((c) => `${c.table}.${c.name}`).sort()).toEqual(mustBeSealed.map((c) => `${c.table}.${c.name}`).sort());
  });

  it('keeps sealed values in text columns, each bound to a distinct (table, field)', () => {
    const sealed = columns().filter((c) => c.sealed !== null);
    for (const c of sealed) expect(`${c.table}.${c.name}:${c.type}`).toBe(`${c.table}.${c.name}:text`);
    const contexts = sealed.map((c) => `${c.table}/${c.sealed}`);
    expect(new Set(contexts).size).toBe(contexts.length);
  });

  it('binds a linked GitHub user token to its table, row and field', () => {
    expect(sealContextOf(GithubUserLinkEntity, 'sealedUserToken', 'u1')).toEqual({ table: 'github_user_links', rowId: 'u1', field: 'user_token' });
    expect(() => sealContextOf(GithubUserLinkEntity, 'githubLogin', 'u1')).toThrow('not declared @Sealed');
  });
});
