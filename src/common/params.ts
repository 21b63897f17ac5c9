import { Param, PipeTransform } from '@nestjs/common';
import { validationFailed } from './common.errors';
import type { HubError } from './hub-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** Passes a path parameter that matches, else throws `refuse(value)`. Pipes run after the guard: 401 → 403 → 404 stays. */
export class PatternPipe implements PipeTransform<string, string> {
  constructor(
    private readonly matches: (value: unknown) => boolean,
    private readonly refuse: (value: string) => HubError,
  ) {}

  transform(value: string): string {
    if (!this.matches(value)) throw this.refuse(value);
    return value;
  }
}

/**
 * A UUID path parameter. `refuse` says what a malformed one means: for an object id, its not-found error (no such
 * object can exist); by default 400 naming the parameter.
 */
export const UuidParam = (name: string, refuse: (value: string) => HubError = () => validationFailed(`${name} must be a UUID`, { attr: name })) =>
  Param(name, new PatternPipe(isUuid, refuse));
