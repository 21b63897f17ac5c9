import { GithubPageQueryDto } from '../github/dto/broker.dto';
import { createValidationPipe, IgnoresUnknownFields } from './validation';
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
