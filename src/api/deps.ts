import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis';
import type { CompiledPolicy } from '../engine';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { ModerationJob } from '../queue/moderation';
import type { PasswordHasher } from '../auth/passwords';
import type { LoginThrottle } from '../auth/throttle';
import type { SessionStore } from '../auth/sessions';
import type { AuditLog } from '../store/audit';
import type { CommentStore } from '../store/comments';
import type { DeliveryStore } from '../webhooks/deliveries-store';
import type { EndpointStore } from '../webhooks/endpoints-store';
import type { DeliveryJob } from '../webhooks/queue';
import type { Keys } from '../store/keys';
import type { ApiKeyStore } from '../store/api-keys';
import type { ModeratorStore } from '../store/moderators';
import type { BearerKeys } from '../auth/bearer-keys';
import type { Backpressure } from './backpressure';
import type { DecisionWaiter } from './decision-waiter';
import type { RateLimiter } from './rate-limit';
import type { ReviewStream } from './review-stream';

/** Everything the HTTP layer needs, handed in by the composition root (src/main.ts). */
export interface ApiDeps {
  adminApiKey: string;
  redis: RedisClient;
  store: CommentStore;
  queue: Queue<ModerationJob>;
  waiter: DecisionWaiter;
  policy: CompiledPolicy;
  log: Logger;
  metrics: Metrics;
  /** BODY_LIMIT_BYTES: the largest JSON body any route reads. */
  bodyLimitBytes: number;
  webhooks: {
    endpoints: EndpointStore;
    deliveries: DeliveryStore;
    queue: Queue<DeliveryJob>;
    /** WEBHOOK_ALLOW_PRIVATE: endpoints on loopback and private addresses are accepted. */
    allowPrivate: boolean;
  };
  /** Coral's signing secret for its external moderation phase; null turns the endpoint off. */
  coralSigningSecret: string | null;
  keys: Keys;
  moderators: ModeratorStore;
  /** Scoped API keys (POST /v1/keys), each bound to a site. */
  apiKeys: ApiKeyStore;
  /** Who a bearer key belongs to, remembered per process until any key or account changes. */
  bearerKeys: BearerKeys;
  sessions: SessionStore;
  throttle: LoginThrottle;
  /** scrypt at PASSWORD_SCRYPT_N. */
  passwords: PasswordHasher;
  audit: AuditLog;
  /** Fans the events stream out to dashboards (server-sent events). */
  reviewStream: ReviewStream;
  secureCookies: boolean;
  /** Submission limits per key, author and client address (429), kept in Redis. */
  rateLimiter: RateLimiter;
  /** Refuses submissions (503) while the moderation backlog is too deep. */
  backpressure: Backpressure;
  /** Express's "trust proxy": which X-Forwarded-For hops to believe for the client's address. */
  trustProxy?: boolean | number | string;
}
