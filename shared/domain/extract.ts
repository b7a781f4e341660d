import { Parser } from 'htmlparser2';
import { ExtractionError } from '../errors.js';
import { countWords, DOCUMENT_SCHEMA_VERSION, type Document, type Paragraph, type Section } from './document.js';
import { cleanText, hasWordCharacters } from './extracted-text.js';
import { unwrapArchiveUrl } from './identity/archive-url.js';
import { EvidenceCollector, type PageEvidence } from './identity/page-evidence.js';
import { resolvePageIdentity, type ResolvedPageIdentity } from './identity/resolve-page-identity.js';
import { profileByName, type ElementInfo, type Profile } from './profiles/index.js';
import { SectionKeyAllocator } from './section-keys.js';

export interface ExtractOptions {
  /**
   * Where the page came from; chooses the profile and gives series/edition (an archive URL is unwrapped). Defaults to
   * what the page says about itself (docs/page-identity.md).
   */
  url?: string;
  /** Force a profile (object or name) instead of choosing one from the URL. */
  profile?: Profile | string;
}

/**
 * Reads a report page into a Document: metadata, and the ordered section outline with its paragraphs.
 * One streaming pass with htmlparser2 (a second one only when a generic page has no main/article landmark, or when
 * only the page's body says which site profile reads it). Throws ExtractionError when the page has no readable
 * report body, ArchiveUrlError when the given URL is a malformed archive URL.
 */
export function extract(html: string, options: ExtractOptions = {}): Document {
  return readPage(html, options).document;
}

export interface ReadPage {
  document: Document;
  /** Who the page is, and from what evidence (docs/page-identity.md). */
  identity: ResolvedPageIdentity;
  evidence: PageEvidence;
}

/** extract(), with the page's identity and the evidence it was resolved from. */
export function readPage(html: string, options: ExtractOptions = {}): ReadPage {
  if (typeof html !== 'string' || html.trim() === '') {
    throw new ExtractionError('The page is empty', 'empty');
  }
  const forced = typeof options.profile === 'string' ? profileByName(options.profile) : options.profile;
  if (typeof options.profile === 'string' && !forced) {
    throw new ExtractionError(`Unknown profile "${options.profile}"`, 'body-missing');
  }
  // A malformed archive URL given by the caller is refused before any work.
  if (options.url !== undefined) unwrapArchiveUrl(options.url);
  let run = new ExtractionRun(options.url, forced, false);
  run.parse(html);
  if (!forced) {
    // The profile was chosen when the body began, from the URLs known then; the whole page may say otherwise
    // (a page with no URL of its own is recognised by its headline and menu).
    const profile = run.identity().profile;
    if (profile !== run.profile) {
      run = new ExtractionRun(options.url, profile, false);
      run.parse(html);
    }
  }
  if (!run.rootSeen && run.profile.isFallbackBodyRoot) {
    run = new ExtractionRun(options.url, run.profile, true);
    run.parse(html);
  }
  return run.result();
}

const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'header',
  'hr',
  'li',
  'main',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);
const HEAD_ELEMENTS = new Set(['html', 'head', 'title', 'meta', 'link', 'script', 'style', 'base', 'noscript']);
const RUN_IN_FORMATTING = new Set(['u', 'b', 'strong', 'em']);
const MAX_RUN_IN_LENGTH = 120;
const MAX_RUN_IN_WORDS = 12;

interface OpenSection {
  section: Section;
  rank: number;
}

/** State of one streaming pass. Element depths are indexes into `stack`; -1 means "not inside one". */
class ExtractionRun {
  private readonly stack: ElementInfo[] = [];
  private resolvedProfile: Profile | undefined;

  // What the page says about itself (head metadata, headline, menus), and the archive's toolbar to leave out.
  private readonly collector = new EvidenceCollector();
  /** Depth of the outermost element opened inside the archive's toolbar markers (-1: not inside). */
  private archiveDepth = -1;
  private titleElementDepth = -1;
  private titleElementText: string | undefined;

  // Body
  rootSeen = false;
  /** Set while the parser closes what is still open at the end of the input. */
  private atEndOfInput = false;
  /** The input ended inside the report body: its end tag never came, so the page was cut short. */
  private truncated = false;
  private bodyStarted = false;
  private rootDepth = -1;
  private rootName = '';
  private chromeDepth = -1;
  private headingDepth = -1;
  private headingElement: ElementInfo | undefined;
  private headingText = '';
  private labelDepth = -1;
  private labelText = '';
  private pendingLabel: string | undefined;
  private afterNavigation = false;
  private anchorDepth = -1;
  private buffer = '';
  /** Text of the current paragraph that is not inside a link (to recognise link-only navigation lists). */
  private unlinkedText = '';
  private formattedAtStart = false;
  private headingCount = 0;

  private readonly sections: Section[] = [];
  private readonly open: OpenSection[] = [];
  private readonly keys = new SectionKeyAllocator();

  constructor(
    private readonly url: string | undefined,
    forcedProfile: Profile | undefined,
    private readonly useFallbackRoot: boolean,
  ) {
    this.resolvedProfile = forcedProfile;
  }

  get evidence(): PageEvidence {
    return this.collector.evidence;
  }

  private resolvedIdentity: ResolvedPageIdentity | undefined;

  /** Who the whole page says it is, with no profile forced (once the page is parsed). */
  identity(): ResolvedPageIdentity {
    this.resolvedIdentity ??= resolvePageIdentity(this.identityInput());
    return this.resolvedIdentity;
  }

  private identityInput() {
    return { ...(this.url !== undefined ? { url: this.url } : {}), evidence: this.collector.evidence };
  }

  /**
   * The profile is chosen lazily, when the body begins: a page without a given URL is identified by what its <head>
   * says (canonical link, og:url, JSON-LD).
   */
  get profile(): Profile {
    this.resolvedProfile ??= resolvePageIdentity(this.identityInput()).profile;
    return this.resolvedProfile;
  }

  parse(html: string): void {
    const parser = new Parser(
      {
        onopentag: (name, attributes) => this.openElement({ name, attributes }),
        ontext: (text) => this.text(text),
        onclosetag: () => this.closeElement(),
        oncomment: (text) => this.collector.comment(text),
      },
      { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
    );
    parser.write(html);
    this.atEndOfInput = true;
    parser.end();
  }

  private openElement(element: ElementInfo): void {
    const depth = this.stack.push(element) - 1;
    // What a web archive inserts between its toolbar markers is not the page's: not its text, not its evidence.
    if (this.archiveDepth >= 0) return;
    if (this.collector.inArchiveToolbar) {
      this.archiveDepth = depth;
      return;
    }
    this.collector.openElement(element.name, element.attributes, depth);
    if (this.rootDepth < 0) {
      this.openOutsideBody(element, depth);
      return;
    }
    if (this.chromeDepth >= 0 || this.headingDepth >= 0 || this.labelDepth >= 0) return;
    const profile = this.profile;
    if (profile.isChrome(element)) {
      this.chromeDepth = depth;
      return;
    }
    if (profile.isNumberLabel?.(element)) {
      this.flushParagraph();
      this.labelDepth = depth;
      this.labelText = '';
      return;
    }
    if (profile.isHeading(element)) {
      this.flushParagraph();
      this.headingDepth = depth;
      this.headingElement = element;
      this.headingText = '';
      return;
    }
    if (BLOCK_ELEMENTS.has(element.name)) this.flushParagraph();
    else if (element.name === 'a' && this.anchorDepth < 0) this.anchorDepth = depth;
    else if (element.name === 'br') this.buffer += ' ';
    else if (RUN_IN_FORMATTING.has(element.name) && this.buffer.trim() === '') this.formattedAtStart = true;
  }

  private openOutsideBody(element: ElementInfo, depth: number): void {
    const { name } = element;
    if (this.rootSeen) return;
    if (!this.bodyStarted) {
      // Choose the profile only once <head> (and its canonical link) has been read.
      if (HEAD_ELEMENTS.has(name)) return;
      this.bodyStarted = true;
    }
    const profile = this.profile;
    if (this.titleElementDepth < 0 && this.titleElementText === undefined && profile.isTitleElement?.(element)) {
      this.titleElementDepth = depth;
      this.titleElementText = '';
    }
    const isRoot = this.useFallbackRoot ? profile.isFallbackBodyRoot?.(element) : profile.isBodyRoot(element);
    if (isRoot) {
      this.rootSeen = true;
      this.rootDepth = depth;
      this.rootName = name;
    }
  }

  private text(text: string): void {
    if (this.archiveDepth >= 0 || this.collector.inArchiveToolbar) return;
    this.collector.text(text);
    if (this.titleElementDepth >= 0) this.titleElementText += text;
    if (this.rootDepth < 0 || this.chromeDepth >= 0) return;
    if (this.headingDepth >= 0) this.headingText += text;
    else if (this.labelDepth >= 0) this.labelText += text;
    else {
      this.buffer += text;
      if (this.anchorDepth < 0) this.unlinkedText += text;
    }
  }

  private closeElement(): void {
    const element = this.stack.pop();
    const depth = this.stack.length;
    if (!element) return;
    if (this.archiveDepth >= 0) {
      if (depth === this.archiveDepth) this.archiveDepth = -1;
      return;
    }
    this.collector.closeElement(element.name, depth);
    if (depth === this.titleElementDepth) this.titleElementDepth = -1;
    if (this.rootDepth < 0) return;
    if (depth === this.chromeDepth) {
      this.chromeDepth = -1;
      return;
    }
    if (this.chromeDepth >= 0) return;
    if (depth === this.headingDepth) {
      this.headingDepth = -1;
      this.finishHeading(element);
      return;
    }
    if (depth === this.labelDepth) {
      this.labelDepth = -1;
      this.pendingLabel = cleanText(this.labelText) || undefined;
      return;
    }
    if (this.headingDepth >= 0 || this.labelDepth >= 0) return;
    if (depth === this.anchorDepth) this.anchorDepth = -1;
    if (depth === this.rootDepth) {
      // <body> may legally end without its end tag; a landmark (main, article, section...) may not.
      if (this.atEndOfInput && !this.useFallbackRoot) this.truncated = true;
      this.flushParagraph();
      this.rootDepth = -1;
      return;
    }
    if (BLOCK_ELEMENTS.has(element.name)) this.flushParagraph();
  }

  private finishHeading(element: ElementInfo): void {
    const text = cleanText(this.headingText);
    const profile = this.profile;
    if (!hasWordCharacters(text)) return;
    if (profile.isNavigation?.(text)) {
      // Skip the navigation heading, and the list of links that may follow it.
      this.afterNavigation = true;
      this.pendingLabel = undefined;
      return;
    }
    this.afterNavigation = false;
    const reading = profile.readHeading(this.headingElement ?? element, text, { pendingLabel: this.pendingLabel });
    this.pendingLabel = undefined;
    if (!reading) {
      this.buffer = text;
      this.flushParagraph();
      return;
    }
    while (this.open.length > 0 && this.open[this.open.length - 1]!.rank >= reading.rank) this.open.pop();
    const parent = this.open[this.open.length - 1]?.section;
    const number = reading.nested && reading.number && parent?.number ? `${parent.number}.${reading.number}` : reading.number;
    const section: Section = {
      key: this.keys.allocate(reading.heading, parent?.key),
      heading: reading.heading,
      ...(number ? { number } : {}),
      level: parent ? parent.level + 1 : 1,
      ...(parent ? { parentKey: parent.key } : {}),
      paragraphs: [],
    };
    this.sections.push(section);
    this.open.push({ section, rank: reading.rank });
    this.headingCount++;
  }

  private flushParagraph(): void {
    const raw = this.buffer;
    const formattedAtStart = this.formattedAtStart;
    const linkOnly = !hasWordCharacters(this.unlinkedText);
    this.buffer = '';
    this.unlinkedText = '';
    this.formattedAtStart = false;
    if (raw === '') return;
    const text = cleanText(raw);
    if (!hasWordCharacters(text)) return;
    const navigation = (this.afterNavigation && linkOnly) || this.profile.isNavigation?.(text);
    this.afterNavigation = false;
    if (navigation) return;
    const paragraph: Paragraph = { text };
    const lead = formattedAtStart ? detectRunInHead(raw) : undefined;
    if (lead) paragraph.lead = lead;
    this.currentSection().paragraphs.push(paragraph);
  }

  /** Text before any heading goes to an "Introduction" section. */
  private currentSection(): Section {
    const top = this.open[this.open.length - 1];
    if (top) return top.section;
    const introduction: Section = {
      key: this.keys.allocate('Introduction'),
      heading: 'Introduction',
      level: 1,
      paragraphs: [],
    };
    this.sections.push(introduction);
    this.open.push({ section: introduction, rank: Number.POSITIVE_INFINITY });
    return introduction;
  }

  result(): ReadPage {
    const profile = this.profile;
    if (!this.rootSeen) {
      throw new ExtractionError(
        `No report body found for profile "${profile.name}" (the page may be an error page or its layout changed)`,
        'body-missing',
      );
    }
    if (this.truncated) {
      // A partial download (a server that failed mid-page) would otherwise read as a revision removing every
      // section after the cut.
      throw new ExtractionError(`The page ends inside the report body (no closing </${this.rootName}>): it was truncated`, 'body-missing');
    }
    const sections = withoutEmptyLeaves(this.sections);
    if (profile.requiresHeadings && this.headingCount === 0) {
      throw new ExtractionError(`The report body has no section headings: its structure was lost`, 'body-missing');
    }
    if (!sections.some((section) => section.paragraphs.length > 0)) {
      throw new ExtractionError('The report body has no text', 'empty');
    }
    // The profile the page's evidence gives is this run's unless the caller forced another one.
    const free = this.identity();
    const identity = free.profile === profile ? free : resolvePageIdentity({ ...this.identityInput(), profile });
    const given = this.url !== undefined ? unwrapArchiveUrl(this.url).url : undefined;
    const url = given ?? identity.canonicalUrl ?? 'about:blank';
    const dates = this.readDates();
    const evidence = this.evidence;
    const title =
      cleanText(this.titleElementText ?? '') ||
      (evidence.metaTitle ?? '') ||
      (profile.cleanTitle ?? ((value: string) => value))(evidence.title ?? '') ||
      sections[0]!.heading;
    const document: Document = {
      schemaVersion: DOCUMENT_SCHEMA_VERSION,
      url,
      canonicalUrl: identity.canonicalUrl ?? url,
      title,
      profile: profile.name,
      ...(identity.series !== undefined ? { series: identity.series } : {}),
      ...(identity.edition !== undefined ? { edition: identity.edition } : {}),
      ...(dates.published ? { published: dates.published } : {}),
      ...(dates.modified ? { modified: dates.modified } : {}),
      sections,
    };
    return { document, identity, evidence };
  }

  private readDates(): { published?: string; modified?: string } {
    const { jsonLdDates, meta } = this.evidence;
    const published = isoDate(jsonLdDates.published) ?? isoDate(meta['article:published_time'] ?? meta.datepublished);
    const modified = isoDate(jsonLdDates.modified) ?? isoDate(meta['article:modified_time'] ?? meta.datemodified);
    return { ...(published ? { published } : {}), ...(modified ? { modified } : {}) };
  }
}

/** A run-in head: the paragraph opens with formatted text ending in a colon ("Physical Conditions: ..."). */
function detectRunInHead(raw: string): string | undefined {
  const colon = raw.indexOf(':');
  if (colon <= 0) return undefined;
  // Measured on the cleaned text, so re-indented markup reads the same as compact markup.
  const head = cleanText(raw.slice(0, colon));
  if (head === '' || head.length > MAX_RUN_IN_LENGTH || /[.!?;]/.test(head) || !/^[\p{Lu}\p{N}]/u.test(head)) return undefined;
  return countWords(head) <= MAX_RUN_IN_WORDS ? head : undefined;
}

/** Drops sections with no paragraphs of their own and none below them (headings with nothing under them). */
function withoutEmptyLeaves(sections: Section[]): Section[] {
  const hasContent = new Set<string>();
  const byKey = new Map(sections.map((section) => [section.key, section]));
  for (const section of sections) {
    if (section.paragraphs.length === 0) continue;
    let current: Section | undefined = section;
    while (current && !hasContent.has(current.key)) {
      hasContent.add(current.key);
      current = current.parentKey ? byKey.get(current.parentKey) : undefined;
    }
  }
  return sections.filter((section) => hasContent.has(section.key));
}

function isoDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
