import fc from 'fast-check';
import { fnv1a64, normaliseSentence, sentenceHash, splitSentences } from '../../shared/domain/sentences.js';
import { hrrDocument } from '../provenance/provenance-fixture.js';

describe('splitSentences', () => {
  it('splits plain sentences and trims them', () => {
    expect(splitSentences('  First one.  Second one!\nThird one? ')).toEqual(['First one.', 'Second one!', 'Third one?']);
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('   ')).toEqual([]);
    expect(splitSentences('No final stop')).toEqual(['No final stop']);
  });

  it('does not split after U.S. and other initialisms inside a sentence', () => {
    expect(splitSentences('The U.S. government said it. Also see the U.S. Department of Labor list.')).toEqual([
      'The U.S. government said it.',
      'Also see the U.S. Department of Labor list.',
    ]);
    expect(splitSentences('The U.N. Human Rights Council met. It met again at 5 p.m. on Monday.')).toEqual([
      'The U.N. Human Rights Council met.',
      'It met again at 5 p.m. on Monday.',
    ]);
  });

  it('splits after an initialism that ends a sentence when a sentence opener follows', () => {
    expect(splitSentences('Funding came from the U.S. The government denied it.')).toEqual([
      'Funding came from the U.S.',
      'The government denied it.',
    ]);
  });

  it('keeps decimals and amounts whole', () => {
    expect(splitSentences('Inflation rose 3.5 percent. The fine was $1.2 million. It was paid.')).toEqual([
      'Inflation rose 3.5 percent.',
      'The fine was $1.2 million.',
      'It was paid.',
    ]);
  });

  it('ends a quoted sentence after the closing quote', () => {
    expect(splitSentences('He said, “We will not comply.” Police then arrived.')).toEqual(['He said, “We will not comply.”', 'Police then arrived.']);
    expect(splitSentences('He said "No." Then he left. She asked "Why?" Nobody answered!')).toEqual([
      'He said "No."',
      'Then he left.',
      'She asked "Why?"',
      'Nobody answered!',
    ]);
    expect(splitSentences('It was called ‘unacceptable.’ Officials disagreed.')).toEqual(['It was called ‘unacceptable.’', 'Officials disagreed.']);
  });

  it('does not split when a quoted question or exclamation is followed by lowercase', () => {
    expect(splitSentences('“Why?” he asked. “Stop!” the officer shouted.')).toEqual(['“Why?” he asked.', '“Stop!” the officer shouted.']);
  });

  it('ends a parenthesised sentence after the bracket', () => {
    expect(splitSentences('He left. (He returned later.) Then he spoke.')).toEqual(['He left.', '(He returned later.)', 'Then he spoke.']);
    expect(splitSentences('(See section 1.f.) Security forces staged parades.')).toEqual(['(See section 1.f.)', 'Security forces staged parades.']);
  });

  it('keeps number abbreviations with their numbers', () => {
    expect(splitSentences('He remained in Nanning No. 1 Detention Center. See Art. 174 of the code.')).toEqual([
      'He remained in Nanning No. 1 Detention Center.',
      'See Art. 174 of the code.',
    ]);
    expect(splitSentences('Under para. 3 and Nos. 4-6 it applies. It began Jan. 5 and ended Sept. 30.')).toEqual([
      'Under para. 3 and Nos. 4-6 it applies.',
      'It began Jan. 5 and ended Sept. 30.',
    ]);
    // "No." followed by a word is the word "No".
    expect(splitSentences('They said No. Then they left.')).toEqual(['They said No.', 'Then they left.']);
  });

  it('does not split after titles', () => {
    expect(splitSentences('Mr. Smith met Ms. Jones and Dr. Li. Gov. Brown, Gen. Ivanov, Lt. Col. Petrov, Sen. Kerry and Rep. Ng spoke.')).toEqual([
      'Mr. Smith met Ms. Jones and Dr. Li.',
      'Gov. Brown, Gen. Ivanov, Lt. Col. Petrov, Sen. Kerry and Rep. Ng spoke.',
    ]);
    expect(splitSentences('Protests took place in Moscow and St. Petersburg. Police detained 20.')).toEqual([
      'Protests took place in Moscow and St. Petersburg.',
      'Police detained 20.',
    ]);
  });

  it('does not split after Latin abbreviations', () => {
    expect(splitSentences('Some countries, e.g. Kazakhstan, i.e. Central Asia, agreed. The case Ananyev v. Russia vs. Others ended.')).toEqual([
      'Some countries, e.g. Kazakhstan, i.e. Central Asia, agreed.',
      'The case Ananyev v. Russia vs. Others ended.',
    ]);
    expect(splitSentences('It cost approx. 500 dollars. Tools, etc. were taken. They took food, water, etc. Officials left.')).toEqual([
      'It cost approx. 500 dollars.',
      'Tools, etc. were taken.',
      'They took food, water, etc.',
      'Officials left.',
    ]);
  });

  it('handles company abbreviations by what follows', () => {
    expect(splitSentences('Kazakhmys Corp. Chairman Ivanov resigned. He worked for Acme Inc. The company denied it.')).toEqual([
      'Kazakhmys Corp. Chairman Ivanov resigned.',
      'He worked for Acme Inc.',
      'The company denied it.',
    ]);
  });

  it('does not split after initials', () => {
    expect(splitSentences('J. Smith came. The report by J. A. Jones and John F. Kennedy Jr. was cited.')).toEqual([
      'J. Smith came.',
      'The report by J. A. Jones and John F. Kennedy Jr. was cited.',
    ]);
  });

  it('splits after a capital letter that follows a lowercase word', () => {
    expect(splitSentences('Carriers of hepatitis B. Cheng Yuan litigated.')).toEqual(['Carriers of hepatitis B.', 'Cheng Yuan litigated.']);
  });

  it('handles section references', () => {
    expect(splitSentences('See section 2.a. The law applies. Refer to section 2.b., Freedom of Association.')).toEqual([
      'See section 2.a.',
      'The law applies.',
      'Refer to section 2.b., Freedom of Association.',
    ]);
  });

  it('does not split at an ellipsis, but does at an ellipsis with a full stop', () => {
    expect(splitSentences('He said the law ... The Constitution applied. She came… Then left.')).toEqual([
      'He said the law ... The Constitution applied.',
      'She came… Then left.',
    ]);
    expect(splitSentences('The text reads . . . And more. Wait.... Next one.')).toEqual(['The text reads . . . And more.', 'Wait....', 'Next one.']);
    expect(splitSentences('Really...? Yes.')).toEqual(['Really...?', 'Yes.']);
  });

  it('keeps question marks and exclamations in names and before lowercase', () => {
    expect(splitSentences('The same Yahoo! search returned results. Was it censored? Yes!')).toEqual([
      'The same Yahoo! search returned results.',
      'Was it censored?',
      'Yes!',
    ]);
  });

  it('never splits inside URLs or hyphenated tokens', () => {
    expect(splitSentences('See https://www.state.gov/reports. U.S.-based NGOs agreed.')).toEqual([
      'See https://www.state.gov/reports.',
      'U.S.-based NGOs agreed.',
    ]);
  });

  it('keeps a list marker with its sentence', () => {
    expect(splitSentences('1. The first point. 2. The second point.')).toEqual(['1. The first point.', '2. The second point.']);
  });

  it('does not start a sentence with a dash or a comma', () => {
    expect(splitSentences('“Happiness is within reach.’ — Dalai Lama.” Officials objected.')).toEqual([
      '“Happiness is within reach.’ — Dalai Lama.”',
      'Officials objected.',
    ]);
  });

  it('splits before a sentence that opens with a number or a quote', () => {
    expect(splitSentences('It ended in 2019. 2020 was calmer. “Enough,” he said.')).toEqual([
      'It ended in 2019.',
      '2020 was calmer.',
      '“Enough,” he said.',
    ]);
  });
});

describe('normaliseSentence', () => {
  it('folds case, quotes, dashes, whitespace and trailing punctuation', () => {
    expect(normaliseSentence('  The “U.S.”  Government\u00a0— said   it’s fine…  "')).toBe('the "u.s." government - said it\'s fine');
    expect(normaliseSentence('He said “no.”')).toBe(normaliseSentence('He said "no".'));
    expect(normaliseSentence('Rights were\u200b respected!?')).toBe('rights were respected');
    expect(normaliseSentence('...')).toBe('');
  });

  /** The definition: every fold run in turn, the locale-aware lower case and the trailing-run expression. */
  const definition = (sentence: string) =>
    sentence
      .normalize('NFKC')
      .replace(/\u00AD|\u200B|\u200C|\u200D|\u2060|\uFEFF/g, '')
      .replace(/[\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4\uFF07]/g, "'")
      .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
      .replace(/[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g, '-')
      .replace(/\u2026/g, '...')
      .replace(/[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/g, ' ')
      .toLocaleLowerCase('en')
      .replace(/[\s.?!,;:'")\]}]+$/u, '')
      .trim();

  it("gives the definition's result on every sentence of the sample editions, and on each with odd spacing and trailing marks", () => {
    let checked = 0;
    for (const [country, year] of [
      ['russia', 2021],
      ['china', 2024],
      ['kazakhstan', 2016],
    ] as const) {
      for (const paragraph of hrrDocument(country, year).sections.flatMap((section) => section.paragraphs)) {
        for (const sentence of splitSentences(paragraph.text)) {
          for (const text of [sentence, ` ${sentence}\u00a0 .\u201d)  `, sentence.replaceAll(' ', '\u2002\u200b ')]) {
            expect(normaliseSentence(text)).toBe(definition(text));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(5_000);
  });

  it("gives the definition's result on random text made of the characters it folds (2,000 runs)", () => {
    const folded = [
      ...'\u00AD\u200B\u200C\u200D\u2060\uFEFF\u2018\u2019\u201A\u02BC`\u00B4\u201C\u201D\u00AB\u2013\u2014\u2212\u2026 \t\n\u00a0\u2002\u3000.?!,;:\'")]}\u03a3\u0130\u00c9\uFB01aZ9',
    ];
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...folded), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), { maxLength: 40 }),
        (characters) => {
          const text = characters.join('');
          expect(normaliseSentence(text)).toBe(definition(text));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("lowercases as toLocaleLowerCase('en') does, on every code point that has a case or can sit inside a word", () => {
    // Planes 0 and 1 hold every cased character, and plane 14 the tag characters (case-ignorable, so they matter to
    // the final sigma); the other planes have neither. Each code point alone between spaces, and after a capital sigma
    // within a word (the final sigma is the one context-dependent mapping), in two long texts rather than 260,000 calls.
    const alone: string[] = [];
    const inWord: string[] = [];
    for (const [first, last] of [
      [0, 0x1ffff],
      [0xe0000, 0xe0fff],
    ] as const) {
      for (let codePoint = first; codePoint <= last; codePoint++) {
        if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
        const character = String.fromCodePoint(codePoint);
        alone.push(character);
        inWord.push(`A\u03a3${character}`);
      }
    }
    for (const text of [alone.join(' '), inWord.join(' ')]) {
      const lower = text.toLowerCase();
      expect(lower === text.toLocaleLowerCase('en')).toBe(true);
      expect(lower).not.toBe(text);
    }
  });
});

describe('sentenceHash', () => {
  it('is FNV-1a 64 over UTF-16LE code units (checked against an independent implementation)', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('089be207b544f1e4');
    expect(fnv1a64('foobar')).toBe('c882d5010e965f1a');
    expect(fnv1a64("women's rights \u2014 \u00e9t\u00e9 \u{1F600}")).toBe('78e2ccbc9501c17f');
  });

  /** FNV-1a 64 in BigInt arithmetic, byte by byte: the definition, independent of fnv1a64's 16-bit limbs. */
  const reference = (text: string): string => {
    let hash = 0xcbf29ce484222325n;
    for (let index = 0; index < text.length; index++) {
      const unit = text.charCodeAt(index);
      for (const byte of [unit & 0xff, unit >>> 8]) {
        hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
      }
    }
    return hash.toString(16).padStart(16, '0');
  };

  it('agrees with a BigInt implementation on random strings', () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 0x100000000;
    for (let round = 0; round < 500; round++) {
      let text = '';
      const length = Math.floor(random() * 24);
      for (let index = 0; index < length; index++) text += String.fromCharCode(Math.floor(random() * 0x10000));
      expect(fnv1a64(text)).toBe(reference(text));
    }
  });

  it('agrees with the BigInt implementation on every sentence and paragraph of a real report, as written and normalised', () => {
    const document = hrrDocument('russia', 2021);
    let checked = 0;
    for (const paragraph of document.sections.flatMap((section) => section.paragraphs)) {
      for (const text of [paragraph.text, ...splitSentences(paragraph.text).flatMap((sentence) => [sentence, normaliseSentence(sentence)])]) {
        expect(fnv1a64(text)).toBe(reference(text));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1_000);
  });

  it('hashes the normal form', () => {
    expect(sentenceHash('The U.S. government said it.')).toBe('3ce69756a32fd2f5');
    expect(sentenceHash('  the U.S.  Government said it ')).toBe('3ce69756a32fd2f5');
    expect(sentenceHash('The U.S. government denied it.')).not.toBe('3ce69756a32fd2f5');
  });
});
