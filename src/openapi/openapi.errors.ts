import type { ErrorCode } from '../common/error-codes';
import { HubError, type HubErrorOptions } from '../common/hub-error';

/** An error as the contract's examples show it: any catalog code (its status comes from the catalog, as at run time). */
export const exampleError = (code: ErrorCode, message: string, options?: HubErrorOptions) => new HubError(code, message, options);
