import { tokenize } from '../../../src/engine/normalize/tokenize';

const spans = (text: string) => tokenize(text).map((t) => text.slice(t.start, t.end));
const texts = (text: string) => tokenize(text).map((t) => t.text);

describe('tokenize', () => {
  it('keeps every token span pointing at the original text', () => {
    const text = 'Hello @user, see https://ex.ample/x. Ｆｕｌｌ width and f\u200buck!';
    expect(spans(text)).toEqual(['Hello', '@user', 'see', 'https://ex.ample/x', 'Ｆｕｌｌ', 'width', 'and', 'f\u200buck']);
    expect(texts(text)).toEqual(['hello', '@user', 'see', 'https://ex.ample/x', 'full', 'width', 'and', 'fuck']);
  });

  it('classifies urls, e-mail addresses, mentions and tags', () => {
    const kinds = tokenize('mail a.b@c.org or @someone #tag bit.ly/x').map((t) => t.kind);
    expect(kinds).toEqual(['word', 'email', 'word', 'mention', 'hashtag', 'url']);
  });

  it('folds Cyrillic look-alikes inside a Latin word, and leaves genuine Cyrillic alone', () => {
    const [mixed] = tokenize('fu\u0441k'); // Cyrillic с
    expect(mixed.text).toBe('fuck');
    const [russian] = tokenize('нет');
    expect(russian.text).toBe('нет');
    expect(russian.script).toBe('cyrillic');
    const [latinInCyrillic] = tokenize('x\u0443\u0439'); // Latin x in хуй
    expect(latinInCyrillic.text).toBe('хуи');
  });

  it('offers leetspeak readings only for words that have letters', () => {
    expect(tokenize('sh1t')[0].variants).toContain('shit');
    expect(tokenize('a$$')[0].variants).toContain('ass');
    expect(tokenize('2020')[0].variants).toEqual([]);
  });

  it('ends a word at a run of exclamation marks, unless letters follow the run', () => {
    expect(spans('Kill him!!! Now')).toEqual(['Kill', 'him', 'Now']);
    expect(tokenize('him!!!')[0].variants).toEqual([]);
    expect(spans('sh!t!!!')).toEqual(['sh!t']);
    expect(spans('f!!ck you')).toEqual(['f!!ck', 'you']);
  });

  it('marks masked words, and words cut off by a dash', () => {
    const [f] = tokenize('f***');
    expect(f).toMatchObject({ text: 'f***', masked: true });
    const [b] = tokenize('total bulls— here').slice(1);
    expect(b).toMatchObject({ text: 'bulls~', masked: true, trailingMask: true });
    expect(tokenize('well-known').map((t) => t.text)).toEqual(['well', 'known']);
  });

  it('counts cased letters for the all-caps rule, in any cased script', () => {
    const [t] = tokenize('ПРИВЕТ');
    expect(t).toMatchObject({ upper: 6, lower: 0 });
    const [c] = tokenize('中文');
    expect(c).toMatchObject({ upper: 0, lower: 0 });
  });

  it('marks sentence starts', () => {
    expect(tokenize('One two. Three').map((t) => t.sentenceStart)).toEqual([true, false, true]);
  });
});
