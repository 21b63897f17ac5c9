import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { DEFAULT_PAGE_LIMIT, type LimitOffsetQueryDto } from './dto/pagination.dto';

export interface Page<T> {
  count: number;
  limit: number;
  offset: number;
  next: string | null;
  results: T[];
}

/** Where a list request is: the public base URL (SITE_URL) and the request's own path and query. */
export interface PageLocation {
  siteUrl: string;
  requestUrl: string;
}

/** The absolute URL of the page after this one (the request's query kept, `limit`/`offset` replaced), or null. */
export function nextPageLink(at: PageLocation, limit: number, offset: number, count: number): string | null {
  if (offset + limit >= count) return null;
  const url = new URL(at.requestUrl, 'http://hub.invalid');
  url.searchParams.set('limit', String(limit));
  url.searchParams.set('offset', String(offset + limit));
  return `${at.siteUrl}${url.pathname}${url.search}`;
}

/** One page of results already read with `limit`/`offset`, out of `count`. */
export function toPage<T>(results: T[], count: number, query: LimitOffsetQueryDto, at: PageLocation): Page<T> {
  const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
  const offset = query.offset ?? 0;
  return { count, limit, offset, next: nextPageLink(at, limit, offset, count), results };
}

/** One page of a list read whole (the short lists: organizations, members, keys, ...). */
export function pageOf<T>(all: T[], query: LimitOffsetQueryDto, at: PageLocation): Page<T> {
  const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
  const offset = query.offset ?? 0;
  return toPage(all.slice(offset, offset + limit), all.length, query, at);
}

/** The request's PageLocation: SITE_URL (set on every request at start-up, see bootstrap) and its own URL. */
export const PageAt = createParamDecorator((_data: unknown, ctx: ExecutionContext): PageLocation => {
  const request = ctx.switchToHttp().getRequest<{ url: string; hubSiteUrl?: string }>();
  return { siteUrl: request.hubSiteUrl ?? '', requestUrl: request.url };
});
