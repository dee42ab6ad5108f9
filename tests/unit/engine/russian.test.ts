import { CATEGORIES, moderate } from '../../../src/engine';
import { analyze } from '../../../src/engine/analyze';
import { mostlyCyrillic, writtenInUkrainian } from '../../../src/engine/classifier/script';
import { tokenize } from '../../../src/engine/normalize/tokenize';
import { defaultPolicy } from '../../helpers/policy';

const policy = defaultPolicy();
const termsIn = (text: string) => analyze(text, policy.lexicon).hits.map((h) => text.slice(h.token.start, h.token.end));
const flagged = (v: ReturnType<typeof moderate>) => CATEGORIES.filter((c) => v.categories[c].flagged);

describe('the Russian lexicon', () => {
  // Ordinary words that contain a мат-like substring (хлеба: еба, тихую: хую, команда: манд,
  // оскорблять: бля, страх: трах), common inflections, names and loanwords.
  const ORDINARY = [
    'хлеба', 'хлебало', 'небо', 'себе', 'учебник', 'гребля', 'колебания', 'колеблется', 'потребление',
    'употреблять', 'оскорблять', 'требование', 'психология', 'психую', 'психуешь', 'ебонит', 'Ебола',
    'страхуй', 'страхуйте', 'застрахую', 'страх', 'страха', 'трахея', 'трахома', 'Трахтенберг',
    'тихую', 'глухую', 'сухую', 'плохую', 'лихую', 'выхухоль', 'исхудать', 'прохудиться', 'ухудшение',
    'хулиган', 'хутор', 'Херсон', 'херувим', 'команда', 'команде', 'командир', 'скомандовал', 'коммандер',
    'мандарин', 'мандат', 'мандолина', 'Мандельштам', 'Нормандия', 'мандраж', 'мудрый', 'мудрость',
    'перемудрить', 'премудрость', 'изумруд', 'сукно', 'сучок', 'сучья', 'сучить', 'рубля', 'корабля',
    'сабля', 'оглобля', 'драчун', 'драчливый', 'объезд', 'объединение', 'объём', 'отъезд', 'изъян',
    'взъерошенный', 'обед', 'облако', 'Чуркин',
  ];

  it.each(ORDINARY)('finds no policy term in the ordinary word %s', (word) => {
    expect(termsIn(word)).toEqual([]);
  });

  it('keeps a sentence of ordinary words approved', () => {
    const v = moderate('Командир застраховал учебники, психолог ест хлеб с мандарином.', policy);
    expect(flagged(v)).toEqual([]);
  });

  // Prefixed and compound forms of the мат roots that a bare root misses.
  const MAT = [
    'выхуякивать', 'перехуярить', 'остохуеть', 'нехуй', 'объебать', 'отъебись', 'изъебнуться', 'остоебенело',
    'мозгоебля', 'проблядовать', 'мандячить', 'вымандить', 'отмудохать', 'пизжу', 'спизженный', 'надрочить',
    'вздрачивать', 'хитрожопый', 'заговнять', 'раззалупаться', 'потрахаться', 'манда',
  ];

  it.each(MAT)('finds the мат form %s', (word) => {
    expect(termsIn(word)).toEqual([word]);
  });
});

describe('the Cyrillic model', () => {
  it('reads a comment as Cyrillic by the script most of its words are written in', () => {
    expect(mostlyCyrillic(tokenize('Переговоры в Стамбуле ничего не дадут, says Reuters.'))).toBe(true);
    expect(mostlyCyrillic(tokenize('The talks in Istanbul, или переговоры, went nowhere.'))).toBe(false);
    expect(mostlyCyrillic(tokenize('12345 !!!'))).toBe(false);
  });

  const insult = 'Вали отсюда, никто тебя тут не ждет, позорище';

  it('flags a toxic Russian comment without мат or a listed insult, naming its words', () => {
    const v = moderate(insult, policy);
    expect(flagged(v)).toEqual(['discourtesy']);
    const rules = v.categories.discourtesy.evidence.map((e) => e.rule);
    expect(rules.every((r) => r === 'classifier/offensive')).toBe(true);
    for (const e of v.categories.discourtesy.evidence) expect(insult.slice(e.start, e.end)).toBe(e.text);
  });

  it('is what flags it: the English model alone lets it through', () => {
    expect(flagged(moderate(insult, { ...policy, cyrillic: null }))).toEqual([]);
  });

  it('tells Ukrainian from Russian by the letters Russian lacks (і, ї, є, ґ)', () => {
    expect(writtenInUkrainian(tokenize('Я українець, і я хочу миру.'))).toBe(true);
    expect(writtenInUkrainian(tokenize('Євген купив ґанок'))).toBe(true);
    expect(writtenInUkrainian(tokenize('Я из Москвы и хочу мира.'))).toBe(false);
  });

  it('scores Russian comments, and leaves Ukrainian ones to the rules', () => {
    // An unflagged category's score is the classifier's probability, 0 where no model spoke.
    const russian = moderate('Переговоры в Стамбуле закончились ничем.', policy);
    expect(russian.categories.discourtesy.score).toBeGreaterThan(0);
    const ukrainian = moderate('Переговори в Стамбулі закінчилися нічим.', policy);
    expect(flagged(ukrainian)).toEqual([]);
    expect(CATEGORIES.map((c) => ukrainian.categories[c].score)).toEqual(CATEGORIES.map(() => 0));
  });

  it('leaves a neutral Russian comment approved', () => {
    const v = moderate('Спасибо за статью, было интересно почитать про переговоры.', policy);
    expect(v.decision).toBe('approved');
    expect(flagged(v)).toEqual([]);
  });
});
