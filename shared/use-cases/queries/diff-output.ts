import { escapeHtml, renderHtml, renderUnified, visibleSections, type RenderOptions } from '../../domain/diff-rendering.js';
import type { RevisionDiff } from '../../domain/revision-diff.js';

export const DIFF_FORMATS = ['json', 'html', 'text'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface RenderedOutput {
  contentType: string;
  body: string;
}

/**
 * A diff with what it compares, rendered as JSON (`meta` plus the diff, only the shown sections), a standalone
 * HTML page (the domain's fragment in a minimal document) or git-like text.
 */
export function renderDiffOutput(
  output: { title: string; meta: Record<string, unknown>; diff: RevisionDiff },
  format: DiffFormat,
  options: RenderOptions = {},
): RenderedOutput {
  switch (format) {
    case 'json':
      return {
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({ ...output.meta, diff: { ...output.diff, sections: visibleSections(output.diff, options) } }),
      };
    case 'text':
      return { contentType: 'text/plain; charset=utf-8', body: renderUnified(output.diff, options) };
    case 'html': {
      const summary = output.diff.summary;
      const counts = (['added', 'removed', 'modified', 'renamed', 'moved'] as const).map((kind) => `${summary[kind]} ${kind}`).join(', ');
      const body =
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
        `<title>${escapeHtml(output.title)}</title>\n` +
        '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:50rem;margin:auto;padding:1rem}' +
        'del{background:#fdd;text-decoration:line-through}ins{background:#dfd;text-decoration:none}' +
        '.redline-meta{color:#666}</style>\n</head>\n<body>\n' +
        `<h1>${escapeHtml(output.title)}</h1>\n` +
        `<p class="redline-summary">${escapeHtml(`${counts}; +${summary.wordsAdded} -${summary.wordsRemoved} words`)}</p>\n` +
        renderHtml(output.diff, options) +
        '</body>\n</html>\n';
      return { contentType: 'text/html; charset=utf-8', body };
    }
  }
}
