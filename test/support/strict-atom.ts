import { parseAtomFeed } from 'feedsmith';
import { parseDocument } from 'htmlparser2';
import { SaxesParser } from 'saxes';

/**
 * A strict reading of an Atom feed: saxes (a conformant, namespace-aware XML parser that stops at the first
 * well-formedness error) first, then feedsmith for the Atom model, then the RFC 4287 rules a reader relies on: the
 * feed has an id, a title, an updated date and an author (or every entry has one); each entry has an id, a title,
 * an updated date and an absolute link; ids are absolute IRIs; dates are RFC 3339. Throws naming the first problem.
 */
export type AtomFeed = ReturnType<typeof parseAtomFeed>;

const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

export function parseStrictAtom(xml: string): AtomFeed {
  const parser = new SaxesParser({ xmlns: true });
  let root: { local: string; uri: string } | undefined;
  parser.on('opentag', (tag) => {
    root ??= { local: tag.local, uri: tag.uri };
  });
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.write(xml).close();
  if (failure) throw new Error(`not well-formed XML: ${failure.message}`);
  if (root?.local !== 'feed' || root.uri !== ATOM_NAMESPACE) throw new Error(`root element is not atom:feed: ${JSON.stringify(root)}`);

  const feed: AtomFeed = parseAtomFeed(xml);
  const problems: string[] = [];
  const checkDate = (where: string, value: unknown) => {
    if (typeof value !== 'string' || !RFC3339.test(value)) problems.push(`${where}: updated ${JSON.stringify(value)} is not an RFC 3339 date`);
  };
  if (!feed.id || !ABSOLUTE_IRI.test(feed.id)) problems.push(`feed: id ${JSON.stringify(feed.id)} is not an absolute IRI`);
  if (!feed.title?.value) problems.push('feed: no title');
  checkDate('feed', feed.updated);
  const feedHasAuthor = (feed.authors ?? []).some((author) => Boolean(author.name));
  for (const [index, entry] of (feed.entries ?? []).entries()) {
    const where = `entry ${index}`;
    if (!entry.id || !ABSOLUTE_IRI.test(entry.id)) problems.push(`${where}: id ${JSON.stringify(entry.id)} is not an absolute IRI`);
    if (!entry.title?.value) problems.push(`${where}: no title`);
    checkDate(where, entry.updated);
    if (!feedHasAuthor && !(entry.authors ?? []).some((author) => Boolean(author.name))) problems.push(`${where}: no author, and the feed has none`);
    const links = entry.links ?? [];
    if (links.length === 0) problems.push(`${where}: no link`);
    for (const link of links) if (!/^https?:\/\//.test(link.href ?? '')) problems.push(`${where}: link ${JSON.stringify(link.href)} is not absolute`);
  }
  if (problems.length > 0) throw new Error(`not a valid Atom feed (RFC 4287): ${problems.join('; ')}`);
  return feed;
}

/** Text constructs as a reader shows them: the elements an HTML title would create, if any (none is safe). */
export function htmlElementsIn(text: { value?: string; type?: string } | undefined): string[] {
  if (!text?.value || text.type !== 'html') return [];
  const names: string[] = [];
  const walk = (nodes: readonly unknown[]) => {
    for (const node of nodes as { type: string; name?: string; children?: unknown[] }[]) {
      if (node.type === 'tag' || node.type === 'script' || node.type === 'style') names.push(node.name ?? node.type);
      if (node.children) walk(node.children);
    }
  };
  walk(parseDocument(text.value).children);
  return names;
}
