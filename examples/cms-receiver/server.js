// A minimal receiver for Decorum's webhooks: the part of a CMS that hears what was decided
// about each comment. Plain Node, one dependency (standardwebhooks) for the signature check.
//
//   DECORUM_WEBHOOK_SECRET=whsec_... PORT=4000 node server.js
//
// Replace publish()/unpublish() with your CMS's own calls.
'use strict';

const http = require('node:http');
const { Webhook, WebhookVerificationError } = require('standardwebhooks');

const secret = process.env.DECORUM_WEBHOOK_SECRET;
if (!secret || !secret.startsWith('whsec_')) {
  console.error('set DECORUM_WEBHOOK_SECRET to the whsec_... secret Decorum showed when you created the endpoint');
  process.exit(2);
}
const webhook = new Webhook(secret);
const port = Number(process.env.PORT || 4000);
const MAX_BODY = 256 * 1024;

// Decorum retries until it gets a 2xx, with the same webhook-id each time, so a receiver may
// see one message more than once. Remember the ids you handled (in your database in real life:
// this map forgets on restart) and answer 2xx again without acting twice.
const seen = new Map(); // webhook-id -> when
const SEEN_FOR_MS = 3 * 24 * 3600 * 1000; // longer than Decorum's retries (about a day)

// Your CMS's state, for the example: comment id -> 'published' | 'hidden'.
const comments = new Map();

async function publish(commentId, data) {
  comments.set(commentId, 'published');
  console.log(`publish ${commentId} (decided by ${data.decidedBy})`);
}

async function unpublish(commentId, data, why) {
  comments.set(commentId, 'hidden');
  const flagged = Object.entries((data.verdict && data.verdict.categories) || {})
    .filter(([, r]) => r.flagged)
    .map(([category]) => category);
  console.log(`unpublish ${commentId}: ${why}${flagged.length ? ` (${flagged.join(', ')})` : ''}`);
}

async function handle(event) {
  switch (event.type) {
    case 'comment.approved':
      return publish(event.data.commentId, event.data);
    case 'comment.held':
      // Waiting for a moderator: keep it off the page until a comment.approved arrives.
      return unpublish(event.data.commentId, event.data, 'held for review');
    case 'comment.rejected':
      return unpublish(event.data.commentId, event.data, 'rejected');
    case 'ping':
      console.log('ping from Decorum: the endpoint is set up correctly');
      return;
    default:
      // New event types may be added; ignoring them (and answering 2xx) keeps this receiver working.
      return;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/decorum/webhooks') {
    res.writeHead(404).end();
    return;
  }
  let event;
  try {
    // Verify the exact bytes received, before parsing: re-serialised JSON would not match.
    const body = await readBody(req);
    event = webhook.verify(body, {
      'webhook-id': req.headers['webhook-id'] || '',
      'webhook-timestamp': req.headers['webhook-timestamp'] || '',
      'webhook-signature': req.headers['webhook-signature'] || '',
    });
  } catch (err) {
    // 4xx tells Decorum not to retry: a bad signature will not get better. (It is also what a
    // receiver with an outdated secret answers; rotate with the 24-hour overlap to avoid that.)
    const status = err instanceof WebhookVerificationError ? 401 : 400;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(err.message);
    return;
  }
  const id = req.headers['webhook-id'];
  if (seen.has(id)) {
    res.writeHead(204).end();
    return;
  }
  try {
    await handle(event);
  } catch (err) {
    // 5xx: Decorum retries later, same id, same body.
    console.error(`could not handle ${id}: ${err.message}`);
    res.writeHead(503, { 'retry-after': '60' }).end();
    return;
  }
  seen.set(id, Date.now());
  for (const [oldId, at] of seen) if (Date.now() - at > SEEN_FOR_MS) seen.delete(oldId);
  // Answer quickly: Decorum gives up on an attempt after 10 s. Do slow work after answering.
  res.writeHead(204).end();
});

if (require.main === module) {
  server.listen(port, () => console.log(`listening on http://localhost:${port}/decorum/webhooks`));
}

module.exports = { server, comments };
