import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { validationFailed } from './common.errors';

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

const IGNORES_UNKNOWN_FIELDS = Symbol('hub:ignores-unknown-fields');

/**
 * Marks a request DTO of a face whose original API ignores unknown fields (GitHub's): they are stripped, not refused,
 * and a missing body is an empty one.
 */
export function IgnoresUnknownFields(): ClassDecorator {
  return (target) => Reflect.defineMetadata(IGNORES_UNKNOWN_FIELDS, true, target);
}

/** The global pipe: strict by default, lenient for DTOs marked with `@IgnoresUnknownFields()`. */
class HubValidationPipe extends ValidationPipe {
  private readonly lenient: ValidationPipe;

  constructor(options: ValidationPipeOptions) {
    super({ ...options, forbidNonWhitelisted: true });
    this.lenient = new ValidationPipe({ ...options, forbidNonWhitelisted: false });
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype && Reflect.getMetadata(IGNORES_UNKNOWN_FIELDS, metadata.metatype) === true) {
      return this.lenient.transform(value ?? {}, metadata);
    }
    return super.transform(value, metadata);
  }
}

/** Whitelist, reject unknown fields, transform; failures become VALIDATION_FAILED with per-field details. */
export function createValidationPipe(): ValidationPipe {
  return new HubValidationPipe({
    whitelist: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const message = details.map((d) => `${d.field}: ${d.errors.join(', ')}`).join('; ') || 'Invalid request body';
      return validationFailed(message, { details, attr: details[0]?.field });
    },
  });
}
