// Request parameters parsed with zod: a bad one is a 400 naming the parameter (never echoing its value).
import { z } from 'zod';
import { HttpError } from '../errors';

export const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');

/** The parsed query, or a 400 `REQUEST.INVALID_PARAMETER` whose message starts with the parameter's name. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.');
  const message =
    issue.code === 'unrecognized_keys'
      ? 'unknown parameter'
      : issue.code === 'invalid_type'
        ? 'must be given once, as text'
        : issue.message;
  throw new HttpError(400, 'REQUEST.INVALID_PARAMETER', `${name}: ${message}`);
}
