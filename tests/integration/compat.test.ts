import OpenAI from 'openai';
import { RESULT_CATEGORIES } from '../../src/compat/openai';
import { ADMIN_KEY, call, startService, type TestService } from '../helpers/service';

let svc: TestService;
beforeAll(async () => {
  svc = await startService('compat', 'api');
});
afterAll(async () => {
  await svc.stop();
});

describe('OpenAI-compatible POST /v1/moderations, through the official openai SDK', () => {
  const client = () => new OpenAI({ apiKey: ADMIN_KEY, baseURL: `${svc.url}/v1`, maxRetries: 0 });

  it('answers a single text in OpenAI\'s shape, with Decorum\'s evidence alongside', async () => {
    const res = await client().moderations.create({ input: 'I will kill you, you worthless idiot.', model: 'omni-moderation-latest' });
    expect(res.id).toMatch(/^modr-[0-9a-f]{24}$/);
    expect(res.model).toBe('omni-moderation-latest');
    expect(res.results).toHaveLength(1);
    const [r] = res.results;
    expect(r.flagged).toBe(true);
    expect(Object.keys(r.categories).sort()).toEqual([...RESULT_CATEGORIES].sort());
    expect(Object.keys(r.category_scores).sort()).toEqual([...RESULT_CATEGORIES].sort());
    expect(r.categories.violence).toBe(true);
    expect(r.categories['harassment/threatening']).toBe(true);
    expect(r.categories.harassment).toBe(true);
    expect(r.categories['self-harm']).toBe(false);
    expect(r.category_scores.violence).toBeGreaterThan(0.5);
    expect(r.category_scores['sexual/minors']).toBe(0);
    const decorum = (r as unknown as { decorum: any }).decorum;
    const ev = decorum.categories.violence.evidence[0];
    expect('I will kill you, you worthless idiot.'.slice(ev.start, ev.end)).toBe(ev.text);
    expect(ev.rule).toMatch(/^(?:threat|phrase\/violence)\//);
  });

  it('answers a batch in order, and a clean text is not flagged', async () => {
    const res = await client().moderations.create({ input: ['The summit changed nothing.', 'What a load of shit.'] });
    expect(res.model).toMatch(/^decorum-/);
    expect(res.results.map((r) => r.flagged)).toEqual([false, true]);
    expect(Object.values(res.results[0].categories).every((v) => v === false)).toBe(true);
    // Swearing has no OpenAI category: it answers under Decorum's name, so `flagged` has a reason in `categories`.
    expect((res.results[1].categories as unknown as Record<string, boolean>).profanity).toBe(true);
    const decorum = (res.results[1] as unknown as { decorum: any }).decorum;
    expect(decorum.categories.profanity.flagged).toBe(true);
  });

  it('accepts the multi-modal input shape for text parts', async () => {
    const res = await client().moderations.create({ input: [{ type: 'text', text: 'You are an idiot.' }] });
    expect(res.results[0].categories.harassment).toBe(true);
  });

  it("answers a wrong key and bad input in OpenAI's error shape, whose message the SDK shows", async () => {
    const wrong = new OpenAI({ apiKey: 'not-the-key', baseURL: `${svc.url}/v1`, maxRetries: 0 });
    const refused = await wrong.moderations.create({ input: 'hello' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(refused).toMatchObject({ status: 401, type: 'authentication_error', code: 'invalid_api_key' });
    expect((refused as Error).message).toMatch(/^401 .*key/);

    const empty = await client().moderations.create({ input: [] as string[] }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect(empty).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'input' });
    // The server's own words, not "(no body)": which field, and what is wrong with it.
    expect((empty as Error).message).toMatch(/^400 body input: .*at least one text/);
    expect((empty as Error).message).not.toMatch(/no body/);

    const image = await call(svc.url, '/v1/moderations', { body: { input: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] } });
    expect(image.status).toBe(400);
    expect(image.headers.get('content-type')).toMatch(/^application\/json/);
    expect(image.body).toEqual({ error: { message: expect.stringMatching(/^body input/), type: 'invalid_request_error', param: expect.stringMatching(/^input/), code: 'invalid_value' } });
    const notJson = await call(svc.url, '/v1/moderations', { rawBody: 'input=hello', headers: { 'content-type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatchObject({ message: 'send the request body as application/json', type: 'invalid_request_error', param: null });
    const scope = await call(svc.url, '/v1/moderations/nothing-here', { body: { input: 'x' } });
    expect(scope.status).toBe(404);
    expect(scope.body.error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
  });
});

describe('Perspective-compatible POST /v1alpha1/comments:analyze', () => {
  const analyze = (body: unknown, query = `?key=${ADMIN_KEY}`) =>
    call(svc.url, `/v1alpha1/comments:analyze${query}`, { body, key: null });

  it("answers Perspective's documented example in Perspective's shape", async () => {
    // The request and response shape of Perspective's "Analyze" example.
    const text = 'What kind of idiot name is foo?';
    const r = await analyze({ comment: { text }, languages: ['en'], requestedAttributes: { TOXICITY: {} } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['attributeScores', 'detectedLanguages', 'languages']);
    expect(Object.keys(r.body.attributeScores)).toEqual(['TOXICITY']);
    const tox = r.body.attributeScores.TOXICITY;
    expect(tox.summaryScore.type).toBe('PROBABILITY');
    expect(tox.summaryScore.value).toBeGreaterThan(0.5);
    expect(tox.spanScores).toEqual([{ begin: 0, end: text.length, score: tox.summaryScore }]);
    expect(r.body.languages).toEqual(['en']);
    expect(r.body.detectedLanguages).toEqual(['en']);
  });

  it('scores each requested attribute from its mapped categories, with evidence spans on request', async () => {
    const text = 'Nice article. I will kill you, you moron.';
    const r = await analyze({
      comment: { text },
      requestedAttributes: { TOXICITY: {}, THREAT: {}, INSULT: {}, IDENTITY_ATTACK: {}, PROFANITY: {} },
      spanAnnotations: true,
      clientToken: 'abc',
    });
    expect(r.status).toBe(200);
    const s = r.body.attributeScores;
    expect(s.THREAT.summaryScore.value).toBeGreaterThan(0.5);
    expect(s.INSULT.summaryScore.value).toBeGreaterThan(0.5);
    expect(s.IDENTITY_ATTACK.summaryScore.value).toBeLessThan(0.5);
    expect(s.IDENTITY_ATTACK.spanScores).toEqual([{ begin: 0, end: text.length, score: s.IDENTITY_ATTACK.summaryScore }]);
    expect(s.PROFANITY.summaryScore.value).toBeLessThan(0.5);
    const threat = s.THREAT.spanScores.map((x: { begin: number; end: number }) => text.slice(x.begin, x.end));
    expect(threat.join(' ')).toMatch(/kill/);
    expect(threat.join(' ')).not.toMatch(/Nice article/);
    expect(r.body.clientToken).toBe('abc');
    expect(r.body.detectedLanguages).toEqual(['en']);
  });

  it('leaves out attributes under scoreThreshold, and detects Ukrainian and Russian by script', async () => {
    const r = await analyze({ comment: { text: 'Дякую за статтю, цікаво.' }, requestedAttributes: { TOXICITY: { scoreThreshold: 0.5 } } });
    expect(r.status).toBe(200);
    expect(r.body.attributeScores).toEqual({});
    expect(r.body.detectedLanguages).toEqual(['uk']);
    const ru = await analyze({ comment: { text: 'Спасибо за статью.' }, requestedAttributes: { TOXICITY: {} } });
    expect(ru.body.detectedLanguages).toEqual(['ru']);
  });

  it('takes the key as a bearer header too, and refuses a missing or wrong one', async () => {
    const body = { comment: { text: 'hello' }, requestedAttributes: { TOXICITY: {} } };
    expect((await call(svc.url, '/v1alpha1/comments:analyze', { body })).status).toBe(200);
    const none = await analyze(body, '');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/json/);
    expect(none.body).toEqual({ error: { code: 401, message: expect.stringMatching(/key/), status: 'UNAUTHENTICATED', details: [] } });
    expect((await analyze(body, '?key=wrong')).status).toBe(401);
  });

  it("answers Coral Talk's toxicity calls: its analyze body, and its feedback call, acknowledged", async () => {
    // The body Coral's perspective service sends (coralproject/talk, services/perspective).
    const r = await analyze({ comment: { text: 'You are a moron.' }, doNotStore: true, requestedAttributes: { TOXICITY: {} }, languages: ['en'] });
    expect(r.status).toBe(200);
    expect(r.body.attributeScores.TOXICITY.summaryScore.value).toBeGreaterThan(0.5);
    const feedback = await call(svc.url, `/v1alpha1/comments:suggestscore?key=${ADMIN_KEY}`, {
      key: null,
      body: {
        comment: { text: 'You are a moron.' },
        context: { entries: [{ text: '{"url":"https://example.com/a#c1"}' }] },
        attributeScores: { TOXICITY: { summaryScore: { value: 1 } } },
        languages: ['en'],
        communityId: 'Coral:https://example.com',
        clientToken: 'comment:c1',
      },
    });
    expect(feedback.status).toBe(200);
    expect(feedback.body).toEqual({ detectedLanguages: ['en'], requestedLanguages: ['en'], clientToken: 'comment:c1' });
  });

  it("refuses what it cannot answer in Perspective's error shape, saying why", async () => {
    const unknown = await analyze({ comment: { text: 'hello' }, requestedAttributes: { FLIRTATION: {} } });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
    expect(unknown.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(/supported attributes: TOXICITY/) });
    expect(unknown.body.error.details).toEqual([
      { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'requestedAttributes', description: expect.stringMatching(/supported attributes/) }] },
    ]);
    const lang = await analyze({ comment: { text: 'hola' }, languages: ['es'], requestedAttributes: { TOXICITY: {} } });
    expect(lang.status).toBe(400);
    expect(lang.body.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(/does not support request languages: es/) });
    expect(lang.body.error.details).toEqual([{ '@type': 'type.googleapis.com/google.commentanalyzer.v1alpha1.Error', errorType: 'LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE' }]);
    const scoreType = await analyze({ comment: { text: 'hello' }, requestedAttributes: { TOXICITY: { scoreType: 'STD_DEV_SCORE' } } });
    expect(scoreType.status).toBe(400);
    expect(scoreType.body.error.details[0].fieldViolations[0]).toEqual({ field: 'requestedAttributes.TOXICITY.scoreType', description: 'only scoreType PROBABILITY is supported' });
    const feedback = await call(svc.url, `/v1alpha1/comments:suggestscore?key=${ADMIN_KEY}`, { key: null, body: { comment: {} } });
    expect(feedback.status).toBe(400);
    expect(feedback.body.error.status).toBe('INVALID_ARGUMENT');
  });
});
