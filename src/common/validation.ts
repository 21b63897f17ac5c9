import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import Ajv, { type ValidateFunction } from 'ajv';
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidateIf } from 'class-validator';
import { parsedWithoutNul } from './body-parser';
import { validationFailed } from './common.errors';

/**
 * An optional field that may be left out but not sent as `null`: class-validator's `@IsOptional()` also skips
 * `null`, which then reached NOT NULL columns as a 500. Fields whose contract says `nullable` keep `@IsOptional()`.
 */
export const IsOmittable = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

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

/** What a rule found wrong, in words no dialect owns; each face renders it its own way (zod issues, DRF codes, ...). */
export type ValidationIssueKind =
  | 'required'
  | 'invalid_type'
  | 'too_small'
  | 'too_big'
  | 'invalid_enum'
  | 'invalid_string'
  | 'invalid_literal'
  | 'unrecognized_key'
  | 'custom';

/** One failed rule at one place in the input. */
export interface ValidationIssue {
  kind: ValidationIssueKind;
  /** Where in the input: property names and array indexes. */
  path: Array<string | number>;
  message: string;
  /** The class-validator rule that failed (`isLength`, `matches`, ...). */
  rule: string;
  /** What the rule expected (`string`, `boolean`, `object`, ...) and the JSON type received, for type errors. */
  expected?: string;
  received?: string;
  /** Bounds of size rules, and what they measure. */
  minimum?: number;
  maximum?: number;
  measures?: 'string' | 'array' | 'number';
  /** Allowed values of enum and literal rules, and the value received. */
  options?: unknown[];
  value?: unknown;
  /** A dialect-specific hint the DTO gave the rule (`@IsEnum(X, { context: { zod: 'invalid_union_discriminator' } })`). */
  context?: Record<string, unknown>;
}

interface FieldError {
  field: string;
  errors: string[];
}

/** Rules that check a JSON type, and the type they check. */
const TYPE_RULES: Readonly<Record<string, string>> = {
  isString: 'string',
  isBoolean: 'boolean',
  isInt: 'number',
  isNumber: 'number',
  isNumberString: 'string',
  isObject: 'object',
  isArray: 'array',
  nestedValidation: 'object',
  isUuid: 'string',
  matches: 'string',
  isLength: 'string',
  minLength: 'string',
  maxLength: 'string',
  isEnum: 'string',
  isIn: 'string',
  isUrl: 'string',
  isEmail: 'string',
  isDateString: 'string',
  isIso8601: 'string',
};

const STRING_FORMAT_RULES = new Set(['matches', 'isUuid', 'isUrl', 'isEmail', 'isDateString', 'isIso8601', 'isNumberString']);

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = jsonType(value);
  return expected === actual || (expected === 'object' && actual === 'array');
}

/** The constraint values a rule was declared with (`@Length(1, 64)` → [1, 64]), read from class-validator's metadata. */
function ruleConstraints(target: object | undefined, property: string, rule: string): unknown[] {
  if (!target) return [];
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  const found = metadatas.find((m) => m.propertyName === property && (m.name === rule || m.constraintCls?.name === rule));
  return found?.constraints ?? [];
}

/** The values an enum (`@IsEnum(E)`) or list (`@IsIn([...])`) rule allows. */
function allowedValues(rule: string, constraints: unknown[]): unknown[] {
  return rule === 'isEnum' ? Object.values((constraints[0] ?? {}) as Record<string, unknown>) : ((constraints[0] as unknown[] | undefined) ?? []);
}

function sizeIssue(base: Omit<ValidationIssue, 'kind'>, rule: string, value: unknown, constraints: unknown[]): ValidationIssue {
  const length = typeof value === 'string' || Array.isArray(value) ? value.length : typeof value === 'number' ? value : 0;
  const measures = Array.isArray(value) ? 'array' : typeof value === 'number' ? 'number' : 'string';
  const [first, second] = constraints as Array<number | undefined>;
  const [min, max] = rule === 'maxLength' || rule === 'arrayMaxSize' || rule === 'max' ? [undefined, first] : [first, second];
  if (min !== undefined && length < min) return { ...base, kind: 'too_small', minimum: min, measures, value };
  return { ...base, kind: 'too_big', maximum: max, measures, value };
}

/** The issues of one property: a missing value or a wrong type is one issue, otherwise one per failed rule. */
function issuesOf(e: ValidationError, path: Array<string | number>): ValidationIssue[] {
  const rules = Object.keys(e.constraints ?? {});
  if (rules.length === 0) return [];
  const value = e.value;
  const base = (rule: string): Omit<ValidationIssue, 'kind'> => ({
    path,
    rule,
    message: e.constraints?.[rule] ?? 'Invalid input',
    ...(e.contexts?.[rule] ? { context: e.contexts[rule] as Record<string, unknown> } : {}),
  });
  if (rules.includes('whitelistValidation')) return [{ ...base('whitelistValidation'), kind: 'unrecognized_key' }];
  const enumRule = rules.find((r) => r === 'isEnum' || r === 'isIn');
  const options = enumRule ? { options: allowedValues(enumRule, ruleConstraints(e.target, e.property, enumRule)) } : {};
  const expected = rules.map((r) => TYPE_RULES[r]).find((t) => t !== undefined) ?? 'string';
  if (value === undefined) return [{ ...base(enumRule ?? rules[0]), kind: 'required', expected, received: 'undefined', ...options }];
  const typeRule = rules.find((r) => TYPE_RULES[r] !== undefined && !typeMatches(TYPE_RULES[r], value));
  if (typeRule && typeRule !== enumRule) {
    return [{ ...base(typeRule), kind: 'invalid_type', expected: TYPE_RULES[typeRule], received: jsonType(value), ...options }];
  }
  return rules.map((rule): ValidationIssue => {
    const constraints = ruleConstraints(e.target, e.property, rule);
    switch (rule) {
      case 'isLength':
      case 'minLength':
      case 'maxLength':
      case 'arrayMinSize':
      case 'arrayMaxSize':
      case 'min':
      case 'max':
        return sizeIssue(base(rule), rule, value, constraints);
      case 'isEnum':
      case 'isIn':
        return { ...base(rule), kind: 'invalid_enum', options: allowedValues(rule, constraints), value };
      case 'equals':
        return { ...base(rule), kind: 'invalid_literal', options: [constraints[0]], value };
      default:
        if (TYPE_RULES[rule] && !STRING_FORMAT_RULES.has(rule)) return { ...base(rule), kind: 'invalid_type', expected: TYPE_RULES[rule], received: jsonType(value) };
        return { ...base(rule), kind: STRING_FORMAT_RULES.has(rule) ? 'invalid_string' : 'custom' };
    }
  });
}

/** Every issue of a class-validator error tree, depth first, in declaration order. */
export function toValidationIssues(errors: ValidationError[], parent: Array<string | number> = []): ValidationIssue[] {
  return errors.flatMap((e) => {
    const path = [...parent, /^\d+$/.test(e.property) ? Number(e.property) : e.property];
    return [...issuesOf(e, path), ...toValidationIssues(e.children ?? [], path)];
  });
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, errors: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

const UNKNOWN_FIELDS = Symbol('unknownFields');

/**
 * Marks a request DTO whose dialect drops unknown fields silently instead of refusing them (Infisical's zod
 * objects, for example): the hub's default is to refuse them with a 400 naming the field.
 */
export const IgnoresUnknownFields = (): ClassDecorator => (target) => {
  Reflect.defineMetadata(UNKNOWN_FIELDS, 'strip', target);
};

const COMPILED_BODY = Symbol('compiledBody');

/** A JSON schema for one property of a compiled body (ajv's draft-07 subset). */
export type PropertySchema = Record<string, unknown>;

/**
 * A hot, flat request body checked by a compiled JSON schema (ajv) before class-validator: the schema describes a
 * subset of what the DTO's own rules accept (a value the schema accepts passes them; anything else is judged by
 * class-validator, so the 400s stay exactly theirs). An accepted body becomes the DTO instance as class-transformer
 * would build it: the class constructed, each known field copied, the field's `@Transform`s applied. Flat DTOs
 * only: a property with `@Type` (nested classes) is refused when the schema is compiled. `compiledBodyMatches`
 * (validation.spec.ts) holds both paths to the same results.
 */
export const CompiledBody = (properties: Record<string, PropertySchema>): ClassDecorator => (target) => {
  Reflect.defineMetadata(COMPILED_BODY, properties, target);
};

interface CompiledBodyPath {
  accepts: ValidateFunction;
  build(value: Record<string, unknown>): unknown;
}

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, coerceTypes: false, useDefaults: false, removeAdditional: false });

/** ValidationPipe strips these keys at every depth before class-transformer runs: a body holding one takes that path. */
const PROTO_KEYS = { not: { enum: ['__proto__', 'prototype', 'constructor'] } };

/** The schema with every object in it refusing the prototype keys. */
function withoutProtoKeys(schema: PropertySchema): PropertySchema {
  const out: PropertySchema = { ...schema };
  const types = ([] as unknown[]).concat(schema.type ?? []);
  if (types.includes('object')) out.propertyNames = PROTO_KEYS;
  if (schema.items && typeof schema.items === 'object') out.items = withoutProtoKeys(schema.items as PropertySchema);
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.additionalProperties = withoutProtoKeys(schema.additionalProperties as PropertySchema);
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, PropertySchema>).map(([k, v]) => [k, withoutProtoKeys(v)]));
  return out;
}

type TransformFn = (params: { value: unknown; key: string; obj: Record<string, unknown>; type: TransformationType; options: object }) => unknown;

/** The compiled path of a DTO class marked `@CompiledBody`, strict (unknown fields refused) or lenient (dropped); null otherwise. */
export function compileBodyPath(metatype: new () => object, lenient: boolean): CompiledBodyPath | null {
  const properties = Reflect.getMetadata(COMPILED_BODY, metatype) as Record<string, PropertySchema> | undefined;
  if (!properties) return null;
  const keys = Object.keys(properties);
  const ruled = new Set(getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false).map((m) => m.propertyName));
  const transforms = new Map<string, TransformFn[]>();
  for (const key of keys) {
    // A field without rules is not whitelisted: ValidationPipe refuses or drops it, so the schema may not accept it.
    if (!ruled.has(key)) throw new Error(`@CompiledBody ${metatype.name}.${key}: the class has no validation rules for it`);
    if (defaultMetadataStorage.findTypeMetadata(metatype, key)) throw new Error(`@CompiledBody ${metatype.name}.${key}: nested types are not supported`);
    const fns = defaultMetadataStorage
      .findTransformMetadatas(metatype, key, TransformationType.PLAIN_TO_CLASS)
      .filter((m) => !m.options?.groups?.length)
      .map((m) => m.transformFn as TransformFn);
    if (fns.length > 0) transforms.set(key, fns);
  }
  const accepts = ajv.compile(withoutProtoKeys({ type: 'object', properties, additionalProperties: lenient }));
  const options = {};
  return {
    accepts,
    build(value) {
      const entity = new metatype() as Record<string, unknown>;
      for (const key of keys) {
        let v = value[key];
        if (v === undefined) continue;
        const fns = transforms.get(key);
        if (fns) for (const fn of fns) v = fn({ value: v, key, obj: value, type: TransformationType.PLAIN_TO_CLASS, options });
        entity[key] = v;
      }
      return entity;
    },
  };
}

function pipe(forbidNonWhitelisted: boolean): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted,
    transform: true,
    stopAtFirstError: false,
    // The target lets an issue read the bounds its rule was declared with; the value says what was received.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      const message = details.map((d) => `${d.field}: ${d.errors.join(', ')}`).join('; ') || 'Invalid request body';
      return validationFailed(message, { details, attr: details[0]?.field, issues: toValidationIssues(errors) });
    },
  });
}

/**
 * Whitelist, transform, and refuse unknown fields — or drop them, for DTOs marked `@IgnoresUnknownFields()`.
 * Failures become VALIDATION_FAILED with per-field details and neutral issues each face renders.
 */
@Injectable()
export class HubValidationPipe implements PipeTransform {
  private readonly strict = pipe(true);
  private readonly stripping = pipe(false);

  private readonly validated = new WeakMap<object, boolean>();
  private readonly lenient = new WeakMap<object, boolean>();
  private readonly compiled = new Map<object, CompiledBodyPath | null>();
  private readonly compiledLenient = new Map<object, CompiledBodyPath | null>();
  /** Off only in the spec that holds the compiled bodies to class-validator's results. */
  compiledBodies = true;

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const { metatype } = metadata;
    // A custom parameter (the principal) is not validated: ValidationPipe hands it back as it is.
    if (metadata.type === 'custom') return value;
    // Strings with NUL characters are refused in bodies, queries and path parameters alike (a JSON body parsed
    // without a NUL escape holds none: body-parser.ts).
    const field = metadata.type === 'body' && parsedWithoutNul(value) ? null : nulBytePath(value);
    if (field) {
      const issue: ValidationIssue = { kind: 'invalid_string', path: field.split('.'), rule: 'noNulCharacters', message: 'must not contain NUL characters' };
      throw validationFailed(`${field}: must not contain NUL characters`, { details: [{ field, errors: ['must not contain NUL characters'] }], attr: field, issues: [issue] });
    }
    // A body a DTO describes must be an object: an array, string, number or null is one issue, at the root.
    if (metadata.type === 'body' && metatype && value !== undefined && jsonType(value) !== 'object' && this.hasRules(metatype)) {
      const received = jsonType(value);
      const issue: ValidationIssue = { kind: 'invalid_type', path: [], rule: 'isObject', message: `Expected object, received ${received}`, expected: 'object', received };
      throw validationFailed('The request body must be a JSON object', { details: [{ field: '', errors: ['must be a JSON object'] }], issues: [issue] });
    }
    // A path parameter or query field declared as a string is already one (what ValidationPipe's String() gives).
    if (metatype === String && typeof value === 'string' && metadata.data && (metadata.type === 'param' || metadata.type === 'query')) return value;
    const lenient = metatype !== undefined && this.isLenient(metatype);
    if (metadata.type === 'body' && metatype && this.compiledBodies) {
      const path = this.compiledPath(metatype as new () => object, lenient);
      // ValidationPipe validates a missing body as `{}`.
      const body = (value ?? {}) as Record<string, unknown>;
      if (path?.accepts(body)) return path.build(body);
    }
    return (lenient ? this.stripping : this.strict).transform(value, metadata);
  }

  private compiledPath(metatype: new () => object, lenient: boolean): CompiledBodyPath | null {
    const cache = lenient ? this.compiledLenient : this.compiled;
    let path = cache.get(metatype);
    if (path === undefined) {
      path = compileBodyPath(metatype, lenient);
      cache.set(metatype, path);
    }
    return path;
  }

  /** Whether the DTO class drops unknown fields (`@IgnoresUnknownFields`), remembered per class (reflect-metadata walks the prototype chain). */
  private isLenient(metatype: object): boolean {
    let lenient = this.lenient.get(metatype);
    if (lenient === undefined) {
      lenient = Reflect.getMetadata(UNKNOWN_FIELDS, metatype) === 'strip';
      this.lenient.set(metatype, lenient);
    }
    return lenient;
  }

  /** Whether class-validator knows rules for the type (a DTO class), remembered per class. */
  private hasRules(metatype: object): boolean {
    let known = this.validated.get(metatype);
    if (known === undefined) {
      known = getMetadataStorage().getTargetValidationMetadatas(metatype as new () => unknown, '', true, false).length > 0;
      this.validated.set(metatype, known);
    }
    return known;
  }
}

export function createValidationPipe(opts: { compiledBodies?: boolean } = {}): HubValidationPipe {
  const pipe = new HubValidationPipe();
  pipe.compiledBodies = opts.compiledBodies ?? true;
  return pipe;
}
