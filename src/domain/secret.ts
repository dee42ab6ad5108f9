import { z } from 'zod';

/**
 * The one shape of "a resource plus its secret, shown once" (a new API key, a moderator's
 * personal key, a webhook endpoint's signing secret, and each of their rotations): the resource
 * exactly as every other answer shows it, extended with `secret: Secret(prefix)`. The secret is
 * in that answer and nowhere else, ever.
 */
export const Secret = (prefix: 'dk_' | 'whsec_') => z.string().regex(new RegExp(`^${prefix}`)).describe('shown in this answer only: store it now');
