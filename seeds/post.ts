// Posts the demo comments in seeds/comments.json to a running Decorum API (`npm run seed`),
// then waits briefly for the worker to decide them and prints how they were decided.
//
// It finds the service the way the service configures itself: PORT (3000) on this machine and
// the ADMIN_API_KEY it was started with (dev-admin-key outside production). DECORUM_URL points
// it at a service elsewhere, DECORUM_API_KEY gives it another key (a site's, with comments:write
// and comments:read).
//
// A re-run is idempotent: the demo comments keep their ids, and one already stored is left as it
// is rather than submitted again, so running it twice neither duplicates anything nor counts
// against the per-author rate limit.
import articlesJson from './articles.json';
import commentsJson from './comments.json';

interface Article {
  id: string;
  title: string;
  url: string;
  summary: string;
}

interface SeedComment {
  id: string;
  articleId: string;
  author: { id: string; name: string };
  text: string;
  parentId?: string;
  lang?: string;
}

// Annotated so `tsc` checks the JSON files against the shapes the API expects.
const articles: readonly Article[] = articlesJson;
const comments: readonly SeedComment[] = commentsJson;

const BASE_URL = (process.env.DECORUM_URL || `http://127.0.0.1:${process.env.PORT || 3000}`).replace(/\/+$/, '');
const API_KEY = process.env.DECORUM_API_KEY || process.env.ADMIN_API_KEY || 'dev-admin-key';
const CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 10_000;
const POLL_BUDGET_MS = 15_000;
const POLL_INTERVAL_MS = 500;
const REPORTED_STATUSES = ['approved', 'held', 'rejected', 'queued'] as const;

/** Thrown when the API cannot be reached at all, so main() can stop with one clear line. */
class UnreachableError extends Error {}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(`${BASE_URL}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${API_KEY}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      // A hung server should fail the seed, not block it forever.
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    // fetch only rejects on network-level failures (refused, DNS, reset, timeout);
    // HTTP errors arrive as responses and are handled by the caller.
    throw new UnreachableError(err instanceof Error ? err.message : String(err));
  }
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined; // empty or non-JSON body: callers fall back to the status line
  }
}

function stringField(body: unknown, key: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value: unknown = (body as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/** Runs `fn` over `items` with at most `limit` in flight, to avoid flooding a dev server. */
async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Groups comments so every parent is in an earlier wave than its replies: with concurrent
 * posting, a reply could otherwise reach the API before the comment it answers.
 */
function wavesByDepth(all: readonly SeedComment[]): SeedComment[][] {
  const byId = new Map(all.map((c) => [c.id, c]));
  const depth = (c: SeedComment): number => {
    let d = 0;
    for (let p = c.parentId; p !== undefined && d <= all.length; p = byId.get(p)?.parentId) d++;
    return d;
  };
  const waves: SeedComment[][] = [];
  for (const c of all) (waves[depth(c)] ??= []).push(c);
  return waves.filter((w) => w !== undefined);
}

async function postComment(comment: SeedComment, article: Article): Promise<boolean> {
  const res = await request('/v1/comments', {
    method: 'POST',
    body: JSON.stringify({
      id: comment.id,
      articleId: comment.articleId,
      author: comment.author,
      text: comment.text,
      parentId: comment.parentId,
      lang: comment.lang,
      metadata: { articleTitle: article.title, articleUrl: article.url },
    }),
  });
  if (res.ok) return true;
  const body = await readJson(res);
  const detail = stringField(body, 'detail') ?? stringField(body, 'title') ?? res.statusText;
  console.error(`${comment.id}: ${res.status} ${detail}`);
  return false;
}

/** Whether the comment is stored already (a re-run), so it needn't be submitted again. */
async function isStored(id: string): Promise<boolean> {
  const res = await request(`/v1/comments/${encodeURIComponent(id)}`);
  await res.body?.cancel();
  if (res.status === 200) return true;
  if (res.status === 404) return false;
  throw new Error(`GET /v1/comments/${id}: ${res.status} (is DECORUM_API_KEY or ADMIN_API_KEY the service's key?)`);
}

async function statusOf(id: string): Promise<string> {
  const res = await request(`/v1/comments/${encodeURIComponent(id)}`);
  // Not found yet or a transient error: keep treating it as undecided until the budget runs out.
  if (!res.ok) return 'queued';
  return stringField(await readJson(res), 'status') ?? 'queued';
}

async function waitForDecisions(ids: readonly string[]): Promise<Map<string, string>> {
  const statuses = new Map(ids.map((id) => [id, 'queued']));
  const deadline = Date.now() + POLL_BUDGET_MS;
  for (;;) {
    const pending = ids.filter((id) => statuses.get(id) === 'queued');
    await inPool(pending, CONCURRENCY, async (id) => {
      statuses.set(id, await statusOf(id));
    });
    if (ids.every((id) => statuses.get(id) !== 'queued') || Date.now() >= deadline) return statuses;
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}

async function main(): Promise<void> {
  const articleById = new Map(articles.map((a) => [a.id, a]));
  const posted: string[] = [];
  const stored: string[] = [];
  let failed = 0;

  for (const wave of wavesByDepth(comments)) {
    await inPool(wave, CONCURRENCY, async (comment) => {
      const article = articleById.get(comment.articleId);
      if (article === undefined) throw new Error(`${comment.id}: unknown article ${comment.articleId}`);
      if (await isStored(comment.id)) stored.push(comment.id);
      else if (await postComment(comment, article)) posted.push(comment.id);
      else failed++;
    });
  }
  console.log(`posted ${posted.length}, already there ${stored.length}, failed ${failed}`);
  if (failed > 0) process.exitCode = 1;
  if (posted.length + stored.length === 0) return;

  const statuses = await waitForDecisions([...posted, ...stored]);
  const counts = new Map<string, number>(REPORTED_STATUSES.map((s) => [s, 0]));
  for (const status of statuses.values()) counts.set(status, (counts.get(status) ?? 0) + 1);
  console.log([...counts].map(([status, n]) => `${status} ${n}`).join(', '));
}

main().catch((err: unknown) => {
  if (err instanceof UnreachableError) {
    console.error(`Decorum is not reachable at ${BASE_URL}: start it with \`npm start\``);
  } else {
    console.error(err instanceof Error ? err.message : err);
  }
  process.exit(1);
});
