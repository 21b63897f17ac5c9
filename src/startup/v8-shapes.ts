import { createHook } from 'node:async_hooks';

/** One of `process.nextTick`'s queue entries, held for the life of the process (`keepTickShapesAlive`). */
let keptTick: object | undefined;

/**
 * Keeps `process.nextTick`'s queue entries on one hidden class for the life of the process.
 *
 * Node 24 builds each entry as an object literal with computed keys (`{[async_id_symbol]: …,
 * [trigger_async_id_symbol]: …, [async_context_frame]: …, callback, args}`). Nothing but live entries holds the hidden
 * classes V8 makes for that literal, so a full collection at a moment when the queue is empty frees them and the next
 * entry gets new ones. Start-up (module loading, the OpenAPI document, the heap trim) runs many full collections
 * with an empty queue: after a few, the literal's inline caches have seen more classes than they track and stay
 * megamorphic, and every `nextTick` of every request (about ten each: socket writes, stream ends, `res` finish)
 * takes V8's runtime path, ~700 ns instead of ~100. Under load the hub spent 8-10 % of its CPU there (`perf`, on
 * 2026-12-04: `Runtime_DefineKeyedOwnPropertyInLiteral` under `nextTick`), against under 4 % for a bare `node:http`
 * server.
 *
 * One entry kept alive keeps its classes (and the transitions to them) alive, so the caches stay monomorphic. The
 * entry is taken from an `async_hooks` init hook enabled for one synchronous `nextTick` call and disabled at once;
 * its callback does nothing. Call first thing, before the framework loads. Answers whether an entry is held.
 */
export function keepTickShapesAlive(): boolean {
  if (keptTick) return true;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === 'TickObject' && keptTick === undefined) keptTick = resource;
    },
  });
  hook.enable();
  try {
    process.nextTick(noop);
  } finally {
    hook.disable();
  }
  return keptTick !== undefined;
}

function noop(): void {}
