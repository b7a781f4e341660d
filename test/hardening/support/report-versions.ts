/**
 * Small report pages (generic profile: a <main> with h2 sections) in a fixed set of versions, for the fault
 * simulation: real edits of every section-change kind, plus the two "no revision" cases the pipeline must tell
 * apart: chrome that changes with nothing else (same Document) and metadata that changes with nothing else
 * (another Document, no changed section).
 */
interface PageSpec {
  title: string;
  chrome: string;
  modified?: string;
  sections: { heading: string; paragraphs: string[] }[];
}

const OVERVIEW = [
  'The constitution provides for an independent judiciary, and the government generally respected judicial independence in practice during the year.',
  'Observers reported that local courts remained slow, that case backlogs grew, and that some detainees waited more than a year for trial.',
];
const EXPRESSION = [
  'The law provides for freedom of expression, including for members of the press, and the government generally respected this right.',
  'Independent media were active and expressed a wide variety of views without restriction, although two outlets reported pressure from officials.',
];
const DETENTION = [
  'Prison and detention center conditions were harsh because of overcrowding, inadequate sanitary conditions and limited medical care.',
];
const ELECTIONS = [
  'Observers assessed the most recent national elections as generally free and fair, with isolated reports of vote buying in rural districts.',
  'Women and members of minority groups participated in elections, and several were elected to the national assembly for the first time.',
];
const CORRUPTION = ['The law provides criminal penalties for corruption by officials, but the government did not implement the law effectively.'];

/** Version names: what each changes relative to `base`. */
export const VERSION_NAMES = [
  'base',
  'sentence added',
  'section renamed',
  'section added',
  'paragraph removed',
  'chrome only',
  'metadata only',
  'two sections changed',
] as const;
export const VERSION_COUNT = VERSION_NAMES.length;

function spec(page: number, version: number): PageSpec {
  const base: PageSpec = {
    title: `Annual report ${page + 1}`,
    chrome: 'Home | Reports | Contact',
    sections: [
      { heading: 'Overview', paragraphs: [...OVERVIEW] },
      { heading: 'Freedom of Expression', paragraphs: [...EXPRESSION] },
      { heading: 'Detention Conditions', paragraphs: [...DETENTION] },
      { heading: 'Elections', paragraphs: [...ELECTIONS] },
    ],
  };
  // Each page gets its own text, so pages never share a Document.
  base.sections[0]!.paragraphs[0] += ` This is report number ${page + 1}.`;
  const section = (heading: string) => base.sections.find((candidate) => candidate.heading === heading)!;
  switch (VERSION_NAMES[version]) {
    case 'base':
      break;
    case 'sentence added':
      section('Freedom of Expression').paragraphs[0] += ' Authorities blocked three news websites for several weeks in the autumn.';
      break;
    case 'section renamed':
      section('Detention Conditions').heading = 'Prison and Detention Center Conditions';
      break;
    case 'section added':
      base.sections.splice(3, 0, { heading: 'Corruption', paragraphs: [...CORRUPTION] });
      break;
    case 'paragraph removed':
      section('Elections').paragraphs.pop();
      break;
    case 'chrome only':
      base.chrome = 'Home | Reports | Archive | Contact | Newsletter';
      break;
    case 'metadata only':
      base.modified = '2025-03-02T10:00:00Z';
      break;
    case 'two sections changed':
      section('Freedom of Expression').paragraphs[0] += ' Authorities blocked three news websites for several weeks in the autumn.';
      base.sections.splice(3, 0, { heading: 'Corruption', paragraphs: [...CORRUPTION] });
      break;
    default:
      throw new Error(`no version ${version}`);
  }
  return base;
}

const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;');

export function reportHtml(page: number, version: number): string {
  const { title, chrome, modified, sections } = spec(page, version);
  const head = `<title>${escape(title)}</title>${modified ? `<meta property="article:modified_time" content="${modified}">` : ''}`;
  const body = sections
    .map((section) => `<h2>${escape(section.heading)}</h2>${section.paragraphs.map((paragraph) => `<p>${escape(paragraph)}</p>`).join('')}`)
    .join('');
  return `<!DOCTYPE html><html lang="en"><head>${head}</head><body><nav>${chrome}</nav><main><h1>${escape(title)}</h1>${body}</main><footer>${chrome}</footer></body></html>`;
}

export function reportUrl(namespace: string, page: number): string {
  return `https://reports.example.org/${namespace}/annual-${page + 1}`;
}
