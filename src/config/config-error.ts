import type { ValidationError } from 'class-validator';
import { envExample } from './env-examples';

const DEFAULT_ADVICE = 'Fix the setting(s) above (each variable is described in .env.example and the README) and start again.';

/**
 * A start-up problem the operator fixes in the environment or around it: printed as one line per problem and a
 * final line saying what to check, never as a stack trace. `main.ts` exits 1 on it.
 */
export class ConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly advice: string = DEFAULT_ADVICE,
  ) {
    super(['Integrations Hub cannot start:', ...problems.map((p) => `  ${p}`), advice].join('\n'));
  }
}

/** Variables whose values are never echoed back (a typo in a secret is still a secret). */
const SECRET = /KEY|SECRET|PASSWORD|TOKEN/;

/** The value as it may appear in a message: secrets hidden, URL passwords masked, long values cut. */
export function displayValue(name: string, value: unknown): string {
  if (SECRET.test(name)) return '(hidden)';
  const text = String(value).replace(/(\/\/[^:/@\s]*:)[^@/\s]*@/, '$1***@');
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

// A value of the wrong type fails every constraint; the type constraint is the one that explains it.
const TYPE_CONSTRAINTS = ['isInt', 'isBoolean', 'isIn', 'matches', 'isEmail', 'isString'];

/** One line per variable: what is wrong, the value given and a good value. */
export function describeValidationError(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  const key = TYPE_CONSTRAINTS.find((c) => c in constraints) ?? Object.keys(constraints)[0];
  const problem = (constraints[key] ?? 'is invalid').replace(new RegExp(`^${error.property} `), '');
  return `${error.property}: ${problem}, got ${displayValue(error.property, error.value)}${exampleOf(error.property)}`;
}

export function exampleOf(name: string): string {
  const example = envExample(name);
  return example ? ` (for example ${name}=${example})` : '';
}
