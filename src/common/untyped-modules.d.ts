/** Declarations for modules that ship no types of their own. */

/** class-transformer's metadata singleton (`@Transform`, `@Type`), which its package ships without an entry of its own. */
declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  export const defaultMetadataStorage: MetadataStorage;
}

/** Fastify's internal symbols; `kRouteContext` holds a request's route (see fastify-route.ts). */
declare module 'fastify/lib/symbols' {
  export const kRouteContext: symbol;
}
