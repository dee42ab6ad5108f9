import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../src/engine/analyze';
import { bytesToUint32, decodeBase64, encodeBase64, uint32ToBytes } from '../../src/engine/classifier/codec';
import { charFeatures, charGramCount, extractFeatures, FEATURE_GROUP_META, FeatureBuffer, metaFeatures, nameHash } from '../../src/engine/classifier/features';
import { type ClassifierModel, ClassifierModelSchema, HEADS } from '../../src/engine/classifier/model';
import { createClassifier } from '../../src/engine/classifier/score';
import { DEFAULT_TRAIN_OPTIONS, findNames, headTarget, isHoldout, prepareRows, trainClassifier, type TrainingRow } from '../../scripts/classifier/train';
import { tokenize } from '../../src/engine/normalize/tokenize';
import { loadPolicy } from '../../src/policies';

// The committed model is read here, by the test; the engine itself never touches the disk.
const MODEL_FILE = path.resolve(__dirname, '..', '..', 'models', 'classifier.json');
const rawModel: unknown = JSON.parse(readFileSync(MODEL_FILE, 'utf8'));
const model: ClassifierModel = ClassifierModelSchema.parse(rawModel);
const classifier = createClassifier(model);
const policy = loadPolicy();

/** What the engine hands the classifier: its analysis' tokens and lexicon hits. */
function score(text: string, c = classifier) {
  const a = analyze(text, policy.lexicon);
  return c.score(a.tokens, { hits: a.hits, text });
}

const SAMPLES = [
  '',
  'You are an idiot.',
  'I completely disagree with you.',
  'The foreign ministers met in Helsinki on Monday to discuss a ceasefire.',
  '@user @user #MAGA what a moron, see https://example.com/x?y=1',
  'Sh1t, that is f***ing stupid!!! 😡😡',
  'Ты идиот, а не эксперт.',
  'Trump held out his hand and Putin reached back to shake it.',
  'ＹＯＵ ＡＲＥ ＡＮ ＩＤＩＯＴ',
  'word '.repeat(400),
];

describe('the committed model', () => {
  it('parses with the schema and stays small enough to commit', () => {
    expect(ClassifierModelSchema.safeParse(rawModel).success).toBe(true);
    expect(model.heads.map((h) => h.name).sort()).toEqual([...HEADS].sort());
    expect(statSync(MODEL_FILE).size).toBeLessThan(3 * 1024 * 1024);
  });

  it('rejects a model whose arrays disagree with its heads', () => {
    const broken = { ...model, weights: encodeBase64(new Uint8Array(7)) };
    expect(() => createClassifier(broken)).toThrow(/weights/);
    expect(() => createClassifier({ ...model, heads: model.heads.slice(1) })).toThrow();
  });

  it('scores an insult above disagreement, on discourtesy and offensive', () => {
    const insult = score('You are an idiot.');
    const disagreement = score('I completely disagree with you.');
    expect(insult.heads.discourtesy).toBeGreaterThan(disagreement.heads.discourtesy);
    expect(insult.heads.offensive).toBeGreaterThan(disagreement.heads.offensive);
    expect(insult.heads.offensive).toBeGreaterThan(0.5);
  });

  it('leaves a clean on-topic news sentence below 0.5 on offensive', () => {
    for (const s of [
      'The foreign ministers met in Helsinki on Monday to discuss a ceasefire.',
      'Trump held out his hand and Putin reached back to shake it.',
    ]) {
      expect(score(s).heads.offensive).toBeLessThan(0.5);
    }
  });

  it('does not learn a politician as an insult: the name alone stays near an empty comment', () => {
    const empty = score('').heads.offensive;
    expect(Math.abs(score('Trump').heads.offensive - empty)).toBeLessThan(0.1);
  });

  it('names the word that drove the score, as a span of the original text', () => {
    const text = 'Honestly, you are such an idiot.';
    const top = score(text).top.discourtesy;
    expect(top.length).toBeGreaterThan(0);
    expect(text.slice(top[0].start, top[0].end)).toBe('idiot');
    expect(top[0].text).toBe('idiot');
    expect(top[0].weight).toBeGreaterThan(0);
    // Full-width letters fold to "idiot", but the span still points at what the user typed.
    const wide = 'you are an ｉｄｉｏｔ';
    const wideTop = score(wide).top.offensive;
    expect(wideTop.map((e) => wide.slice(e.start, e.end))).toContain('ｉｄｉｏｔ');
  });

  it('explains only the heads that reach their explainAt, with the same scores', () => {
    const text = 'Honestly, you are such an idiot.';
    const a = analyze(text, policy.lexicon);
    const full = classifier.score(a.tokens, { hits: a.hits, text });
    const p = full.heads.discourtesy;
    const some = classifier.score(a.tokens, { hits: a.hits, text, explainAt: { discourtesy: p, offensive: 2 } });
    expect(some.heads).toEqual(full.heads);
    expect(full.top.offensive.length).toBeGreaterThan(0);
    expect(some.top.offensive).toEqual([]); // under its threshold
    expect(some.top.discourtesy).toEqual(full.top.discourtesy); // reaches it
    expect(some.top.racism).toEqual(full.top.racism); // no threshold: always explained
    const none = classifier.score(a.tokens, { hits: a.hits, text, explainAt: { discourtesy: Math.min(1, p + 1e-9) } });
    expect(none.top.discourtesy).toEqual([]);
  });

  it('lists evidence strongest first, at most three per head, and only words that raised the score', () => {
    for (const text of SAMPLES) {
      const r = score(text);
      for (const head of HEADS) {
        const top = r.top[head];
        expect(top.length).toBeLessThanOrEqual(3);
        for (let i = 0; i < top.length; i++) {
          expect(top[i].weight).toBeGreaterThan(0);
          if (i > 0) expect(top[i].weight).toBeLessThanOrEqual(top[i - 1].weight);
          expect(top[i].text).toBe(text.slice(top[i].start, top[i].end));
        }
      }
    }
  });

  it('keeps every score a probability', () => {
    for (const text of SAMPLES) {
      const r = score(text);
      for (const head of HEADS) {
        expect(r.heads[head]).toBeGreaterThanOrEqual(0);
        expect(r.heads[head]).toBeLessThanOrEqual(1);
        expect(Number.isFinite(r.heads[head])).toBe(true);
      }
    }
  });

  it('gives the same output for the same input, whatever it scored before and with or without its memo', () => {
    const fresh = createClassifier(model, { memoWords: 0 });
    const tiny = createClassifier(model, { memoWords: 3 });
    const first = SAMPLES.map((t) => score(t));
    const again = SAMPLES.map((t) => score(t));
    expect(again).toEqual(first);
    for (let i = SAMPLES.length - 1; i >= 0; i--) {
      expect(score(SAMPLES[i], fresh)).toEqual(first[i]);
      expect(score(SAMPLES[i], tiny)).toEqual(first[i]);
    }
  });

  it('gives the same output with the analysis word slots, shared by several classifiers and across memo clears', () => {
    const tiny = createClassifier(model, { memoWords: 3 });
    const other = createClassifier(model);
    const first = SAMPLES.map((t) => score(t));
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < SAMPLES.length; i++) {
        const a = analyze(SAMPLES[i], policy.lexicon);
        for (const c of [classifier, tiny, other]) {
          expect(c.score(a.tokens, { hits: a.hits, text: SAMPLES[i], slots: a.words })).toEqual(first[i]);
        }
      }
    }
  });

  it('scores exactly what training computed: the fast path equals a plain sum over extractFeatures', () => {
    const keys = bytesToUint32(decodeBase64(model.keys));
    const bytes = decodeBase64(model.weights);
    const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const index = new Map<number, number>();
    keys.forEach((k, i) => index.set(k, i));
    const names = new Set(bytesToUint32(decodeBase64(model.names)));
    const H = model.heads.length;
    const buf = new FeatureBuffer();
    for (const text of SAMPLES) {
      const a = analyze(text, policy.lexicon);
      extractFeatures(a.tokens, model.features, buf, a.hits, names);
      const got = classifier.score(a.tokens, { hits: a.hits });
      model.heads.forEach((head, h) => {
        let z = head.bias;
        for (let i = 0; i < buf.count; i++) {
          const k = index.get(buf.ids[i]);
          if (k !== undefined) z += head.scale * q[k * H + h] * buf.norm(buf.group[i]);
        }
        const p = 1 / (1 + Math.exp(-(head.calibration.a * z + head.calibration.b)));
        expect(got.heads[head.name]).toBeCloseTo(p, 10);
      });
    }
  });

  it('adds register features that belong to the whole comment, never to a word', () => {
    expect(model.features.meta).toBe(true);
    const buf = new FeatureBuffer();
    for (const text of SAMPLES) {
      buf.reset();
      metaFeatures(tokenize(text), model.features, buf);
      // One bucketed fact each: length, mentions, links, tags, sentences, capitalised, shouted, word length.
      expect(buf.count).toBe(8);
      for (let i = 0; i < buf.count; i++) {
        expect(buf.tokA[i]).toBe(-1);
        expect(buf.group[i]).toBe(FEATURE_GROUP_META);
      }
    }
    // The same words as a reply to someone and as a line of reporting differ only in register.
    const reply = new FeatureBuffer();
    const report = new FeatureBuffer();
    metaFeatures(tokenize('@user the war has killed thousands'), model.features, reply);
    metaFeatures(tokenize('The war has killed thousands, officials in Kyiv and Moscow said on Monday.'), model.features, report);
    expect(Array.from(reply.ids.subarray(0, 8))).not.toEqual(Array.from(report.ids.subarray(0, 8)));
  });

  it('counts character n-grams the way it emits them', () => {
    const cfg = model.features;
    const buf = new FeatureBuffer();
    for (const word of ['a', 'ab', 'abc', 'idiot', 'counterterrorism']) {
      buf.reset();
      charFeatures(word, 0, 0, cfg, buf);
      expect(charGramCount(word.length, cfg)).toBe(buf.count);
    }
  });

  it('moves a head by Bayes’ rule when a site sets its own base rate', () => {
    const rare = createClassifier(model, { baseRates: { offensive: 0.05 } });
    const text = 'You are an idiot.';
    const a = analyze(text, policy.lexicon);
    const p = classifier.score(a.tokens, { hits: a.hits }).heads.offensive;
    const p2 = rare.score(a.tokens, { hits: a.hits }).heads.offensive;
    const base = model.heads.find((h) => h.name === 'offensive')!.baseRate;
    const odds = (x: number) => x / (1 - x);
    expect(odds(p2) / odds(p)).toBeCloseTo(odds(0.05) / odds(base), 6);
    expect(() => createClassifier(model, { baseRates: { racism: 1 } })).toThrow(/base rate/);
  });
});

describe('labels and scope', () => {
  const row = (labels: string[], scope: string[]): TrainingRow => ({ id: 'x:1', text: '', labels, scope });
  const ALL = ['vulgarity', 'discourtesy', 'racism', 'violence'];

  it('makes a clean row a negative only inside its scope', () => {
    const hateClean = row(['clean'], ['racism']);
    expect(headTarget('racism', hateClean)).toBe(0);
    expect(headTarget('offensive', hateClean)).toBeNull(); // a HatEval "not hateful" tweet may swear
    expect(headTarget('vulgarity', hateClean)).toBeNull();
    const davidsonClean = row(['clean'], ['racism', 'vulgarity']);
    expect(headTarget('vulgarity', davidsonClean)).toBe(0);
    expect(headTarget('discourtesy', davidsonClean)).toBeNull();
    expect(headTarget('offensive', row(['clean'], ALL))).toBe(0);
  });

  it('reads a flagged row as positive for its category and for offensive', () => {
    const insult = row(['discourtesy'], ALL);
    expect(headTarget('offensive', insult)).toBe(1);
    expect(headTarget('discourtesy', insult)).toBe(1);
    expect(headTarget('racism', insult)).toBe(0);
    // One label per row: a targeted insult may still be vulgar, so it teaches vulgarity nothing.
    expect(headTarget('vulgarity', insult)).toBeNull();
    expect(headTarget('offensive', row(['racism'], ['racism']))).toBe(1);
  });

  it('reads a news row (scope any) as judged whole, and an untyped toxic row as saying nothing of its type', () => {
    const clean = row(['clean'], ['any']);
    for (const head of HEADS) expect(headTarget(head, clean)).toBe(0);
    const untyped = row(['toxic_unspecified'], ['any']);
    expect(headTarget('offensive', untyped)).toBe(1);
    expect(headTarget('racism', untyped)).toBeNull();
    expect(headTarget('discourtesy', untyped)).toBeNull();
    expect(headTarget('vulgarity', untyped)).toBeNull();
    expect(headTarget('racism', row(['discourtesy'], ['any']))).toBe(0);
  });
});

describe('names', () => {
  const prepared = prepareRows([{ id: 'x:1', text: 'the russian view, said Ivanov and Ivanov and Ivanov and Ivanov and Ivanov', labels: ['clean'], scope: ['any'] }]);

  it('adds the words it is told to read as names to those found by capitalisation', () => {
    const found = findNames(prepared, { minCount: 5, minShare: 0.8 });
    expect([...found]).toEqual([nameHash('ivanov')]);
    const withAlways = findNames(prepared, { minCount: 5, minShare: 0.8, always: ['russian'] });
    expect([...withAlways].sort()).toEqual([nameHash('ivanov'), nameHash('russian')].sort());
  });
});

describe('training', () => {
  const insults = ['idiot', 'moron', 'stupid clown', 'loser', 'pathetic troll', 'dumb fool'];
  const topics = ['the summit', 'the ceasefire talks', 'the election', 'the new budget', 'the weather', 'this article'];
  const rows: TrainingRow[] = [];
  for (let i = 0; i < 120; i++) {
    const insult = i % 2 === 0;
    const text = insult
      ? `@user you are a ${insults[i % insults.length]}, ${topics[(i * 7) % topics.length]} proves it`
      : `@user I read about ${topics[i % topics.length]} and I think ${topics[(i * 5) % topics.length]} matters`;
    rows.push({
      id: `tiny:${i}`,
      text,
      labels: insult ? ['discourtesy'] : ['clean'],
      scope: ['vulgarity', 'discourtesy', 'racism', 'violence'],
    });
  }
  // Small hash space: the test should not allocate what a real training run does.
  const options = { ...DEFAULT_TRAIN_OPTIONS, features: { ...DEFAULT_TRAIN_OPTIONS.features, bits: 16 }, maxFeatures: 5000 };

  it('is deterministic: the same rows give a byte-identical model', () => {
    const a = JSON.stringify(trainClassifier(rows, options).model);
    const b = JSON.stringify(trainClassifier(rows, options).model);
    expect(a).toBe(b);
    const reordered = JSON.stringify(trainClassifier(rows, { ...options, seed: options.seed + 1 }).model);
    expect(reordered).not.toBe(a);
  });

  it('still reads a model made without register features (older files)', () => {
    const { model: plain } = trainClassifier(rows, { ...options, features: { ...options.features, meta: false } });
    expect(plain.features.meta).toBe(false);
    const { meta: _, ...older } = plain.features;
    const c = createClassifier({ ...plain, features: older });
    const p = (t: string) => c.score(tokenize(t)).heads.discourtesy;
    expect(p('@user you are a moron')).toBeGreaterThan(p('@user I read about the summit'));
  });

  it('learns the same lesson with averaged weights, naive-Bayes scaling and dropout, deterministically', () => {
    for (const change of [{ average: true, epochs: 4 }, { nbAlpha: 1 }, { dropout: 0.4 }]) {
      const a = trainClassifier(rows, { ...options, ...change }).model;
      expect(JSON.stringify(trainClassifier(rows, { ...options, ...change }).model)).toBe(JSON.stringify(a));
      expect(JSON.stringify(a)).not.toBe(JSON.stringify(trainClassifier(rows, options).model));
      const c = createClassifier(a);
      const p = (t: string) => c.score(tokenize(t)).heads.discourtesy;
      expect(p('@user you are a moron')).toBeGreaterThan(p('@user I read about the summit'));
    }
  });

  it('learns the same lesson as a seed ensemble and bagged, deterministically, in one linear table', () => {
    const single = trainClassifier(rows, options).model;
    for (const change of [{ ensemble: { count: 3 } }, { ensemble: { count: 3, bag: 0.8 } }]) {
      const a = trainClassifier(rows, { ...options, ...change }).model;
      expect(JSON.stringify(trainClassifier(rows, { ...options, ...change }).model)).toBe(JSON.stringify(a));
      expect(a.weights).not.toBe(single.weights);
      // The mean of the models is one model: same format, no more features than one would keep.
      expect(a.training.featuresKept).toBeLessThanOrEqual(options.maxFeatures);
      const c = createClassifier(a);
      const p = (t: string) => c.score(tokenize(t)).heads.discourtesy;
      expect(p('@user you are a moron')).toBeGreaterThan(p('@user I read about the summit'));
    }
    // An ensemble of one is the plain model.
    expect(JSON.stringify(trainClassifier(rows, { ...options, ensemble: { count: 1 } }).model)).toBe(JSON.stringify(single));
  });

  it('moves only the training order with shuffleSeed: the held-out rows, and so the calibration slice, stay', () => {
    const a = trainClassifier(rows, options);
    const b = trainClassifier(rows, { ...options, shuffleSeed: 1 });
    expect(b.model.weights).not.toBe(a.model.weights);
    for (const head of HEADS) expect(b.holdout[head].all.n).toBe(a.holdout[head].all.n);
  });

  it('holds out the slice holdoutOffset names, and by default the shipped one', () => {
    const a = trainClassifier(rows, options);
    expect(JSON.stringify(trainClassifier(rows, { ...options, holdoutOffset: 0 }).model)).toBe(JSON.stringify(a.model));
    const ids = rows.map((r) => r.id);
    const slices = [0, 0.2, 0.4, 0.6, 0.8].map((o) => ids.filter((id) => isHoldout(id, 0.2, options.seed, o)));
    // Five offsets hold out every row exactly once.
    expect(slices.flat().sort()).toEqual([...ids].sort());
    expect(slices[0]).toEqual(ids.filter((id) => isHoldout(id, 0.2, options.seed)));
    const b = trainClassifier(rows, { ...options, holdoutOffset: 0.2 });
    expect(b.model.weights).not.toBe(a.model.weights);
  });

  it('takes a data set’s out-of-scope clean rows as negatives only when its weights name them', () => {
    // "news" rows are clean, but their scope does not cover discourtesy: by default they teach
    // the offensive head nothing; with "news:0" they are its negatives.
    const news = ['the summit ended', 'the ceasefire talks resumed', 'the election was held'].map((text, i) => ({
      id: `news:${i}`,
      text: `${text} you are right`,
      labels: ['clean'],
      scope: ['racism'],
    }));
    const withNews = [...rows, ...news];
    const base = JSON.stringify(trainClassifier(rows, options).model.heads.find((h) => h.name === 'offensive')!.bias);
    const ignored = trainClassifier(withNews, options).model.heads.find((h) => h.name === 'offensive')!;
    expect(JSON.stringify(ignored.bias)).toBe(base);
    const weights = { ...options.datasetWeights, offensive: { ...options.datasetWeights.offensive, 'news:0': 1 } };
    const taught = trainClassifier(withNews, { ...options, datasetWeights: weights }).model.heads.find((h) => h.name === 'offensive')!;
    expect(JSON.stringify(taught.bias)).not.toBe(base);
  });

  it('produces a model the scorer accepts, which learned what it was shown', () => {
    const { model: tiny } = trainClassifier(rows, options);
    const c = createClassifier(tiny);
    const p = (t: string) => c.score(tokenize(t)).heads.discourtesy;
    expect(p('@user you are a moron')).toBeGreaterThan(p('@user I read about the summit'));
  });
});

describe('base64 codec', () => {
  it('round-trips bytes of every length modulo 3, and uint32 arrays', () => {
    for (let n = 0; n < 10; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 0xff);
      expect(Array.from(decodeBase64(encodeBase64(bytes)))).toEqual(Array.from(bytes));
      expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
    const words = Uint32Array.from([0, 1, 0xffffffff, 123456789]);
    expect(Array.from(bytesToUint32(uint32ToBytes(words)))).toEqual(Array.from(words));
    expect(() => decodeBase64('ab$c')).toThrow(/base64/);
  });
});
