import type { Principal } from './auth';
import { HttpProblem } from './problem';

/**
 * The site a new key, account or webhook endpoint belongs to. A principal bound to a site creates
 * for its own site only (naming it is optional); an unbound one names a site, or none for every
 * site. Creating for every site is what only an unbound admin may do.
 */
export function siteFor(p: Principal, requested: string | undefined, what: string): string | undefined {
  if (p.site === undefined) return requested;
  if (requested !== undefined && requested !== p.site) {
    throw new HttpProblem(403, 'Forbidden', `this key or account is bound to site ${p.site}; it cannot ${what} for site ${requested}`);
  }
  return p.site;
}

/** Whether a principal may see or manage something of `site` (undefined: every site's, which only an unbound principal may). */
export const ownsSite = (p: Principal, site: string | undefined) => p.site === undefined || p.site === site;
