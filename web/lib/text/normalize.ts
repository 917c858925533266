// Text normalisation before tokenizing: Unicode NFC, HTML line breaks (IMDB's
// `<br />`) and other tags to spaces, collapsed whitespace, optional lowercase.

export interface NormalizeOptions {
  lowercase?: boolean;
}

export function normalizeText(text: string, { lowercase = true }: NormalizeOptions = {}): string {
  let s = text.normalize("NFC").replace(/<[^>]{0,40}>/g, " ").replace(/\s+/g, " ").trim();
  if (lowercase) s = s.toLowerCase();
  return s;
}
