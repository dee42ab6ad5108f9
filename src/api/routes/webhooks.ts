import { randomBytes } from 'node:crypto';
import { type Response, Router } from 'express';
import { z } from 'zod';
import { DeliverySchema, publicDelivery } from '../../webhooks/deliveries-store';
import { Secret } from '../../domain/secret';
import { EndpointSchema, publicEndpoint } from '../../webhooks/endpoints-store';
import { COMMENT_EVENT_TYPES, CommentEventTypeSchema, type WebhookPayload } from '../../webhooks/events';
import { deliveryJobId, enqueueDelivery } from '../../webhooks/queue';
import { refusedHost } from '../../webhooks/ssrf';
import { SiteSchema } from '../../store/api-keys';
import { principalOf } from '../auth';
import { jsonBody as readJsonBody } from '../body';
import type { ApiDeps } from '../deps';
import { byCreation, Pager, pageOf, pageParams, pageScope } from '../page';
import { HttpProblem, parse } from '../problem';
import { ownsSite, siteFor } from '../site-binding';

/** How long the secret a rotation replaces keeps signing deliveries, alongside the new one. */
export const SECRET_GRACE_MS = 24 * 3600 * 1000;

const UrlSchema = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).max(2000);
const EventsSchema = z
  .array(CommentEventTypeSchema, { error: `events must be a list of: ${COMMENT_EVENT_TYPES.join(', ')}` })
  .min(1, 'subscribe to at least one event')
  .refine((e) => new Set(e).size === e.length, 'events must not repeat');
const Description = z.string().max(500);

/** site: only that site's events; a key or account bound to a site creates endpoints of its site only. Omitted by an unbound admin: every site's. */
export const CreateEndpointSchema = z.object({ url: UrlSchema, site: SiteSchema.optional(), events: EventsSchema, description: Description.optional() }).strict();

export const PatchEndpointSchema = z
  .object({ url: UrlSchema.optional(), events: EventsSchema.optional(), description: Description.nullable().optional(), enabled: z.boolean().optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'send at least one of url, events, description, enabled');

export const EndpointParams = z.object({ id: z.string().regex(/^ep_[0-9a-f]{20}$/, 'not an endpoint id') });
export const DeliveryParams = EndpointParams.extend({ deliveryId: z.string().regex(/^msg_[A-Za-z0-9_-]{1,200}$/, 'not a delivery id') });
export const DeliveryListQuery = z.object(pageParams({ default: 50, max: 200 })).strict();

/** Creation's and rotation's answer: the endpoint and its signing secret, shown this once (after a rotation, the old one keeps signing alongside until previousSecretExpiresAt). */
export const CreatedEndpointSchema = EndpointSchema.extend({ secret: Secret('whsec_') });
export const EndpointListSchema = pageOf(EndpointSchema);
export const EndpointListQuery = z.object(pageParams({ default: 100, max: 500 })).strict();
export const PingAcceptedSchema = z.object({ deliveryId: z.string().regex(/^msg_/) });
/** resend counts the manual re-sends of this delivery, this one included. */
export const ResendAcceptedSchema = z.object({ deliveryId: z.string().regex(/^msg_/), resend: z.number().int().min(1) });
export const DeliveryPageSchema = pageOf(DeliverySchema);

export function webhooksRouter({ webhooks, bodyLimitBytes, adminApiKey }: ApiDeps): Router {
  // A body, when there is one, must be JSON (the routes that act on an endpoint take none).
  const jsonBody = readJsonBody(bodyLimitBytes, { optional: true });
  const { endpoints, deliveries, queue, allowPrivate } = webhooks;
  const router = Router();
  const endpointPager = new Pager(adminApiKey, 'webhooks');
  const deliveryPager = new Pager(adminApiKey, 'deliveries');

  /** Refused before it is stored; delivery checks again after resolving the name. */
  const checkUrl = (url: string | undefined) => {
    if (url === undefined || allowPrivate) return;
    const refused = refusedHost(new URL(url));
    if (refused) {
      throw new HttpProblem(422, 'Invalid request', `body url: ${refused}; set WEBHOOK_ALLOW_PRIVATE=true to allow it`, {
        errors: [{ path: 'url', message: refused }],
      });
    }
  };

  // Another site's endpoint is answered as if it did not exist.
  const load = async (res: Response, id: string) => {
    const endpoint = await endpoints.get(id);
    if (!endpoint || !ownsSite(principalOf(res), endpoint.site)) throw new HttpProblem(404, 'Not found', `no webhook endpoint with id ${id}`);
    return endpoint;
  };

  router.post('/', ...jsonBody, async (req, res) => {
    const input = parse(CreateEndpointSchema, req.body, 'body');
    checkUrl(input.url);
    const site = siteFor(principalOf(res), input.site, 'create a webhook endpoint');
    const created = await endpoints.create({ ...input, site }, Date.now());
    res.location(`${req.baseUrl}/${created.id}`);
    // The only time the secret is shown, with the rotation's answer.
    res.status(201).json({ ...publicEndpoint(created), secret: created.secret } satisfies z.infer<typeof CreatedEndpointSchema>);
  });

  router.get('/', async (req, res) => {
    const { limit, cursor } = parse(EndpointListQuery, req.query, 'query');
    const now = Date.now();
    const p = principalOf(res);
    const scope = pageScope(p.site);
    const after = endpointPager.open(cursor, scope);
    const all = (await endpoints.list()).filter((e) => ownsSite(p, e.site)).map((e) => publicEndpoint(e, now));
    res.json(endpointPager.page(all, byCreation, 'asc', limit, after, scope) satisfies z.infer<typeof EndpointListSchema>);
  });

  router.get('/:id', async (req, res) => {
    const { id } = parse(EndpointParams, req.params, 'path');
    res.json(publicEndpoint(await load(res, id)));
  });

  router.patch('/:id', ...jsonBody, async (req, res) => {
    const { id } = parse(EndpointParams, req.params, 'path');
    const patch = parse(PatchEndpointSchema, req.body, 'body');
    checkUrl(patch.url);
    await load(res, id);
    const updated = await endpoints.update(id, patch, Date.now());
    if (!updated) throw new HttpProblem(404, 'Not found', `no webhook endpoint with id ${id}`);
    res.json(publicEndpoint(updated));
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parse(EndpointParams, req.params, 'path');
    await load(res, id);
    if (!(await endpoints.delete(id))) throw new HttpProblem(404, 'Not found', `no webhook endpoint with id ${id}`);
    res.status(204).end();
  });

  router.post('/:id/rotate-secret', ...jsonBody, async (req, res) => {
    const { id } = parse(EndpointParams, req.params, 'path');
    await load(res, id);
    const now = Date.now();
    const rotated = await endpoints.rotateSecret(id, now, SECRET_GRACE_MS);
    const endpoint = rotated && (await endpoints.get(id));
    if (!rotated || !endpoint) throw new HttpProblem(404, 'Not found', `no webhook endpoint with id ${id}`);
    res.json({ ...publicEndpoint(endpoint, now), secret: rotated.secret } satisfies z.infer<typeof CreatedEndpointSchema>);
  });

  router.post('/:id/ping', ...jsonBody, async (req, res) => {
    const { id } = parse(EndpointParams, req.params, 'path');
    const endpoint = await load(res, id);
    if (!endpoint.enabled) throw new HttpProblem(409, 'Endpoint disabled', `webhook endpoint ${id} is disabled; enable it to send a ping`);
    const now = Date.now();
    const payload: WebhookPayload = { type: 'ping', timestamp: new Date(now).toISOString(), data: { endpointId: id } };
    const deliveryId = `msg_ping_${randomBytes(10).toString('hex')}`;
    await deliveries.create({ id: deliveryId, endpointId: id, type: 'ping', body: JSON.stringify(payload) }, now);
    await enqueueDelivery(queue, deliveryId);
    res.location(`${req.baseUrl}/${id}/deliveries/${deliveryId}`);
    res.status(202).json({ deliveryId } satisfies z.infer<typeof PingAcceptedSchema>);
  });

  router.get('/:id/deliveries', async (req, res) => {
    const { id } = parse(EndpointParams, req.params, 'path');
    const { limit, cursor } = parse(DeliveryListQuery, req.query, 'query');
    const scope = pageScope(principalOf(res).site, id);
    const after = deliveryPager.open(cursor, scope);
    await load(res, id);
    // Positions sort newest first by creation time, then id, as the log's index does.
    const page = deliveryPager.page(await deliveries.indexOf(id), (d) => d.position, 'desc', limit, after, scope);
    const items = await deliveries.getMany(page.items.map((d) => d.id));
    res.json({ items: items.map(publicDelivery), nextCursor: page.nextCursor } satisfies z.infer<typeof DeliveryPageSchema>);
  });

  router.get('/:id/deliveries/:deliveryId', async (req, res) => {
    const { id, deliveryId } = parse(DeliveryParams, req.params, 'path');
    await load(res, id);
    const delivery = await deliveries.get(deliveryId);
    if (!delivery || delivery.endpointId !== id) throw new HttpProblem(404, 'Not found', `no delivery ${deliveryId} for webhook endpoint ${id}`);
    res.json(publicDelivery(delivery));
  });

  /** A manual re-send: same webhook-id and body (receivers that saw it drop it), a fresh retry schedule. */
  router.post('/:id/deliveries/:deliveryId/resend', ...jsonBody, async (req, res) => {
    const { id, deliveryId } = parse(DeliveryParams, req.params, 'path');
    const endpoint = await load(res, id);
    const delivery = await deliveries.get(deliveryId);
    if (!delivery || delivery.endpointId !== id) throw new HttpProblem(404, 'Not found', `no delivery ${deliveryId} for webhook endpoint ${id}`);
    if (!endpoint.enabled) throw new HttpProblem(409, 'Endpoint disabled', `webhook endpoint ${id} is disabled; enable it before re-sending`);
    // One still scheduled is left alone (a second job would race it); a pending one whose job is
    // gone (the process that created it died before queueing it) is exactly what a re-send is for.
    const scheduled = delivery.status === 'retrying' || (delivery.status === 'pending' && (await queue.getJob(deliveryJobId(deliveryId, delivery.resends))) !== undefined);
    if (scheduled) {
      throw new HttpProblem(409, 'Delivery scheduled', `delivery ${deliveryId} is ${delivery.status}; it will be attempted on its own`);
    }
    const resend = await deliveries.markResent(deliveryId);
    await enqueueDelivery(queue, deliveryId, resend);
    res.status(202).json({ deliveryId, resend } satisfies z.infer<typeof ResendAcceptedSchema>);
  });

  return router;
}
