import { createParamDecorator, ForbiddenException, RequestMethod, type CanActivate, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { CUSTOM_ROUTE_ARGS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import type { ApplicationConfig } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { STATIC_CONTEXT } from '@nestjs/core/injector/constants.js';
import type { NestContainer } from '@nestjs/core/injector/container.js';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper.js';
import { FORBIDDEN_MESSAGE } from '@nestjs/core/guards/constants.js';
import { GuardsConsumer } from '@nestjs/core/guards/guards-consumer.js';
import { GuardsContextCreator } from '@nestjs/core/guards/guards-context-creator.js';
import { InterceptorsConsumer } from '@nestjs/core/interceptors/interceptors-consumer.js';
import { InterceptorsContextCreator } from '@nestjs/core/interceptors/interceptors-context-creator.js';
import { PipesConsumer } from '@nestjs/core/pipes/pipes-consumer.js';
import { PipesContextCreator } from '@nestjs/core/pipes/pipes-context-creator.js';
import { ParamsTokenFactory } from '@nestjs/core/pipes/params-token-factory.js';
import { RouteParamsFactory } from '@nestjs/core/router/route-params-factory.js';
import { RouterExceptionFilters } from '@nestjs/core/router/router-exception-filters.js';
import { RouterExecutionContext } from '@nestjs/core/router/router-execution-context.js';
import { isStreamingBody } from '@nestjs/core/router/streaming-body.js';
import { isObservable, lastValueFrom } from 'rxjs';

/**
 * Nest's per-request route pipeline, without the parts no route of the hub uses.
 *
 * For every route Nest builds `RouterExecutionContext.create(...)`: guards, then interceptors through RxJS, pipes,
 * the handler, and a response step that watches for Observables, streams and client disconnects, with an `await` at
 * each stage. On a small authenticated read that machinery was about a fifth of the hub's CPU. A route that has no
 * interceptor, no `@Sse`/`@Render`/`@Redirect`/`@Header` and a singleton controller is served here instead, by a
 * function built from the same Nest parts, once per route: the same guards (run as `GuardsConsumer` runs them, with
 * no promise when a guard answers synchronously), the same pipes and
 * parameter extraction as `createPipesFn` (with no promise when the pipes answer synchronously; a `requestFieldParam`
 * parameter read straight from the request), the same status,
 * the same exception filters (`RouterExceptionFilters`)
 * and the adapter's own `reply`. A handler that answers with an Observable or a stream goes through Nest's own
 * response step (`createHandleResponseFn`) as before. Any other route keeps Nest's handler unchanged.
 */

const LEAN_TARGET = Symbol('hub:lean-route-target');

/** Factories of `requestFieldParam` decorators, by the request field each one reads. */
const REQUEST_FIELDS = new WeakMap<object, string>();

/**
 * A parameter decorator for one field of the (Fastify) request, such as the principal the guard put on it. Nest runs a
 * custom decorator's factory with a new execution context per request (an arguments array, the context object and
 * `switchToHttp`'s three closures); a lean route reads the field itself. Elsewhere it is an ordinary custom decorator.
 */
export function requestFieldParam(field: string): () => ParameterDecorator {
  const factory = (_data: unknown, ctx: ExecutionContext): unknown => ctx.getArgByIndex<Record<string, unknown>>(0)[field];
  REQUEST_FIELDS.set(factory, field);
  return createParamDecorator(factory) as () => ParameterDecorator;
}

/** The parameters of a handler that `requestFieldParam` decorators fill, by index: the field each one reads. */
function requestFieldsOf(controller: object, methodName: string): Map<number, string> {
  const metadata = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, methodName) ?? {}) as Record<string, { index: number; factory?: object }>;
  const fields = new Map<number, string>();
  for (const [key, { index, factory }] of Object.entries(metadata)) {
    const field = key.includes(CUSTOM_ROUTE_ARGS_METADATA) && factory ? REQUEST_FIELDS.get(factory) : undefined;
    if (field !== undefined) fields.set(index, field);
  }
  return fields;
}

interface Target {
  wrapper: InstanceWrapper;
  methodName: string;
  moduleKey: string;
}

type RouteHandler = ((req: unknown, res: unknown, next?: unknown) => unknown) & { version?: unknown };

interface Internals {
  container: NestContainer;
  config: ApplicationConfig;
}

/** Routes served by the lean pipeline, by `Controller.method` (for the tests and the start-up debug line). */
export interface LeanRoutes {
  readonly served: ReadonlySet<string>;
}

/**
 * Call after `NestFactory.create` (controllers exist) and before `app.init()` (routes are registered then): tags
 * each controller method with its controller, and has the adapter register the lean handler for every eligible route.
 */
export function installLeanRoutes(app: NestFastifyApplication): LeanRoutes {
  const { container, config } = app as unknown as Internals;
  tagControllerMethods(container);
  const httpAdapter = container.getHttpAdapterRef();
  const context = new RouterExecutionContext(
    new RouteParamsFactory(config),
    new PipesContextCreator(container, config),
    new PipesConsumer(),
    new GuardsContextCreator(container, config),
    new GuardsConsumer(),
    new InterceptorsContextCreator(container, config),
    new InterceptorsConsumer(),
    httpAdapter,
  );
  const exceptionFilters = new RouterExceptionFilters(container, config, httpAdapter);
  const served = new Set<string>();
  const adapter = httpAdapter as unknown as { injectRouteOptions(method: unknown, ...args: unknown[]): unknown };
  const inject = adapter.injectRouteOptions;
  adapter.injectRouteOptions = function (method: unknown, ...args: unknown[]) {
    const handlerRef = args[args.length - 1] as RouteHandler;
    const target = typeof handlerRef === 'function' ? (Reflect.getMetadata(LEAN_TARGET, handlerRef) as Target | null | undefined) : undefined;
    const lean = target ? buildLeanHandler(target, handlerRef, context, exceptionFilters, httpAdapter) : null;
    if (lean && target) {
      // The adapter reads the route's version, config, constraints and schema from the handler it is given.
      for (const key of Reflect.getMetadataKeys(handlerRef)) Reflect.defineMetadata(key, Reflect.getMetadata(key, handlerRef), lean);
      if (handlerRef.version !== undefined) lean.version = handlerRef.version;
      Object.defineProperty(lean, 'name', { configurable: true, value: handlerRef.name });
      args[args.length - 1] = lean;
      served.add(`${target.wrapper.name}.${target.methodName}`);
    }
    return inject.call(this, method, ...args);
  };
  return { served };
}

/**
 * Nest copies a method's metadata onto the route handler it registers (`copyMetadataToCallback`): a tag on the
 * method reaches the adapter that way. A method shared by two controllers (inherited) is tagged `null` and keeps
 * Nest's handler, since the tag could not say which instance it serves.
 */
function tagControllerMethods(container: NestContainer): void {
  for (const [moduleKey, module] of container.getModules()) {
    for (const wrapper of module.controllers.values()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.isDependencyTreeStatic()) continue;
      for (let proto = Object.getPrototypeOf(instance) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
        for (const methodName of Object.getOwnPropertyNames(proto)) {
          if (methodName === 'constructor') continue;
          const method = Object.getOwnPropertyDescriptor(proto, methodName)?.value as unknown;
          if (typeof method !== 'function' || instance[methodName] !== method) continue;
          const known = Reflect.getMetadata(LEAN_TARGET, method) as Target | null | undefined;
          const mine: Target = { wrapper, methodName, moduleKey };
          Reflect.defineMetadata(LEAN_TARGET, known === undefined || (known && known.wrapper === wrapper) ? mine : null, method);
        }
      }
    }
  }
}

function buildLeanHandler(
  target: Target,
  handlerRef: RouteHandler,
  context: RouterExecutionContext,
  exceptionFilters: RouterExceptionFilters,
  httpAdapter: ReturnType<NestContainer['getHttpAdapterRef']>,
): RouteHandler | null {
  const { wrapper, methodName, moduleKey } = target;
  const instance = wrapper.instance as Record<string, (...args: unknown[]) => unknown>;
  const callback = instance[methodName];
  const requestMethod = Reflect.getMetadata('method', handlerRef) as RequestMethod | undefined;
  if (requestMethod === undefined) return null;
  const internals = context as unknown as {
    contextUtils: { mergeParamsMetatypes(params: unknown[], paramtypes: unknown[]): ParamOption[] };
    pipesContextCreator: { create(instance: object, callback: unknown, moduleKey: string, contextId: unknown): PipeTransform[] };
    guardsContextCreator: { create(instance: object, callback: unknown, moduleKey: string, contextId: unknown): CanActivate[] };
    interceptorsContextCreator: { create(instance: object, callback: unknown, moduleKey: string, contextId: unknown): unknown[] };
    isResponseHandled(instance: object, methodName: string, params: unknown[]): boolean;
    reflectRedirect(callback: unknown): unknown;
    reflectRenderTemplate(callback: unknown): unknown;
  };
  const metadata = context.getMetadata(instance, callback as (...args: unknown[]) => unknown, methodName, moduleKey, requestMethod, 'http');
  if (metadata.isSseHandler || metadata.hasCustomHeaders || internals.reflectRedirect(callback) || internals.reflectRenderTemplate(callback)) return null;
  const interceptors = internals.interceptorsContextCreator.create(instance, callback, moduleKey, STATIC_CONTEXT);
  if (interceptors.length > 0) return null;

  const paramsMetadata = metadata.getParamsMetadata(moduleKey) as unknown as ParamOption[];
  const paramsOptions = internals.contextUtils.mergeParamsMetatypes(paramsMetadata, metadata.paramtypes);
  const pipes = internals.pipesContextCreator.create(instance, callback, moduleKey, STATIC_CONTEXT);
  const guards = internals.guardsContextCreator.create(instance, callback, moduleKey, STATIC_CONTEXT);
  const fnApplyPipes = createParamsFn(pipes, paramsOptions, (type) => context.isPipeable(type as never), requestFieldsOf(instance.constructor, methodName));
  const isResponseHandled = internals.isResponseHandled(instance, methodName, paramsMetadata);
  const fnHandleResponse = metadata.fnHandleResponse as (result: unknown, res: unknown, req: unknown) => Promise<unknown>;
  const exceptionsHandler = exceptionFilters.create(instance, callback as never, moduleKey);
  const { argsLength, httpStatusCode } = metadata;
  // The handler's arguments start as this (packed, all undefined): copied per request rather than built and filled.
  const noArgs = new Array<unknown>(argsLength).fill(undefined);

  const fail = (err: unknown, req: unknown, res: unknown, next: unknown): unknown => {
    exceptionsHandler.next(err as Error, new ExecutionContextHost([req, res, next]));
    // Fastify waits on the reply (a thenable) as it waited on Nest's promise of it.
    return res;
  };
  /** The handler's answer sent: through Nest's response step for an Observable, a stream or a handled response. */
  const respond = (result: unknown, req: unknown, res: unknown): unknown => {
    if (isResponseHandled || isObservable(result) || isStreamingBody(result)) return fnHandleResponse(result, res, req);
    // No status here: it was set before the handler, which may have changed it (`@Res({ passthrough: true })`).
    return httpAdapter.reply(res, result, undefined) as unknown;
  };

  /**
   * The rest of a request that met a promise (a guard's, a pipe's, the handler's or the reply's): from `stage` on,
   * awaiting each step as Nest does. `pending` is what the request is waiting for at that stage.
   */
  const resume = async (stage: 'guard' | 'pipes' | 'handler' | 'reply', pending: unknown, from: number, guardContext: ExecutionContextHost | undefined, args: unknown[], req: unknown, res: unknown, next: unknown): Promise<unknown> => {
    try {
      if (stage === 'guard') {
        for (let i = from; i < guards.length; i++) {
          const answer = i === from ? pending : guards[i].canActivate(guardContext as ExecutionContextHost);
          const allowed = typeof answer === 'boolean' ? answer : await (isObservable(answer) ? lastValueFrom(answer) : answer);
          if (!allowed) throw new ForbiddenException(FORBIDDEN_MESSAGE);
        }
        httpAdapter.status(res, httpStatusCode as number);
        pending = fnApplyPipes?.(args, req, res, next as never);
        stage = 'pipes';
      }
      if (stage === 'pipes') {
        if (pending) await pending;
        pending = callback.apply(instance, args);
        stage = 'handler';
      }
      if (stage === 'handler') pending = respond(isThenable(pending) ? await pending : pending, req, res);
      if (pending instanceof Promise) await pending;
      return undefined;
    } catch (err) {
      return fail(err, req, res, next);
    }
  };

  // Synchronous as long as every step answers synchronously (the hub's guard with a cached key, its validation pipe,
  // a handler answering from memory): no promise of the handler's, none of Fastify's around it. At the first step
  // that answers with a promise, `resume` takes over from there.
  return ((req: unknown, res: unknown, next?: unknown): unknown => {
    let guardContext: ExecutionContextHost | undefined;
    const args = noArgs.slice();
    try {
      if (guards.length > 0) {
        guardContext = new ExecutionContextHost([req, res, next], instance.constructor as never, callback);
        guardContext.setType('http');
        for (let i = 0; i < guards.length; i++) {
          const answer = guards[i].canActivate(guardContext);
          if (typeof answer !== 'boolean') return resume('guard', answer, i, guardContext, args, req, res, next);
          if (!answer) throw new ForbiddenException(FORBIDDEN_MESSAGE);
        }
      }
      httpAdapter.status(res, httpStatusCode as number);
      if (fnApplyPipes) {
        const pending = fnApplyPipes(args, req, res, next as never);
        if (pending) return resume('pipes', pending, 0, guardContext, args, req, res, next);
      }
      const result = callback.apply(instance, args);
      if (isThenable(result)) return resume('handler', result, 0, guardContext, args, req, res, next);
      const sent = respond(result, req, res);
      return sent instanceof Promise ? resume('reply', sent, 0, guardContext, args, req, res, next) : undefined;
    } catch (err) {
      return fail(err, req, res, next);
    }
  }) as RouteHandler;
}

interface ParamOption {
  index: number;
  type: unknown;
  data: unknown;
  [key: string]: unknown;
}

type ExtractValue = (req: unknown, res: unknown, next: unknown) => unknown;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';

/**
 * The route's parameters, extracted and run through their pipes (the global ones, then the parameter's own) as
 * Nest's `createPipesFn` does, with Nest's metadata (`type` as PipesConsumer names it: body, query, param or
 * custom), but without a promise per pipe: a pipe that answers synchronously (the hub's validation pipe, its path
 * parameter patterns) hands its value to the next one at once, and a request whose parameters all settle so gives
 * no promise at all. A pipe or extractor that answers with a promise is awaited as Nest awaits it. Errors: as in
 * Nest, every parameter is tried and the first to fail in settling order wins (`Promise.all`), a synchronous
 * failure ahead of a pending one.
 */
function createParamsFn(globalPipes: PipeTransform[], paramsOptions: ParamOption[], isPipeable: (type: unknown) => boolean, requestFields: Map<number, string>) {
  if (paramsOptions.length === 0) return null;
  const tokens = new ParamsTokenFactory();
  const params = paramsOptions.map((p) => {
    const pipeable = isPipeable(p.type);
    const field = requestFields.get(p.index);
    return {
      index: p.index,
      extractValue: field === undefined ? (p.extractValue as ExtractValue) : (req: unknown) => (req as Record<string, unknown>)[field],
      pipes: pipeable ? globalPipes.concat((p.pipes as PipeTransform[] | undefined) ?? []) : [],
      pipeable,
      metadata: { metatype: p.metatype, type: tokens.exchangeEnumForString(p.type as never), data: p.data, schema: p.schema } as never,
    };
  });
  type Param = (typeof params)[number];
  const rest = async (args: unknown[], param: Param, pending: unknown, from: number): Promise<void> => {
    let value = await pending;
    for (let i = from; i < param.pipes.length; i++) value = await param.pipes[i].transform(value, param.metadata);
    args[param.index] = value;
  };
  return (args: unknown[], req: unknown, res: unknown, next: unknown): Promise<unknown> | undefined => {
    let pending: Array<Promise<void>> | undefined;
    for (const param of params) {
      try {
        let value = param.extractValue(req, res, next);
        if (param.pipeable) {
          let i = 0;
          while (i < param.pipes.length && !isThenable(value)) value = param.pipes[i++].transform(value, param.metadata);
          if (isThenable(value)) {
            (pending ??= []).push(rest(args, param, value, i));
            continue;
          }
        }
        args[param.index] = value;
      } catch (err) {
        (pending ??= []).push(Promise.reject(err as Error));
      }
    }
    return pending && Promise.all(pending);
  };
}
