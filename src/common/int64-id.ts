import { ValidateBy } from 'class-validator';

const INT64_MAX = 9223372036854775807n;

/**
 * A positive decimal id that fits PostgreSQL's bigint (snowflake ids, GitHub installation ids). Larger numbers
 * must be refused before they reach a query, where they were an out-of-range error and a 500.
 */
export function isInt64Id(value: unknown): value is string {
  // Up to 18 digits always fits: only a 19-digit value needs the comparison (a BigInt parse per call otherwise).
  return typeof value === 'string' && /^\d{1,19}$/.test(value) && (value.length < 19 || BigInt(value) <= INT64_MAX);
}

/** class-validator form of `isInt64Id`. */
export const IsInt64Id = (message: string): PropertyDecorator => ValidateBy({ name: 'isInt64Id', validator: { validate: isInt64Id, defaultMessage: () => message } });

