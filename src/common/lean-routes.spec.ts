import 'reflect-metadata';
import {
  ArgumentsHost,
  BadRequestException,
  Body,
  CallHandler,
  CanActivate,
  Catch,
  Controller,
  createParamDecorator,
  ExceptionFilter,
  ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  NestInterceptor,
  NotFoundException,
  Param,
  type PipeTransform,
  Post,
  Query,
  Res,
  SetMetadata,
  UseFilters,
  UseGuards,
  UseInterceptors,
  ValidationPipe,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsInt, IsOptional, IsString, Max } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, of, type Observable } from 'rxjs';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { installLeanRoutes, requestFieldParam, type LeanRoutes } from './lean-routes';

// A differential test: the same controllers on two apps, one with the lean pipeline and one on Nest's own, must
// answer every request alike (status, headers, body), and the lean one must serve exactly the eligible routes.

class ItemDto {
  @IsString()
  name!: string;

  @IsOptional()
  @IsInt()
  @Max(10)
  count?: number;
}

const Caller = createParamDecorator((_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<FastifyRequest>().headers['x-caller'] ?? 'anonymous');
const OPEN = 'spec:open';
/** A field of the Fastify request, read by Nest through the factory and by the lean pipeline directly. */
const Method = requestFieldParam('method');

/**
 * The global guard: 403 (Nest's own) without `x-caller` unless the route is open; throws for `x-caller: boom`. It answers
 * at once, except for callers named `later…`, answered with a promise (`later-boom` rejected): both guard paths.
 */
@Injectable()
class CallerGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (this.reflector.get<boolean>(OPEN, context.getHandler())) return true;
    const caller = context.switchToHttp().getRequest<FastifyRequest>().headers['x-caller'];
    if (caller === 'boom') throw new NotFoundException('no such caller');
    if (caller === 'later-boom') return Promise.reject(new NotFoundException('no such caller, later'));
    if (typeof caller === 'string' && caller.startsWith('later')) return new Promise((resolve) => setImmediate(() => resolve(true)));
    return caller !== undefined;
  }
}

class NeverGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

class Wrap implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(map((value) => ({ wrapped: value })));
  }
}

@Catch()
class TeapotFilter implements ExceptionFilter {
  catch(exception: Error, host: ArgumentsHost): void {
    void host.switchToHttp().getResponse<FastifyReply>().status(418).send({ teapot: exception.message });
  }
}

const AsyncCaller = createParamDecorator(async (_data: unknown, ctx: ExecutionContext) => {
  await new Promise((resolve) => setImmediate(resolve));
  return ctx.switchToHttp().getRequest<FastifyRequest>().headers['x-caller'] ?? 'anonymous';
});

/** Pipes that answer synchronously and ones that answer with a promise, some refusing what starts with a word. */
class Upper implements PipeTransform<string, string> {
  transform(value: string): string {
    return value.toUpperCase();
  }
}
class LaterSuffix implements PipeTransform<string, Promise<string>> {
  async transform(value: string): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return `${value}-later`;
  }
}
class RefuseBad implements PipeTransform<string, string> {
  transform(value: string): string {
    if (value.startsWith('bad')) throw new BadRequestException(`refused ${value}`);
    return value;
  }
}
class RefuseLateLater implements PipeTransform<string, Promise<string>> {
  async transform(value: string): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, 3));
    if (value.startsWith('late')) throw new BadRequestException(`refused ${value} later`);
    return value;
  }
}

@Controller('items')
class ItemsController {
  @Get()
  list(@Caller() caller: string, @Query('q') q?: string): unknown {
    return { caller, q: q ?? null, items: [1, 2] };
  }

  @Get('open')
  @SetMetadata(OPEN, true)
  open(): string {
    return 'plain text';
  }

  @Get('field')
  @SetMetadata(OPEN, true)
  field(@Method() method: string, @Query('q') q?: string): unknown {
    return { method, q: q ?? null };
  }

  @Get('nothing')
  nothing(): undefined {
    return undefined;
  }

  @Get('observable')
  observable(): Observable<unknown> {
    return of({ from: 'observable' });
  }

  @Get('missing/:id')
  async missing(@Param('id') id: string): Promise<unknown> {
    await Promise.resolve();
    throw new NotFoundException(`item ${id} not found`);
  }

  @Get('crash')
  crash(): unknown {
    throw new TypeError('not for the client');
  }

  @Post()
  create(@Body() dto: ItemDto): unknown {
    return { created: dto.name, count: dto.count ?? 0, isDto: dto instanceof ItemDto };
  }

  @Post('quiet')
  @HttpCode(204)
  quiet(): void {}

  @Get('passthrough')
  passthrough(@Res({ passthrough: true }) reply: FastifyReply): unknown {
    void reply.header('x-extra', 'yes');
    return { passthrough: true };
  }

  @Post('unready')
  unready(@Res({ passthrough: true }) reply: FastifyReply): unknown {
    void reply.status(503);
    return { ready: false };
  }

  @Get('handled')
  handled(@Res() reply: FastifyReply): void {
    setTimeout(() => void reply.status(202).header('x-handled', '1').send({ late: true }), 5);
  }

  @Get('filtered')
  @UseFilters(new TeapotFilter())
  filtered(): unknown {
    throw new Error('short and stout');
  }

  @Get('wrapped')
  @UseInterceptors(Wrap)
  wrapped(): unknown {
    return 'inner';
  }

  @Get('piped/:a/:b')
  piped(@Param('a', RefuseBad, Upper, LaterSuffix, Upper) a: string, @Param('b', RefuseLateLater, RefuseBad) b: string, @AsyncCaller() who: string): unknown {
    return { a, b, who };
  }

  @Get('never')
  @UseGuards(NeverGuard)
  never(): unknown {
    return 'unreachable';
  }
}

async function buildApp(lean: boolean): Promise<{ app: NestFastifyApplication; served?: LeanRoutes }> {
  class SpecModule {}
  const app = await NestFactory.create<NestFastifyApplication>(
    { module: SpecModule, controllers: [ItemsController], providers: [{ provide: APP_GUARD, useClass: CallerGuard }] },
    new FastifyAdapter(),
    { logger: false },
  );
  const served = lean ? installLeanRoutes(app) : undefined;
  app.useGlobalPipes(new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, served };
}

interface Probe {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
}

const probes: Probe[] = [
  { method: 'GET', url: '/items', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items?q=hello', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items' },
  { method: 'GET', url: '/items', headers: { 'x-caller': 'boom' } },
  { method: 'GET', url: '/items/open' },
  { method: 'GET', url: '/items/field?q=x' },
  { method: 'GET', url: '/items/nothing', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/observable', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/missing/42', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/crash', headers: { 'x-caller': 'ana' } },
  { method: 'POST', url: '/items', headers: { 'x-caller': 'ana' }, payload: { name: 'cup', count: 3 } },
  { method: 'POST', url: '/items', headers: { 'x-caller': 'ana' }, payload: { name: 7, count: 30 } },
  { method: 'POST', url: '/items', headers: { 'x-caller': 'ana' }, payload: { name: 'cup', extra: true } },
  { method: 'POST', url: '/items', payload: { name: 'cup' } },
  { method: 'POST', url: '/items/quiet', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/passthrough', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/handled', headers: { 'x-caller': 'ana' } },
  { method: 'POST', url: '/items/unready', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/filtered', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/wrapped', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/never', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/piped/one/two', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/piped/bad-one/two', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/piped/one/late-two', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/piped/bad-one/late-two', headers: { 'x-caller': 'ana' } },
  { method: 'GET', url: '/items/piped/one/bad-two', headers: { 'x-caller': 'ana' } },
  // The same after a guard that answered with a promise.
  ...[
    { method: 'GET' as const, url: '/items' },
    { method: 'GET' as const, url: '/items/nothing' },
    { method: 'GET' as const, url: '/items/observable' },
    { method: 'GET' as const, url: '/items/missing/42' },
    { method: 'GET' as const, url: '/items/crash' },
    { method: 'POST' as const, url: '/items', payload: { name: 'cup', count: 3 } },
    { method: 'POST' as const, url: '/items', payload: { name: 7, count: 30 } },
    { method: 'GET' as const, url: '/items/handled' },
    { method: 'GET' as const, url: '/items/passthrough' },
    { method: 'GET' as const, url: '/items/filtered' },
    { method: 'GET' as const, url: '/items/never' },
    { method: 'GET' as const, url: '/items/piped/one/late-two' },
  ].map((p) => ({ ...p, headers: { 'x-caller': 'later' } })),
  { method: 'GET', url: '/items', headers: { 'x-caller': 'later-boom' } },
];

describe('the lean route pipeline', () => {
  let nest: NestFastifyApplication;
  let lean: NestFastifyApplication;
  let served: LeanRoutes;

  beforeAll(async () => {
    nest = (await buildApp(false)).app;
    const built = await buildApp(true);
    lean = built.app;
    served = built.served as LeanRoutes;
  });

  afterAll(async () => {
    await Promise.all([nest?.close(), lean?.close()]);
  });

  it('serves the routes without interceptors, and leaves the intercepted one to Nest', () => {
    expect(served.served).toContain('ItemsController.list');
    expect(served.served).toContain('ItemsController.create');
    expect(served.served).toContain('ItemsController.handled');
    expect(served.served).toContain('ItemsController.never');
    expect(served.served).not.toContain('ItemsController.wrapped');
    expect(served.served).toContain('ItemsController.field');
    expect(served.served.size).toBe(15);
  });

  it.each(probes.map((p) => [`${p.method} ${p.url} ${JSON.stringify(p.headers ?? {})} ${JSON.stringify(p.payload ?? null)}`, p] as const))('answers %s as Nest does', async (_name, probe) => {
    const [a, b] = await Promise.all([nest, lean].map((app) => app.inject({ method: probe.method, url: probe.url, headers: probe.headers, payload: probe.payload as object | undefined })));
    const headers = (r: typeof a) => Object.fromEntries(Object.entries(r.headers).filter(([k]) => k !== 'date'));
    expect(b.statusCode).toBe(a.statusCode);
    expect(b.body).toBe(a.body);
    expect(headers(b)).toEqual(headers(a));
  });

  it('runs each parameter through its pipes in order, synchronous and asynchronous alike', async () => {
    const r = await lean.inject({ method: 'GET', url: '/items/piped/one/two', headers: { 'x-caller': 'ana' } });
    expect(r.json()).toEqual({ a: 'ONE-LATER', b: 'two', who: 'ana' });
    // Both refuse: the synchronous refusal settles first, as in Nest's Promise.all.
    const both = await lean.inject({ method: 'GET', url: '/items/piped/bad-one/late-two', headers: { 'x-caller': 'ana' } });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toBe('refused bad-one');
  });

  it('reads a requestFieldParam parameter from the request itself, where Nest builds an execution context for it', async () => {
    const contextReads = jest.spyOn(ExecutionContextHost.prototype, 'getArgByIndex');
    try {
      expect((await lean.inject({ method: 'GET', url: '/items/field' })).json()).toEqual({ method: 'GET', q: null });
      expect(contextReads).not.toHaveBeenCalled();
      expect((await nest.inject({ method: 'GET', url: '/items/field' })).json()).toEqual({ method: 'GET', q: null });
      expect(contextReads).toHaveBeenCalled();
    } finally {
      contextReads.mockRestore();
    }
  });

  it('answers a valid request with what the handler made of the transformed body', async () => {
    const r = await lean.inject({ method: 'POST', url: '/items', headers: { 'x-caller': 'ana' }, payload: { name: 'cup', count: 3 } });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toEqual({ created: 'cup', count: 3, isDto: true });
  });
});
