import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
import { validationFailed } from './common.errors';

/**
 * An optional field that may be left out but not sent as `null`: class-validator's `@IsOptional()` also skips
 * `null`, which then reached NOT NULL columns as a 500. Fields whose contract says `nullable` keep `@IsOptional()`.
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

interface FieldError {
  field: string;
  errors: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The first path to a string holding a NUL character, which PostgreSQL text columns cannot store. */
export function nulBytePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'value' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const found = nulBytePath(child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/**
 * Whitelist, reject unknown fields, transform; failures become VALIDATION_FAILED with per-field details.
 * Strings with NUL characters are refused in bodies, queries and path parameters alike.
 */
class HubValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const field = nulBytePath(value);
      if (field) throw validationFailed(`${field}: must not contain NUL characters`, { details: [{ field, errors: ['must not contain NUL characters'] }], attr: field });
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new HubValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const message = details.map((d) => `${d.field}: ${d.errors.join(', ')}`).join('; ') || 'Invalid request body';
      return validationFailed(message, { details, attr: details[0]?.field });
    },
  });
}
