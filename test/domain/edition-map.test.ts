import type { Section } from '../../shared/domain/document.js';
import { editionMapPrior, editionMapToCsv, learnEditionMap, type EditionMap, type SeriesEditions } from '../../shared/domain/edition-map.js';
import { buildDocument, type SectionSpec } from './diff-fixtures.js';

/** Sentences of words of their own (no shared shingles between different topics). */
function sentences(topic: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${Array.from({ length: 12 }, (_, k) => `${topic}${i}w${k}`).join(' ')}.`);
}

/**
 * Three series of one report whose template changed: "Speech" became "Freedom of the Press" (text kept), "Women"
 * was dropped everywhere, "Torture" kept its heading but moved under a new parent; one series never had "Speech".
 */
function series(name: string, options: { speech?: boolean } = {}): SeriesEditions {
  const speech = sentences(`${name}speech`, 4);
  const torture = sentences(`${name}torture`, 3);
  const previous: SectionSpec[] = [
    ...(options.speech === false ? [] : [{ heading: 'Speech', paragraphs: speech }]),
    { heading: 'Torture', paragraphs: torture },
    { heading: 'Women', paragraphs: sentences(`${name}women`, 3) },
  ];
  const next: SectionSpec[] = [
    ...(options.speech === false ? [] : [{ heading: 'Freedom of the Press', paragraphs: speech }]),
    { heading: 'Security', children: [{ heading: 'Torture', paragraphs: torture }] },
  ];
  return { series: `rpt/${name}`, previous: buildDocument(previous), next: buildDocument(next) };
}

const INPUTS = [series('alpha'), series('beta'), series('gamma', { speech: false })];

function rowsOf(map: EditionMap): string[] {
  return map.rows.map((row) => `${row.kind} ${row.from.key} -> ${row.to?.key ?? '-'} ${row.support}/${row.present} ${row.confidence}`);
}

describe('learnEditionMap', () => {
  it('counts, per previous section, the series that paired it with each next section or dropped it', () => {
    const map = learnEditionMap('rpt', 2023, 2024, INPUTS);
    expect(map).toMatchObject({ version: 1, report: 'rpt', from: 2023, to: 2024, series: ['rpt/alpha', 'rpt/beta', 'rpt/gamma'] });
    expect(rowsOf(map)).toEqual([
      'renamed speech -> freedom-of-the-press 2/2 1',
      'moved torture -> security/torture 3/3 1',
      'removed women -> - 3/3 1',
    ]);
    expect(map.rows[0]).toMatchObject({
      from: { key: 'speech', heading: 'Speech', path: ['Speech'] },
      to: { key: 'freedom-of-the-press', heading: 'Freedom of the Press', path: ['Freedom of the Press'] },
      series: ['rpt/alpha', 'rpt/beta'],
    });
    expect(map.rows[1]!.to!.path).toEqual(['Security', 'Torture']);
  });

  it('keeps the heading most series print, and splits a section’s votes between its fates', () => {
    const shouting = series('delta');
    // One series prints the heading in capitals (same key), and there "Speech" was dropped.
    shouting.previous.sections[0]!.heading = 'SPEECH';
    shouting.next = { ...shouting.next, sections: shouting.next.sections.slice(1) };
    const map = learnEditionMap('rpt', 2023, 2024, [...INPUTS, shouting]);
    expect(rowsOf(map).slice(0, 2)).toEqual(['renamed speech -> freedom-of-the-press 2/3 0.667', 'removed speech -> - 1/3 0.333']);
    expect(map.rows[0]!.from.heading).toBe('Speech');
  });

  it('learns nothing from no series (the use case refuses that case before)', () => {
    expect(learnEditionMap('rpt', 2023, 2024, [])).toMatchObject({ series: [], rows: [] });
  });

  it('renders CSV with the header, quoting headings that need it', () => {
    const map = learnEditionMap('rpt', 2023, 2024, [series('alpha')]);
    map.rows[0]!.from.heading = 'Speech, "Press"';
    expect(editionMapToCsv(map).split('\r\n')).toEqual([
      'kind,from_key,from_heading,to_key,to_heading,support,present,confidence',
      'renamed,speech,"Speech, ""Press""",freedom-of-the-press,Freedom of the Press,1,1,1',
      'moved,torture,Torture,security/torture,Torture,1,1,1',
      'removed,women,Women,,,1,1,1',
      '',
    ]);
  });
});

describe('editionMapPrior', () => {
  const map = learnEditionMap('rpt', 2023, 2024, INPUTS);
  const section = (key: string, heading = key): Section => ({ key, heading, level: key.split('/').length, paragraphs: [] });

  it('gives the other series’ confidence: the series being aligned is left out', () => {
    expect(editionMapPrior(map).pairing(section('speech'), section('freedom-of-the-press'))).toBe(1);
    expect(editionMapPrior(map, { exclude: 'rpt/alpha' }).pairing(section('speech'), section('freedom-of-the-press'))).toBe(1);
    // Only one series of the map has "Speech" besides alpha... and none besides both.
    const alone = learnEditionMap('rpt', 2023, 2024, [series('alpha'), series('gamma', { speech: false })]);
    expect(editionMapPrior(alone, { exclude: 'rpt/alpha' }).pairing(section('speech'), section('freedom-of-the-press'))).toBe(0);
    expect(editionMapPrior(map).pairing(section('speech'), section('security/torture'))).toBe(0);
  });

  it('looks a section up by its last key segment when its parent differs, if only one section ends that way', () => {
    const prior = editionMapPrior(map);
    expect(prior.pairing(section('part-one/speech', 'Speech'), section('other-parent/freedom-of-the-press'))).toBe(1);
    expect(prior.pairing(section('torture'), section('elsewhere/torture'))).toBe(1);
  });

  it('says "dropped" only when at least two other series dropped the section', () => {
    expect(editionMapPrior(map).dropped(section('women'))).toBe(1);
    expect(editionMapPrior(map, { exclude: 'rpt/alpha' }).dropped(section('women'))).toBe(1);
    const two = learnEditionMap('rpt', 2023, 2024, INPUTS.slice(0, 2));
    expect(editionMapPrior(two, { exclude: 'rpt/alpha' }).dropped(section('women'))).toBe(0);
    expect(editionMapPrior(map).dropped(section('speech'))).toBe(0);
    expect(editionMapPrior(map).dropped(section('unknown'))).toBe(0);
  });
});
