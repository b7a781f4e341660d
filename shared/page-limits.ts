/** The largest page (decompressed) any command reads: import, extract and diff alike. */
export const DEFAULT_MAX_PAGE_BYTES = 50 * 1024 * 1024;
