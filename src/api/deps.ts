import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CompiledPolicy } from '../engine';
import type { Logger } from '../logger';
import type { ModerationJob } from '../queue/moderation';
import type { LoginThrottle } from '../auth/throttle';
import type { SessionStore } from '../auth/sessions';
import type { AuditLog } from '../store/audit';
import type { CommentStore } from '../store/comments';
import type { Keys } from '../store/keys';
import type { ModeratorStore } from '../store/moderators';
import type { DecisionWaiter } from './decision-waiter';
import type { ReviewStream } from './review-stream';

/** Everything the HTTP layer needs, handed in by the composition root (src/main.ts). */
export interface ApiDeps {
  adminApiKey: string;
  redis: Redis;
  store: CommentStore;
  queue: Queue<ModerationJob>;
  waiter: DecisionWaiter;
  policy: CompiledPolicy;
  log: Logger;
  keys: Keys;
  moderators: ModeratorStore;
  sessions: SessionStore;
  throttle: LoginThrottle;
  audit: AuditLog;
  /** Fans the events stream out to dashboards (server-sent events). */
  reviewStream: ReviewStream;
  secureCookies: boolean;
  /** Express's "trust proxy": which X-Forwarded-For hops to believe for the client's address. */
  trustProxy?: boolean | number | string;
}
