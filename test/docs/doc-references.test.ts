import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import ts from 'typescript';

/**
 * Every reference in the documentation resolves: Markdown links (files and #anchors) in README.md, docs/ and the
 * corpus README, and the repository paths that Markdown text and code comments name (`shared/domain/extract.ts`,
 * `docs/architecture.md`). A moved or renamed file fails here until its mentions follow it.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The top-level folders of the repository: a path in prose counts as a reference when it starts with one. */
const TOP_LEVEL = ['.ci', 'bench', 'cli', 'docs', 'functions', 'infra', 'local', 'shared', 'test'];
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', 'cdk.out', '.redline', 'coverage', 'dist', 'fixtures']);
/** Generated code: nothing in it is prose. */
const GENERATED = new Set(['functions/api/ui/ui-client-bundle.ts']);

/**
 * References known to be wrong that this branch may not edit (shared/domain/profiles/ is rewritten on another
 * branch). The test fails once an entry is no longer found, so the list cannot outlive the fix.
 */
const PENDING: readonly { file: string; reference: string }[] = [];

const REPOSITORY_PATH = new RegExp(`(?<![\\w.~/-])((?:\\.\\./)*(?:${TOP_LEVEL.map((folder) => folder.replace('.', '\\.')).join('|')})/[\\w./-]*[\\w-])`, 'g');
/** A bare Markdown file name in a code comment ("see architecture.md"): it must be at the root or in docs/. */
const BARE_MARKDOWN = /(?<![\w./-])([\w-]+\.md)\b/g;

interface Reference {
  file: string;
  line: number;
  target: string;
}

function walk(folder: string, keep: (relative: string) => boolean, found: string[] = []): string[] {
  for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
    const relative = folder ? `${folder}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('test-artifacts')) walk(relative, keep, found);
    } else if (keep(relative)) found.push(relative);
  }
  return found;
}

const markdownFiles = ['README.md', ...walk('docs', (file) => file.endsWith('.md')), 'test/fixtures/corpus/README.md'];
const codeFiles = [
  ...TOP_LEVEL.filter((folder) => folder !== 'docs' && existsSync(path.join(ROOT, folder))).flatMap((folder) =>
    walk(folder, (file) => /\.(?:[cm]?[jt]s)$/.test(file) && !GENERATED.has(file)),
  ),
  ...readdirSync(ROOT).filter((file) => /\.(?:[cm]?js|ts)$/.test(file)),
];

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The comments of a TypeScript or JavaScript file, found by the parser (so regexes and template literals are not misread). */
function commentsOf(file: string, text: string): { text: string; start: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const seen = new Map<number, string>();
  const collect = (ranges: ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) seen.set(range.pos, text.slice(range.pos, range.end));
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  return [...seen].map(([start, comment]) => ({ start, text: comment }));
}

/** Markdown without fenced code and inline code spans, for link scanning (paths are checked everywhere). */
function withoutCode(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, (block) => block.replace(/[^\n]/g, ' ')).replace(/`[^`\n]*`/g, (span) => ' '.repeat(span.length));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  for (const match of withoutFences(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = match[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = counts.get(base) ?? 0;
    counts.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function withoutFences(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '');
}

function exists(relative: string): boolean {
  const absolute = path.resolve(ROOT, relative);
  return absolute.startsWith(ROOT) && existsSync(absolute);
}

function pathReferences(file: string, text: string, offset = 0, whole = text): Reference[] {
  const references: Reference[] = [];
  for (const match of text.matchAll(REPOSITORY_PATH)) {
    const target = match[1]!;
    const resolved = target.startsWith('../') ? path.posix.join(path.posix.dirname(file), target) : target;
    references.push({ file, line: lineOf(whole, offset + match.index), target: resolved });
  }
  return references;
}

describe('documentation references', () => {
  it('finds the files it checks', () => {
    expect(markdownFiles.length).toBeGreaterThanOrEqual(13);
    expect(codeFiles.length).toBeGreaterThan(200);
    expect(codeFiles).toContain('shared/domain/extract.ts');
  });

  it('resolves every Markdown link, to a file and, with #, to one of its headings', () => {
    const broken: string[] = [];
    const anchorCache = new Map<string, Set<string>>();
    for (const file of markdownFiles) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const match of withoutCode(text).matchAll(/\[[^\]]*\]\(([^)\s]+)\)/g)) {
        const link = match[1]!;
        if (/^[a-z]+:/i.test(link)) continue;
        const [target = '', anchor] = link.split('#');
        const resolved = target === '' ? file : path.posix.join(path.posix.dirname(file), target);
        const where = `${file}:${lineOf(text, match.index)} ${link}`;
        if (!exists(resolved)) {
          broken.push(`${where}: no file ${resolved}`);
          continue;
        }
        if (anchor === undefined) continue;
        if (!resolved.endsWith('.md') || statSync(path.join(ROOT, resolved)).isDirectory()) {
          broken.push(`${where}: an anchor into a file that is not Markdown`);
          continue;
        }
        let anchors = anchorCache.get(resolved);
        if (!anchors) anchorCache.set(resolved, (anchors = anchorsOf(readFileSync(path.join(ROOT, resolved), 'utf8'))));
        if (!anchors.has(anchor)) broken.push(`${where}: no heading #${anchor} in ${resolved}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('names only repository paths that exist, in Markdown and in code comments', () => {
    const references: Reference[] = [];
    for (const file of markdownFiles) references.push(...pathReferences(file, readFileSync(path.join(ROOT, file), 'utf8').replace(/https?:\/\/\S+/g, (url) => ' '.repeat(url.length))));
    const bareMarkdown: Reference[] = [];
    for (const file of codeFiles) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const comment of commentsOf(file, text)) {
        const prose = comment.text.replace(/https?:\/\/\S+/g, (url) => ' '.repeat(url.length));
        references.push(...pathReferences(file, prose, comment.start, text));
        for (const match of prose.matchAll(BARE_MARKDOWN)) bareMarkdown.push({ file, line: lineOf(text, comment.start + match.index), target: match[1]! });
      }
    }
    expect(references.length).toBeGreaterThan(100);
    const pending = (reference: Reference) =>
      PENDING.some((entry) => entry.file === reference.file && path.posix.join(path.posix.dirname(entry.file), entry.reference) === reference.target);
    const missing = references.filter((reference) => !exists(reference.target) && !pending(reference)).map(({ file, line, target }) => `${file}:${line} ${target}`);
    const missingMarkdown = bareMarkdown
      .filter(({ target }) => !exists(target) && !exists(`docs/${target}`))
      .map(({ file, line, target }) => `${file}:${line} ${target}`);
    expect([...missing, ...missingMarkdown]).toEqual([]);
    for (const entry of PENDING) expect(readFileSync(path.join(ROOT, entry.file), 'utf8')).toContain(entry.reference);
  });

  it('lists every corpus page in the corpus README with the size and SHA-256 of the committed file', () => {
    const readme = readFileSync(path.join(ROOT, 'test/fixtures/corpus/README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| ([\w-]+\/\d{4}\.html) \|.*\| (\d+) \| `([0-9a-f]{64})` \|/gm)];
    const committed = walk('test/fixtures/corpus/hrr', (file) => file.endsWith('.html.gz'));
    expect(rows.map((row) => `test/fixtures/corpus/hrr/${row[1]!}.gz`).sort()).toEqual(committed.sort());
    for (const [, file, bytes, sha256] of rows) {
      const html = gunzipSync(readFileSync(path.join(ROOT, 'test/fixtures/corpus/hrr', `${file!}.gz`)));
      expect({ file, bytes: html.length, sha256: createHash('sha256').update(html).digest('hex') }).toEqual({ file, bytes: Number(bytes), sha256 });
    }
  });
});
