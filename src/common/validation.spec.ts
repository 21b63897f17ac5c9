import { CreateAccessTokenDto, CreateInstallationAccessTokenDto, GithubPageQueryDto } from '../github/dto/broker.dto';
import { compileBodyPath, CompiledBody, createValidationPipe, IgnoresUnknownFields } from './validation';
import { IsOptional, IsString } from 'class-validator';

class StrictDto {
  @IsOptional() @IsString() name?: string;
}

@IgnoresUnknownFields()
class LenientDto {
  @IsOptional() @IsString() name?: string;
}

describe('validation pipe', () => {
  const pipe = createValidationPipe();

  it('refuses unknown fields by default', async () => {
    await expect(pipe.transform({ name: 'a', extra: 1 }, { type: 'body', metatype: StrictDto })).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('strips unknown fields of a DTO that ignores them, and reads a missing body as empty', async () => {
    expect(await pipe.transform({ name: 'a', extra: 1 }, { type: 'body', metatype: LenientDto })).toEqual(Object.assign(new LenientDto(), { name: 'a' }));
    expect(await pipe.transform(undefined, { type: 'body', metatype: LenientDto })).toBeInstanceOf(LenientDto);
    await expect(pipe.transform({ name: 3 }, { type: 'body', metatype: LenientDto })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it("clamps GitHub's paging as GitHub does", async () => {
    const page = (query: Record<string, string>) => pipe.transform(query, { type: 'query', metatype: GithubPageQueryDto }) as Promise<GithubPageQueryDto>;
    expect(await page({})).toMatchObject({ page: 1, per_page: 30 });
    expect(await page({ page: '0', per_page: '500' })).toMatchObject({ page: 1, per_page: 100 });
    expect(await page({ page: '-3', per_page: '0', other: 'x' })).toMatchObject({ page: 1, per_page: 1 });
    expect(await page({ page: 'abc', per_page: '7.9' })).toMatchObject({ page: 1, per_page: 7 });
  });
});

describe('compiled bodies (@CompiledBody)', () => {
  const compiled = createValidationPipe();
  const classValidator = createValidationPipe({ compiledBodies: false });
  const settle = async (run: () => unknown): Promise<{ ok: unknown } | { err: unknown }> => {
    try {
      return { ok: await run() };
    } catch (err) {
      const e = err as { status?: number; code?: string; message?: string; details?: unknown };
      return { err: { status: e.status, code: e.code, message: e.message, details: e.details } };
    }
  };
  const valid: unknown[] = [
    undefined,
    {},
    { repositories: [] },
    { repositories: ['a', 'b'], permissions: { contents: 'read' } },
    { repository_ids: [1, 2, 3] },
    { permissions: {} },
    { permissions: { contents: 'write', issues: 'read' }, repositories: ['x'], repository_ids: [7] },
    { user_id: '42' },
    { user_id: 42 },
    { user_id: 9223372036854775808 },
    { user_id: 'x'.repeat(64) },
    { user_id: '7d0f3c1e-8e63-4a1c-9a39-0c5f2f1b2a44', permissions: { contents: 'read' } },
  ];
  const invalid: unknown[] = [
    { repositories: null },
    { repositories: 'a' },
    { repositories: [1] },
    { repository_ids: [1.5] },
    { repository_ids: ['1'] },
    { repository_ids: JSON.parse('[1e999]') },
    { permissions: [] },
    { permissions: null },
    { permissions: 'read' },
    { user_id: null },
    { user_id: true },
    { user_id: 'x'.repeat(65) },
    { user_id: {} },
    { extra: 1 },
    { repositories: ['a'], extra: 'x' },
    JSON.parse('{"__proto__": {"x": 1}}'),
    JSON.parse('{"permissions": {"__proto__": "read"}}'),
    JSON.parse('{"permissions": {"constructor": "read"}}'),
    [],
    'text',
    { repositories: ['a\u0000b'] },
  ];

  it.each([
    ['strict', CreateAccessTokenDto],
    ['lenient', CreateInstallationAccessTokenDto],
  ])('%s: every body gives what class-validator and class-transformer give', async (_kind, metatype) => {
    for (const body of [...valid, ...invalid]) {
      const meta = { type: 'body' as const, metatype };
      const fast = await settle(() => compiled.transform(structuredClone(body), meta));
      const slow = await settle(() => classValidator.transform(structuredClone(body), meta));
      expect({ body, result: fast }).toStrictEqual({ body, result: slow });
      if ('ok' in fast) expect(Object.getPrototypeOf(fast.ok)).toBe(metatype.prototype);
    }
  });

  it('takes the compiled path for the valid bodies', () => {
    const strict = compileBodyPath(CreateAccessTokenDto, false);
    for (const body of valid) expect({ body, accepted: strict?.accepts(body ?? {}) }).toEqual({ body, accepted: true });
    // (A NUL character is refused before either path runs.)
    for (const body of invalid.filter((b) => !JSON.stringify(b).includes('\\u0000'))) expect({ body, accepted: strict?.accepts(body) }).toEqual({ body, accepted: false });
  });

  it('refuses a schema that accepts a field the class does not whitelist', () => {
    @CompiledBody({ name: { type: 'string' }, other: { type: 'string' } })
    class Unruled {
      @IsString() name?: string;
    }
    expect(() => compileBodyPath(Unruled, false)).toThrow(/no validation rules/);
  });
});
