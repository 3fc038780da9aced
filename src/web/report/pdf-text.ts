// The report uses PDF's standard Helvetica (nothing to embed, so a report is small and quick),
// which encodes Windows-1252: Western European names print as typed; other letters lose their
// accents (NFKD), and what is left outside the encoding prints as "?".
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

export function pdfText(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRAS.has(char)) out += char;
    else if (char === '\n') out += char;
    else {
      const plain = char.normalize('NFKD').replace(/\p{M}/gu, '');
      out += [...plain].every((c) => c.codePointAt(0)! <= 0xff) && plain.length > 0 ? plain : char === '−' ? '-' : '?';
    }
  }
  return out;
}
