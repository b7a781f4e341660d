/** Small Documents for diff tests, keyed the way extraction keys them (section-keys.ts). */
import type { Document, Section } from '../../shared/domain/document.js';
import { SectionKeyAllocator } from '../../shared/domain/section-keys.js';

export interface SectionSpec {
  heading: string;
  number?: string;
  paragraphs?: string[];
  children?: SectionSpec[];
}

export function buildDocument(specs: SectionSpec[], meta: { title?: string; url?: string; edition?: number } = {}): Document {
  const allocator = new SectionKeyAllocator();
  const sections: Section[] = [];
  const walk = (spec: SectionSpec, parent?: Section): void => {
    const section: Section = {
      key: allocator.allocate(spec.heading, parent?.key),
      heading: spec.heading,
      level: parent ? parent.level + 1 : 1,
      paragraphs: (spec.paragraphs ?? []).map((text) => ({ text })),
    };
    if (spec.number !== undefined) section.number = spec.number;
    if (parent) section.parentKey = parent.key;
    sections.push(section);
    for (const child of spec.children ?? []) walk(child, section);
  };
  for (const spec of specs) walk(spec);
  const url = meta.url ?? 'https://example.org/report';
  const document: Document = {
    schemaVersion: 1,
    url,
    canonicalUrl: url,
    title: meta.title ?? 'Country Report',
    profile: 'generic',
    sections,
  };
  if (meta.edition !== undefined) document.edition = meta.edition;
  return document;
}

/** A deep copy to edit: tests change one thing and compare. */
export function cloneSpecs(specs: SectionSpec[]): SectionSpec[] {
  return JSON.parse(JSON.stringify(specs)) as SectionSpec[];
}

/** Finds a spec by heading anywhere in the tree. */
export function findSpec(specs: SectionSpec[], heading: string): SectionSpec {
  for (const spec of specs) {
    if (spec.heading === heading) return spec;
    const child = spec.children ? findSpecOrUndefined(spec.children, heading) : undefined;
    if (child) return child;
  }
  throw new Error(`no section "${heading}"`);
}

function findSpecOrUndefined(specs: SectionSpec[], heading: string): SectionSpec | undefined {
  try {
    return findSpec(specs, heading);
  } catch {
    return undefined;
  }
}

export const REPORT: SectionSpec[] = [
  {
    heading: 'Executive Summary',
    paragraphs: [
      'Kazakhstan has a presidential system of rule with a Parliament that operates under significant executive control.',
      'Significant human rights issues included credible reports of torture by government officials.',
    ],
  },
  {
    heading: 'Respect for the Integrity of the Person',
    number: '1',
    children: [
      {
        heading: 'Arbitrary Deprivation of Life and Other Unlawful or Politically Motivated Killings',
        number: 'a',
        paragraphs: ['There were no reports that the government or its agents committed arbitrary or unlawful killings.'],
      },
      {
        heading: 'Disappearance',
        number: 'b',
        paragraphs: ['There were no reports of disappearances by or on behalf of government authorities.'],
      },
      {
        heading: 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment',
        number: 'c',
        paragraphs: [
          'The constitution and law prohibit such practices, but there were reports that police used torture.',
          'In 2022 the ombudsman received 12 complaints of torture from detainees in pretrial facilities.',
        ],
        children: [
          {
            heading: 'Prison and Detention Center Conditions',
            paragraphs: ['Prison conditions were harsh due to overcrowding and inadequate medical care.'],
          },
        ],
      },
    ],
  },
  {
    heading: 'Respect for Civil Liberties',
    number: '2',
    children: [
      {
        heading: 'Freedom of Speech and Press',
        number: 'a',
        paragraphs: [
          'The constitution provides for freedom of speech and of the press, but the government limited these rights.',
          'Journalists reported pressure from officials to avoid coverage of protests and corruption cases.',
        ],
        children: [
          {
            heading: 'Internet Freedom',
            paragraphs: ['The government restricted access to websites that criticized the authorities.'],
          },
        ],
      },
      {
        heading: 'Freedom of Peaceful Assembly and Association',
        number: 'b',
        paragraphs: ['The law requires organizers to notify local authorities of a planned demonstration in advance.'],
      },
    ],
  },
  {
    heading: 'Discrimination and Societal Abuses',
    number: '6',
    children: [
      {
        heading: 'Women',
        paragraphs: ['Rape and domestic violence remained serious problems, and activists said many cases went unreported.'],
      },
      {
        heading: 'Anti-Semitism',
        paragraphs: ['The Jewish community estimated its size at several thousand people and reported no acts of hostility.'],
      },
    ],
  },
];
