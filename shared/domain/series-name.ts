/**
 * A series' name for readers, from the evidence of its pages: the newest edition's title without that edition's
 * year ("2024 Country Reports on Human Rights Practices: Kazakhstan" -> "Country Reports on Human Rights Practices:
 * Kazakhstan"). Without a title (not captured yet), the series id.
 */
export function seriesName(series: string, newest: { title?: string; edition?: number } | undefined): string {
  const title = newest?.title?.trim();
  if (!title) return series;
  const withoutYear = newest?.edition !== undefined ? title.replace(new RegExp(`(^|\\s)${newest.edition}(?=\\s|$)`, 'u'), ' ') : title;
  const name = withoutYear
    .replace(/\s+/gu, ' ')
    .replace(/^[\s:,–-]+|[\s:,–-]+$/gu, '')
    .trim();
  return name === '' ? series : name;
}
