import type { Category } from '../categories';
import { allCaps } from './all_caps';
import { discourtesy } from './discourtesy';
import { profanity } from './profanity';
import { racism } from './racism';
import type { Rule } from './rule';
import { spam } from './spam';
import { violence } from './violence';
import { vulgarity } from './vulgarity';

/** One rule per category; the Record type makes a missing category a compile error. */
export const RULES: Record<Category, Rule> = {
  violence,
  racism,
  profanity,
  vulgarity,
  all_caps: allCaps,
  discourtesy,
  spam,
};

export type { ModerationContext, Rule, RuleInput } from './rule';
