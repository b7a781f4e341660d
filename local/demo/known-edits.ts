import render from 'dom-serializer';
import { Element, Text, type AnyNode, type Document as DomDocument } from 'domhandler';
import { DomUtils, parseDocument } from 'htmlparser2';

/**
 * Known edits of real report pages, made on the DOM (htmlparser2 + domutils), so that revisions of one URL can be
 * built from the corpus with an exactly known expected change. Used by the tests and by the local report site.
 * Headings are found by their visible text inside the report body (section.report__main), numbering ignored.
 */
export interface PageEdit {
  readonly description: string;
  apply(dom: DomDocument): void;
}

export function applyEdits(html: string, edits: readonly PageEdit[]): string {
  const dom = parseDocument(html, { decodeEntities: false });
  for (const edit of edits) edit.apply(dom);
  return render(dom, { decodeEntities: false });
}

/** Appends a sentence to the text of the Nth paragraph (0-based) under a heading. */
export function insertSentence(heading: string, paragraph: number, sentence: string): PageEdit {
  return {
    description: `insert a sentence in paragraph ${paragraph + 1} of "${heading}"`,
    apply(dom) {
      DomUtils.appendChild(paragraphUnder(dom, heading, paragraph), new Text(` ${sentence}`));
    },
  };
}

export function deleteParagraph(heading: string, paragraph: number): PageEdit {
  return {
    description: `delete paragraph ${paragraph + 1} of "${heading}"`,
    apply(dom) {
      DomUtils.removeElement(paragraphUnder(dom, heading, paragraph));
    },
  };
}

/** Replaces the first occurrence of `from` in the text nodes of the Nth paragraph under a heading. */
export function replaceInParagraph(heading: string, paragraph: number, from: string, to: string): PageEdit {
  return {
    description: `replace "${from}" with "${to}" in paragraph ${paragraph + 1} of "${heading}"`,
    apply(dom) {
      const target = paragraphUnder(dom, heading, paragraph);
      const text = textNodes(target).find((candidate) => candidate.data.includes(from));
      if (!text) throw new Error(`"${from}" is not in paragraph ${paragraph + 1} of "${heading}"`);
      text.data = text.data.replace(from, to);
    },
  };
}

/** Splits the Nth paragraph under a heading into two at a sentence boundary (text unchanged, layout changed). */
export function splitParagraph(heading: string, paragraph: number, afterSentence: string): PageEdit {
  return {
    description: `split paragraph ${paragraph + 1} of "${heading}" after "${afterSentence}"`,
    apply(dom) {
      const target = paragraphUnder(dom, heading, paragraph);
      const text = textNodes(target).find((candidate) => candidate.data.includes(afterSentence));
      if (!text || text.parent !== target) throw new Error(`"${afterSentence}" is not plain text of that paragraph`);
      const cut = text.data.indexOf(afterSentence) + afterSentence.length;
      const rest = text.data.slice(cut).replace(/^\s+/, '');
      text.data = text.data.slice(0, cut);
      const second = new Element('p', {}, [new Text(rest)]);
      let sibling = text.next;
      while (sibling) {
        const next = sibling.next;
        DomUtils.appendChild(second, sibling);
        sibling = next;
      }
      DomUtils.append(target, second);
    },
  };
}

/** Changes a heading's text (keeping any outline number such as "a. " in front). */
export function renameHeading(from: string, to: string): PageEdit {
  return {
    description: `rename heading "${from}" to "${to}"`,
    apply(dom) {
      const heading = headingElement(dom, from);
      const text = textNodes(heading).find((candidate) => candidate.data.includes(from));
      if (!text) throw new Error(`heading "${from}" has no plain text to rename`);
      text.data = text.data.replace(from, to);
    },
  };
}

/**
 * Moves a heading and its paragraphs (the siblings after it, up to the next heading) to the end of the content of
 * another heading's block (after its last paragraph sibling).
 */
export function moveSection(heading: string, afterContentOf: string): PageEdit {
  return {
    description: `move "${heading}" to the end of "${afterContentOf}"`,
    apply(dom) {
      const moving = blockOf(headingElement(dom, heading));
      const targetBlock = blockOf(headingElement(dom, afterContentOf));
      let anchor = targetBlock[targetBlock.length - 1]!;
      for (const node of moving) {
        DomUtils.removeElement(node);
        DomUtils.append(anchor, node);
        anchor = node;
      }
    },
  };
}

/**
 * Changes only the page chrome: a rotating promo in the header, a timestamp and a token in the footer, a nonce in a
 * script, so that every request differs in bytes while the report body does not.
 */
export function rotateChrome(seed: number): PageEdit {
  return {
    description: `rotate the chrome (promo ${seed % 3}, token ${seed})`,
    apply(dom) {
      const body = DomUtils.findOne((element) => element.name === 'body', dom.children, true);
      if (!body) throw new Error('page has no body');
      const promos = ['Read the latest travel advisories.', 'Apply for a passport online.', 'Explore careers at State.'];
      const promo = new Element('div', { class: 'promo', 'data-seed': String(seed) }, [
        new Element('p', {}, [new Text(promos[seed % promos.length]!)]),
      ]);
      DomUtils.prependChild(body, promo);
      const footer = new Element('footer', { class: 'site-footer' }, [
        new Element('p', {}, [
          new Text(`Page generated ${new Date(Date.UTC(2026, 0, 1) + seed * 60_000).toISOString()} (token ${seed.toString(36)})`),
        ]),
      ]);
      DomUtils.appendChild(body, footer);
      DomUtils.appendChild(body, new Element('script', {}, [new Text(`window.__nonce = "${seed.toString(16)}";`)]));
    },
  };
}

/**
 * Appends a sentence to the first paragraph of the report body, whatever its headings: the one edit that applies to
 * every corpus page (the pipeline benchmark edits all 54).
 */
export function appendToFirstParagraph(sentence: string): PageEdit {
  return {
    description: `append a sentence to the first paragraph of the report`,
    apply(dom) {
      // The "READ A SECTION: ..." navigation of the 2016-2018 pages is not report text.
      const paragraph = outlineElements(dom).find(
        (element) => element.name === 'p' && visibleText(element) !== '' && !/^read (?:a )?section\b/i.test(visibleText(element)),
      );
      if (!paragraph) throw new Error('the report body has no paragraph');
      DomUtils.appendChild(paragraph, new Text(` ${sentence}`));
    },
  };
}

/** Re-indents the report body: every space between words becomes a newline plus indentation. */
export function reflowWhitespace(): PageEdit {
  return {
    description: 'reflow the whitespace of the report body',
    apply(dom) {
      for (const text of textNodes(reportBody(dom))) text.data = text.data.replace(/ /g, '\n\t\t ');
    },
  };
}

function reportBody(dom: DomDocument): Element {
  const main = DomUtils.findOne(
    (element) => element.name === 'section' && (element.attribs.class ?? '').split(/\s+/).includes('report__main'),
    dom.children,
    true,
  );
  if (!main) throw new Error('page has no report body');
  return main;
}

const HEADING = /^h[1-6]$/;

function visibleText(node: AnyNode): string {
  return DomUtils.textContent(node).replace(/\s+/g, ' ').trim();
}

function headingElement(dom: DomDocument, text: string): Element {
  const match = DomUtils.findOne(
    (element) =>
      HEADING.test(element.name) &&
      !(element.attribs.class ?? '').includes('report-toc-section') &&
      visibleText(element).replace(/^[a-z]\.\s+/, '') === text,
    [reportBody(dom)],
    true,
  );
  if (!match) throw new Error(`no heading "${text}" in the report body`);
  return match;
}

/** Body elements in document order: headings and paragraphs (number labels excluded). */
function outlineElements(dom: DomDocument): Element[] {
  return DomUtils.findAll(
    (element) => (HEADING.test(element.name) || element.name === 'p') && !(element.attribs.class ?? '').includes('report-toc-section'),
    [reportBody(dom)],
  );
}

function paragraphUnder(dom: DomDocument, heading: string, index: number): Element {
  const target = headingElement(dom, heading);
  const elements = outlineElements(dom);
  const paragraphs: Element[] = [];
  for (let position = elements.indexOf(target) + 1; position < elements.length; position++) {
    const element = elements[position]!;
    if (HEADING.test(element.name)) break;
    paragraphs.push(element);
  }
  const paragraph = paragraphs[index];
  if (!paragraph) throw new Error(`"${heading}" has no paragraph ${index + 1}`);
  return paragraph;
}

/** A heading and the siblings after it up to the next heading sibling. */
function blockOf(heading: Element): AnyNode[] {
  const block: AnyNode[] = [heading];
  for (let node = heading.next; node; node = node.next) {
    if (node instanceof Element && HEADING.test(node.name)) break;
    block.push(node);
  }
  return block;
}

function textNodes(root: AnyNode): Text[] {
  const found: Text[] = [];
  const visit = (node: AnyNode) => {
    if (node instanceof Text) found.push(node);
    else if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(root);
  return found;
}
