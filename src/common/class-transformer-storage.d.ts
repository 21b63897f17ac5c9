/** class-transformer's metadata singleton (`@Transform`, `@Type`), which its package ships without an entry of its own. */
declare module 'class-transformer/cjs/storage' {
  import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';
  export const defaultMetadataStorage: MetadataStorage;
}
