import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../src/config';
import { htmlToText, verifyCoralSignature, coralSignature } from '../../src/integrations/coral';
import { DEFAULT_RETRY_SCHEDULE, JITTER, parseDuration, parseRetryAfter, parseSchedule, retryDelay } from '../../src/webhooks/schedule';
import { generateSecret, signedHeaders } from '../../src/webhooks/signing';
import { isPrivateAddress, refusedHost } from '../../src/webhooks/ssrf';

describe('retry schedule', () => {
  it('by default retries for about a day', () => {
    const steps = parseSchedule(DEFAULT_RETRY_SCHEDULE)!;
    const total = steps.reduce((a, b) => a + b, 0);
    expect(steps).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(total / 3600_000).toBeGreaterThan(24);
    expect(total / 3600_000).toBeLessThan(30);
  });

  it('reads durations and refuses what it cannot read', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5d')).toBe(5 * 86_400_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('40')).toBe(40);
    expect(parseDuration('soon')).toBeNull();
    expect(parseSchedule('5s,,1m')).toBeNull();
    expect(parseSchedule('0ms')).toBeNull();
  });

  it('jitters each step within its bounds and stops when the schedule is used up', () => {
    const steps = [1000, 2000];
    expect(retryDelay(steps, 1, () => 0)).toBe(1000 * (1 - JITTER));
    expect(retryDelay(steps, 1, () => 1)).toBe(1000 * (1 + JITTER));
    expect(retryDelay(steps, 2, () => 0.5)).toBe(2000);
    expect(retryDelay(steps, 3)).toBeNull();
  });

  it('reads Retry-After as seconds or a date, capped', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('30', now, 3600_000)).toBe(30_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:02:00 GMT', now, 3600_000)).toBe(120_000);
    expect(parseRetryAfter('999999', now, 3600_000)).toBe(3600_000);
    expect(parseRetryAfter('later', now, 3600_000)).toBeNull();
    expect(parseRetryAfter(undefined, now, 3600_000)).toBeNull();
  });
});

describe('Standard Webhooks signing', () => {
  it('produces signatures the standardwebhooks package verifies, one per secret', () => {
    const [a, b] = [generateSecret(), generateSecret()];
    const body = JSON.stringify({ type: 'ping', timestamp: new Date().toISOString(), data: { é: 'ünïcode' } });
    const headers = signedHeaders([a, b], 'msg_1', body, Date.now());
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(a).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(b).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSecret()).verify(body, { ...headers })).toThrow();
    expect(() => new Webhook(a).verify(body.replace('ping', 'pong'), { ...headers })).toThrow();
  });

  it('matches the package\'s own signature byte for byte', () => {
    const secret = generateSecret();
    const at = new Date('2026-11-23T12:00:00Z');
    const mine = signedHeaders([secret], 'msg_x', '{"a":1}', at.getTime());
    expect(mine['webhook-signature']).toBe(new Webhook(secret).sign('msg_x', at, '{"a":1}'));
  });
});

describe('private addresses', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.0.0.1', true],
    ['172.31.255.255', true],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:a9fe:a9fe', true],
    ['64:ff9b::10.0.0.1', true],
    ['::7f00:1', true],
    ['::a00:1', true],
    ['::ffff:0:7f00:1', true],
    ['0:0:0:0:0:ffff:7f00:1', true],
    ['2002:7f00:1::1', true],
    ['2002:808:808::1', true],
    ['64:ff9b:1::1', true],
    ['8.8.8.8', false],
    ['172.32.0.1', false],
    ['2001:4860:4860::8888', false],
    ['::ffff:8.8.8.8', false],
    ['not-an-ip', true],
  ])('%s is private: %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });

  it('refuses loopback names and private literals in a URL, but not public names', () => {
    expect(refusedHost(new URL('http://LOCALHOST:3000/'))).not.toBeNull();
    expect(refusedHost(new URL('http://api.localhost/'))).not.toBeNull();
    // The fully qualified spelling of the same name.
    expect(refusedHost(new URL('http://LOCALHOST./'))).not.toBeNull();
    expect(refusedHost(new URL('http://api.localhost./'))).not.toBeNull();
    expect(refusedHost(new URL('http://[::1]:80/'))).not.toBeNull();
    expect(refusedHost(new URL('http://0x7f.1/'))).not.toBeNull(); // WHATWG URL reads it as 127.0.0.1
    expect(refusedHost(new URL('https://cms.example.com/hooks'))).toBeNull();
  });
});

describe('Coral helpers', () => {
  it('verifies any one of the comma-separated signatures, over the exact bytes', () => {
    const body = Buffer.from('{\n  "action": "NEW"\n}');
    expect(verifyCoralSignature('empsec_a', body, coralSignature(['empsec_b', 'empsec_a'], body.toString()))).toBe(true);
    expect(verifyCoralSignature('empsec_a', body, coralSignature(['empsec_b'], body.toString()))).toBe(false);
    expect(verifyCoralSignature('empsec_a', Buffer.from('{"action":"NEW"}'), coralSignature(['empsec_a'], body.toString()))).toBe(false);
    expect(verifyCoralSignature('empsec_a', body, undefined)).toBe(false);
    expect(verifyCoralSignature('empsec_a', body, 'sha256=zz')).toBe(false);
  });

  it('turns Coral\'s HTML into the text a reader sees', () => {
    expect(htmlToText('<p>You are an <b>id</b>iot</p><p>Bye&nbsp;&amp; thanks&#33; &#x1F600; &bogus;</p>')).toBe('You are an idiot\nBye & thanks! 😀 &bogus;\n');
    expect(htmlToText('a<br/>b')).toBe('a\nb');
    expect(htmlToText('1 &lt; 2')).toBe('1 < 2');
  });
});

describe('webhook settings', () => {
  it('default to a day of retries, 10 s attempts, 5 days to disabling, private addresses refused', () => {
    const c = loadConfig({});
    expect(c.webhooks).toMatchObject({ allowPrivate: false, timeoutMs: 10_000, disableAfterMs: 5 * 86_400_000, concurrency: 10 });
    expect(c.webhooks.schedule).toHaveLength(7);
    expect(c.coralSigningSecret).toBeNull();
  });

  it('name the variable that is wrong', () => {
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE/);
    expect(() => loadConfig({ WEBHOOK_RETRY_SCHEDULE: '5s,often' })).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ WEBHOOK_DISABLE_AFTER: 'never' })).toThrow(/WEBHOOK_DISABLE_AFTER/);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '60000' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
    expect(() => loadConfig({ CORAL_SIGNING_SECRET: 'short' })).toThrow(/CORAL_SIGNING_SECRET/);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '10ms,1s' }).webhooks).toMatchObject({ allowPrivate: true, schedule: [10, 1000] });
  });
});
